using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost;

/// <summary>What the local host is given to run an isolated-worker function app (see README.md, "Contract").</summary>
public sealed class LocalHostOptions
{
    /// <summary>The function app's assembly (the one <c>functions.metadata</c> names as scriptFile).</summary>
    public required Assembly AppAssembly { get; init; }

    /// <summary>The app's build output directory: <c>functions.metadata</c>, and by default host.json and local.settings.json.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>Registers the app's services: the same registration the app's Program.cs makes.</summary>
    public required Action<IServiceCollection, IConfiguration> ConfigureServices { get; init; }

    /// <summary>host.json; default: <see cref="AppDirectory"/>/host.json. Missing means defaults.</summary>
    public string? HostJsonPath { get; init; }

    /// <summary>local.settings.json; default: <see cref="AppDirectory"/>/local.settings.json. Missing means no settings.</summary>
    public string? LocalSettingsPath { get; init; }

    /// <summary>Settings that win over local.settings.json and the environment (keys with ':' or '__').</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where Kestrel listens; port 0 takes a free port (read <see cref="LocalFunctionsHost.HttpAddress"/>).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:7071";

    /// <summary>Which functions run (by name); null runs every function of the metadata, as host.json's "functions" list also can.</summary>
    public IReadOnlyCollection<string>? Functions { get; init; }

    /// <summary>
    /// The host id that names receipts, leases and timer status in <c>azure-webjobs-hosts</c>; instances that share
    /// work must share it. Default: setting <c>AzureFunctionsJobHost:id</c>, else the app assembly's name.
    /// </summary>
    public string? HostId { get; init; }

    /// <summary>How often a blob trigger lists its container (Azure delivers Event Grid notifications; locally it polls).</summary>
    public TimeSpan BlobPollingInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a timer instance waits before trying again to take its schedule's lease.</summary>
    public TimeSpan TimerLeaseRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="LocalFunctionsHost.StopAsync"/> waits for running invocations before cancelling them.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Answers requests no function route matches. Default: an empty 404, as the Functions host answers.</summary>
    public RequestDelegate? UnmatchedRequest { get; init; }

    /// <summary>Logging setup (providers, levels); default: console at Information.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
