using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushGov.Functions.Cases;
using PushGov.Functions.Hosting;
using PushGov.LocalHost;

namespace PushGov.Local;

/// <summary>
/// PushGov's function app on the local host: the same [Function] methods and the same registration
/// (<see cref="PushGovServices.AddPushGov"/>) as in Azure, with requests no function matches answered as problem+json.
/// </summary>
public static class LocalApp
{
    /// <summary>The functions that run cases: the orchestration and its activities.</summary>
    public static readonly IReadOnlyList<string> CaseFunctions = [CaseOrchestration.Name, CaseOrchestration.MatchActivity, CaseOrchestration.ResolveActivity, CaseOrchestration.EffectsActivity];

    /// <summary>The options for the app in <paramref name="appDirectory"/> (default: beside this assembly, where the build copies functions.metadata).</summary>
    public static LocalHostOptions Options(
        IReadOnlyDictionary<string, string?> settings,
        string urls = "http://127.0.0.1:0",
        IReadOnlyCollection<string>? functions = null,
        string? hostId = null,
        TimeSpan? blobPolling = null,
        Action<ILoggingBuilder>? logging = null,
        string? appDirectory = null,
        Action<IServiceCollection>? services = null) => new()
        {
            AppAssembly = typeof(PushGovServices).Assembly,
            AppDirectory = appDirectory ?? Path.GetDirectoryName(typeof(PushGovServices).Assembly.Location)!,
            ConfigureServices = (registrations, configuration) =>
            {
                registrations.AddPushGov(configuration);
                services?.Invoke(registrations);
            },
            Settings = settings,
            Urls = urls,
            Functions = functions,
            HostId = hostId,
            BlobPollingInterval = blobPolling ?? TimeSpan.FromSeconds(1),
            TimerLeaseRetryInterval = TimeSpan.FromSeconds(1),
            UnmatchedRequest = NotFoundAsync,
            ConfigureLogging = logging,
        };

    /// <summary>A request no function takes: 404 as problem+json, naming nothing of any tenant.</summary>
    public static Task NotFoundAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        http.Response.ContentType = "application/problem+json";
        return http.Response.WriteAsync(
            """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not found","status":404,"detail":"There is no such resource. The routes are listed at /api/openapi.json."}""",
            Encoding.UTF8);
    }
}
