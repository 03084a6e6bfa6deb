using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushGov.LocalHost.SampleApp;
using PushGov.Testing;

namespace PushGov.LocalHost.Tests;

/// <summary>Starts the local host on the sample app against the test run's Azurite, with this test's own names.</summary>
internal static class SampleHost
{
    /// <summary>Where the sample app's assembly is: the build copies its functions.metadata and host.json beside it.</summary>
    public static string AppDirectory { get; } = Path.GetDirectoryName(typeof(Probe).Assembly.Location)!;

    public static async Task<LocalFunctionsHost> StartAsync(
        AzuriteFixture azurite, Probe probe, IReadOnlyCollection<string> functions, IReadOnlyDictionary<string, string?> settings, string hostId,
        TimeSpan? drainTimeout = null)
    {
        var all = new Dictionary<string, string?>(settings) { ["AzureWebJobsStorage"] = azurite.ConnectionString };
        var host = LocalFunctionsHost.Create(new LocalHostOptions
        {
            AppAssembly = typeof(Probe).Assembly,
            AppDirectory = AppDirectory,
            ConfigureServices = (services, configuration) =>
            {
                SampleServices.Configure(services, configuration);
                services.AddSingleton(probe);
            },
            Settings = all,
            Urls = "http://127.0.0.1:0",
            Functions = functions,
            HostId = hostId,
            BlobPollingInterval = TimeSpan.FromMilliseconds(300),
            TimerLeaseRetryInterval = TimeSpan.FromMilliseconds(500),
            DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(10),
            ConfigureLogging = logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning),
        });
        await host.StartAsync();
        return host;
    }
}

/// <summary>Waits for the sample app's probe to record events (with a deadline, through <see cref="Wait"/>).</summary>
internal static class Eventually
{
    public static Task<string[]> Events(Probe probe, Func<string[], bool> done, string what, int seconds = 30) =>
        Wait.Eventually(() => Task.FromResult(probe.Events.ToArray()), done, what, TimeSpan.FromSeconds(seconds));
}
