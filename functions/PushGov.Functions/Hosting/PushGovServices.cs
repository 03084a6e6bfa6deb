using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PushGov.Functions.Api;
using PushGov.Functions.CustomHandler;
using PushGov.Functions.Handlers;
using PushGov.Functions.TriggerHost;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Messaging;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Hosting;

/// <summary>The app's registrations, in one place (Program.cs stays short).</summary>
public static class PushGovServices
{
    /// <summary>Configuration as the Functions host gives it: environment variables, and locally local.settings.json Values.</summary>
    public static WebApplicationBuilder AddPushGovConfiguration(this WebApplicationBuilder builder)
    {
        var root = builder.Configuration["PushGov:ScriptRoot"] ?? AppContext.BaseDirectory;
        foreach (var candidate in new[] { Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json"), Path.Combine(root, "local.settings.json") }.Distinct())
        {
            builder.Configuration.AddLocalSettings(candidate);
        }

        builder.Configuration.AddEnvironmentVariables();

        // Under the Functions host the app must listen where the host expects it.
        if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } port)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        return builder;
    }

    public static IServiceCollection AddPushGov(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => StorageClients.FromSettings(key => config[key]));
        services.AddSingleton<CaseStore>();
        services.AddSingleton<ICaseReader>(sp => sp.GetRequiredService<CaseStore>());
        services.AddSingleton<MessageStore>();
        services.AddSingleton<TimerStore>();
        services.AddSingleton<ResidentStore>();
        services.AddSingleton<DevSink>();
        services.AddSingleton<CaseEngine>();
        services.AddSingleton<ICaseStarter>(sp => sp.GetRequiredService<CaseEngine>());
        services.AddSingleton<ICaseInbox>(sp => sp.GetRequiredService<CaseEngine>());
        services.AddSingleton<SendWorker>();
        services.AddSingleton<TenantStore>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<DropIngestor>();

        // The default catalog and templates, compiled once; tenant overrides are the next step (see docs).
        var catalog = new Lazy<Domain.Eligibility.Catalog>(Domain.Eligibility.CatalogLoader.LoadDefault);
        var matcher = new Lazy<Domain.Eligibility.ServiceMatcher>(() => catalog.Value.Compile());
        var templates = new Lazy<Domain.Messaging.Templates.TemplateCatalog>(() => Domain.Messaging.Templates.TemplateCatalog.LoadDefault());
        services.AddSingleton<Domain.Eligibility.IEligibility>(new Domain.Eligibility.CatalogEligibility(_ => matcher.Value));
        services.AddSingleton(sp => new TenantCatalog(sp.GetRequiredService<TenantDirectory>(), () => catalog.Value));
        var links = Domain.Residents.ResidentLinkSigner.FromSetting(config[Domain.Residents.ResidentLinkSigner.Setting]);
        services.AddSingleton(links);
        services.AddSingleton<ResidentLinks>();
        services.AddSingleton<Domain.Messaging.IMessageComposer>(new Domain.Messaging.TemplateComposer(_ => templates.Value, links, id => catalog.Value.Find(id)?.Counter));
        services.AddSingleton<ICaseActivities>(sp => new CaseActivities(sp.GetRequiredService<ResidentStore>(), sp.GetRequiredService<Domain.Eligibility.IEligibility>(), sp.GetRequiredService<TenantDirectory>(), sp.GetRequiredService<Infrastructure.Line.LineQuota>()));
        services.AddPushGovSending(config);
        services.AddSingleton(sp => new ApiKeyStore(
            sp.GetRequiredService<StorageClients>(),
            config["PushGov:ApiKeyPepper"] is { Length: >= 16 } pepper ? pepper : throw new InvalidOperationException("PushGov:ApiKeyPepper must be set (at least 16 characters; in Azure a Key Vault reference)."),
            sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<IFunction, IngestDropFunction>();
        services.AddSingleton<IFunction, AgeSweepFunction>();
        services.AddSingleton<IFunction, AdvanceCaseFunction>();
        services.AddSingleton<IFunction, SendMessageFunction>();
        services.AddSingleton<IFunction, SweepFunction>();
        services.AddSingleton<FunctionDispatcher>();
        services.AddHostedService<StorageInitializer>();

        var triggerHost = new TriggerHostOptions();
        config.GetSection("PushGov:TriggerHost").Bind(triggerHost);
        services.AddSingleton(triggerHost);
        var development = string.Equals(config["AzureWebJobsStorage"], "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);
        var underFunctionsHost = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 };
        if (triggerHost.Enabled ?? (development && !underFunctionsHost))
        {
            services.AddHostedService<LocalTriggerHost>();
        }

        services.AddPushGovApi(config);
        services.AddProblemDetails();
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        return services;
    }

    /// <summary>Logs with the tenant and case id as scope; traces and metrics to the console locally (OTLP where configured).</summary>
    public static WebApplicationBuilder AddPushGovTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        var console = builder.Configuration.GetValue("PushGov:Telemetry:Console", false);
        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("pushgov"));
        otel.WithTracing(t =>
        {
            t.AddSource(FunctionDispatcher.Activity.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (console)
            {
                t.AddConsoleExporter();
            }
        });
        otel.WithMetrics(m =>
        {
            m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (console)
            {
                m.AddConsoleExporter();
            }
        });
        if (console)
        {
            builder.Logging.AddOpenTelemetry(o => o.AddConsoleExporter());
        }

        return builder;
    }

    public static WebApplication MapPushGov(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var api = app.MapGroup("/api");
        api.MapHealthApi();
        api.MapSendingApi();
        var tenants = api.MapGroup("/tenants");
        tenants.MapCasesApi();
        tenants.MapNotificationsApi();
        tenants.MapDropsApi();
        tenants.MapLineApi();
        api.MapPushGovApi(tenants);
        app.MapCustomHandler();
        return app;
    }
}
