using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PushGov.Domain.Cases;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Notifications;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Hosting;

/// <summary>
/// The app's registrations, in one place: Program.cs calls <see cref="AddPushGov"/>, and so does the local host that plays
/// the Functions host in tests and with <c>./run.sh</c>. The function classes themselves are not registered: the host
/// creates them.
/// </summary>
public static class PushGovServices
{
    public static IServiceCollection AddPushGov(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => StorageClients.FromSettings(key => config[key]));
        services.AddSingleton<CaseStore>();
        services.AddSingleton<ICaseReader>(sp => sp.GetRequiredService<CaseStore>());
        services.AddSingleton<MessageStore>();
        services.AddSingleton<INotificationRequests, NotificationRequests>();
        services.AddSingleton<ResidentStore>();
        services.AddSingleton<TenantStore>();
        services.AddSingleton<TenantDirectory>();
        var planChunkSize = config.GetValue(DropIngestor.PlanChunkSizeSetting, DropIngestor.DefaultPlanChunkSize);
        if (planChunkSize < 1)
        {
            throw new InvalidOperationException($"{DropIngestor.PlanChunkSizeSetting} must be a positive number of persons (default {DropIngestor.DefaultPlanChunkSize}); it is {planChunkSize}.");
        }

        services.AddSingleton(sp => new DropIngestor(
            sp.GetRequiredService<StorageClients>(),
            sp.GetRequiredService<ResidentStore>(),
            sp.GetRequiredService<ICaseStarter>(),
            sp.GetRequiredService<ICaseInbox>(),
            sp.GetRequiredService<TenantDirectory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DropIngestor>>())
        {
            PlanChunkSize = planChunkSize,
        });
        services.AddSingleton<DropPoison>();

        // Cases: one Durable orchestration each, behind the seams the rest of the app uses.
        services.AddSingleton<CaseEffects>();
        services.AddSingleton<DurableCases>();
        services.AddSingleton<ICaseStarter>(sp => sp.GetRequiredService<DurableCases>());
        services.AddSingleton<ICaseInbox>(sp => sp.GetRequiredService<DurableCases>());
        services.AddSingleton<FailedCases>();

        // The default catalog and templates, compiled once; tenant overrides are the next step (see docs).
        var catalog = new Lazy<Domain.Eligibility.Catalog>(Domain.Eligibility.CatalogLoader.LoadDefault);
        var matcher = new Lazy<Domain.Eligibility.ServiceMatcher>(() => catalog.Value.Compile());
        var templates = new Lazy<Domain.Messaging.Templates.TemplateCatalog>(() => Domain.Messaging.Templates.TemplateCatalog.LoadDefault());
        services.AddSingleton<Domain.Eligibility.IEligibility>(new Domain.Eligibility.CatalogEligibility(_ => matcher.Value));
        services.AddSingleton(sp => new TenantCatalog(sp.GetRequiredService<TenantDirectory>(), () => catalog.Value));
        var links = Domain.Residents.ResidentLinkSigner.FromSetting(config[Domain.Residents.ResidentLinkSigner.Setting]);
        services.AddSingleton(links);
        services.AddSingleton<ResidentLinks>();
        services.AddSingleton<Infrastructure.Applications.ApplicationHandOver>();
        services.AddSingleton<Domain.Messaging.IMessageComposer>(new Domain.Messaging.TemplateComposer(_ => templates.Value, links, id => catalog.Value.Find(id)?.Counter));
        services.AddSingleton(sp => new CaseActivities(sp.GetRequiredService<ResidentStore>(), sp.GetRequiredService<Domain.Eligibility.IEligibility>(), sp.GetRequiredService<TenantDirectory>(), sp.GetRequiredService<Infrastructure.Notifications.Providers.Line.LineQuota>()));
        services.AddPushGovSending(config);
        services.AddPushGovEventGridWebhook(config);
        services.AddSingleton(sp => new ApiKeyStore(
            sp.GetRequiredService<StorageClients>(),
            config["PushGov:ApiKeyPepper"] is { Length: >= 16 } pepper ? pepper : throw new InvalidOperationException("PushGov:ApiKeyPepper must be set (at least 16 characters; in Azure a Key Vault reference)."),
            sp.GetRequiredService<TimeProvider>()));

        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<StartupReport>();
        services.AddPushGovApi(config);
        return services;
    }

    /// <summary>Traces and metrics of outgoing calls; to the console when <c>PushGov:Telemetry:Console</c> is true (OTLP where configured).</summary>
    public static IServiceCollection AddPushGovTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var console = config.GetValue("PushGov:Telemetry:Console", false);
        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("pushgov"));
        otel.WithTracing(t =>
        {
            t.AddHttpClientInstrumentation();
            if (console)
            {
                t.AddConsoleExporter();
            }
        });
        otel.WithMetrics(m =>
        {
            m.AddHttpClientInstrumentation();
            if (console)
            {
                m.AddConsoleExporter();
            }
        });
        if (console)
        {
            services.AddLogging(l => l.AddOpenTelemetry(o => o.AddConsoleExporter()));
        }

        return services;
    }
}
