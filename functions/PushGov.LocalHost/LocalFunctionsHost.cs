using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PushGov.LocalHost.Durable;
using PushGov.LocalHost.Triggers;

namespace PushGov.LocalHost;

/// <summary>
/// The local stand-in for the Azure Functions host: reads the app's <c>functions.metadata</c> and runs its
/// <c>[Function]</c> methods in this process: HTTP on Kestrel, blob, queue and timer triggers on Azure Storage, and
/// Durable Task orchestrations and activities on the Azure Storage provider. See README.md for the contract.
/// </summary>
public sealed class LocalFunctionsHost : IAsyncDisposable
{
    private static readonly string[] SupportedTriggers =
        ["httpTrigger", "queueTrigger", "blobTrigger", "timerTrigger", "orchestrationTrigger", "activityTrigger"];

    private readonly WebApplication _app;
    private bool _running;

    private LocalFunctionsHost(WebApplication app, IReadOnlyList<FunctionInvoker> functions)
    {
        _app = app;
        Functions = [.. functions.Select(f => f.Metadata)];
    }

    /// <summary>The functions this host runs.</summary>
    public IReadOnlyList<FunctionMetadata> Functions { get; }

    /// <summary>The app's services (including the <see cref="DurableTaskClient"/> when the app uses Durable Task).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The address Kestrel listens on, once started (the bound port when the configured port is 0).</summary>
    public Uri HttpAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Reads the metadata and settings and builds the host; nothing runs until <see cref="StartAsync"/>.</summary>
    public static LocalFunctionsHost Create(LocalHostOptions options)
    {
        var settings = HostSettings.Load(options);
        var enabled = options.Functions ?? settings.HostJson.GetSection("functions").Get<string[]>();
        var functions = FunctionMetadata.Load(options.AppDirectory)
            .Where(m => enabled is null || enabled.Contains(m.Name, StringComparer.OrdinalIgnoreCase))
            .Select(m => new FunctionInvoker(m, options.AppAssembly))
            .ToList();
        foreach (var function in functions)
        {
            var unsupported = function.Metadata.Bindings.FirstOrDefault(b =>
                b.IsTrigger ? !SupportedTriggers.Any(b.IsType) : !(b.IsType("durableClient") || (b.IsType("http") && !b.IsInput)));
            if (unsupported is not null)
            {
                throw new NotSupportedException($"Function {function.Name}: the local host does not support '{unsupported.Type}' bindings.");
            }
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = options.AppDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.WebHost.UseUrls(options.Urls);
        // The Functions host accepts request bodies up to 100 MB (Kestrel's default is 30 MB).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 100 * 1024 * 1024);
        builder.Logging.ClearProviders();
        (options.ConfigureLogging ?? DefaultLogging)(builder.Logging);

        var services = builder.Services;
        services.Configure<HostOptions>(o =>
        {
            // Every listener drains within the same bound, at the same time.
            o.ShutdownTimeout = options.DrainTimeout;
            o.ServicesStopConcurrently = true;
        });
        services.AddMvcCore();
        options.ConfigureServices(services, builder.Configuration);
        AddTriggers(services, settings, options, functions);

        var app = builder.Build();
        var http = functions.Where(f => f.Trigger.IsType("httpTrigger"));
        HttpTriggers.Map(app, http, settings.HostValue("extensions:http:routePrefix", "api"), options.UnmatchedRequest);
        return new LocalFunctionsHost(app, functions);
    }

    /// <summary>
    /// Builds, starts and runs the host until the process is asked to stop (Ctrl-C, SIGTERM) or the token is cancelled,
    /// then stops it gracefully; for an app's local entry point.
    /// </summary>
    public static async Task RunAsync(LocalHostOptions options, CancellationToken cancellationToken = default)
    {
        await using var host = Create(options);
        await host.StartAsync(cancellationToken);
        await host._app.WaitForShutdownAsync(cancellationToken);
        host._running = false;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _running = true;
        await _app.StartAsync(cancellationToken);
    }

    /// <summary>Stops taking work, waits up to <see cref="LocalHostOptions.DrainTimeout"/> for running invocations, then cancels them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_running)
        {
            _running = false;
            await _app.StopAsync(cancellationToken);
        }
    }

    /// <summary>Stops the host if it runs (see <see cref="StopAsync"/>), then releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private static void AddTriggers(IServiceCollection services, HostSettings settings, LocalHostOptions options, List<FunctionInvoker> functions)
    {
        var hostId = options.HostId ?? settings.Configuration["AzureFunctionsJobHost:id"] ?? options.AppAssembly.GetName().Name!;
        // The Functions host's id rule: lower-case letters, digits and dashes, at most 32 characters.
        hostId = new string([.. hostId.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(32)]);
        // Durable Task first: hosted services start in order, and triggers may start orchestrations.
        if (functions.Any(f => f.Metadata.Bindings.Any(b => b.IsType("orchestrationTrigger") || b.IsType("activityTrigger") || b.IsType("durableClient"))))
        {
            services.AddSingleton(sp => new DurableTaskRuntime(settings, functions, sp, sp.GetRequiredService<ILoggerFactory>()));
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DurableTaskRuntime>());
            services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<DurableTaskRuntime>().Client);
        }

        var queueOptions = QueueTriggerOptions.From(settings);
        var blobParallelism = settings.HostValue("extensions:blobs:maxDegreeOfParallelism", 8 * Environment.ProcessorCount);
        var timeZone = settings.Configuration["WEBSITE_TIME_ZONE"] is { Length: > 0 } zone ? TimeZoneInfo.FindSystemTimeZoneById(zone) : TimeZoneInfo.Utc;
        foreach (var function in functions)
        {
            var trigger = function.Trigger;
            if (!trigger.IsType("queueTrigger") && !trigger.IsType("blobTrigger") && !trigger.IsType("timerTrigger"))
            {
                continue;
            }

            // Timers keep their leases and status in the host's own storage (AzureWebJobsStorage), as the Functions host does.
            var connection = settings.StorageConnection(trigger["connection"]);
            var queues = new QueueServiceClient(connection, new QueueClientOptions { MessageEncoding = queueOptions.Encoding });
            if (trigger.IsType("queueTrigger"))
            {
                var queueName = settings.Resolve(trigger["queueName"]!);
                services.AddSingleton<IHostedService>(sp => new QueueTriggerListener(function, queueName, queues, queueOptions, sp, Logger(sp, function)));
            }
            else if (trigger.IsType("blobTrigger"))
            {
                var path = settings.Resolve(trigger["path"]!);
                services.AddSingleton<IHostedService>(sp => new BlobTriggerListener(
                    function, path, new BlobServiceClient(connection), queues, hostId, queueOptions.MaxDequeueCount, blobParallelism,
                    options.BlobPollingInterval, sp, Logger(sp, function)));
            }
            else if (trigger.IsType("timerTrigger"))
            {
                var schedule = settings.Resolve(trigger["schedule"]!);
                services.AddSingleton<IHostedService>(sp => new TimerTriggerListener(
                    function, schedule, timeZone, new BlobServiceClient(connection), hostId, options.TimerLeaseRetryInterval,
                    sp, Logger(sp, function)));
            }
        }

    }

    private static ILogger Logger(IServiceProvider services, FunctionInvoker function) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Host.Triggers." + function.Name);

    private static void DefaultLogging(ILoggingBuilder logging) => logging
        .AddSimpleConsole(console => console.SingleLine = true)
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("DurableTask", LogLevel.Warning)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
}
