using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;
using PushGov.Infrastructure.Notifications.Providers.Letters;
using PushGov.Infrastructure.Notifications.Providers.Line;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Infrastructure.Notifications.Sending;

/// <summary>
/// Registers sending: <see cref="AddPushGovSending"/> the whole path as the app runs it (the function app and the tests'
/// sending harness both call it), <see cref="AddPushGovSenders"/> the ACS and domestic provider adapters alone.
/// </summary>
public static class SenderServiceCollectionExtensions
{
    /// <summary>
    /// Real sending: <see cref="SendWorker"/>, the provider adapters (only those configured), the <see cref="ProviderSelector"/>,
    /// the channel fallback, pacing, the development sink, letters, delivery reports and opt-outs. Configuration (app settings
    /// with <c>__</c> for <c>:</c>, see infra/app-settings.json):
    /// <list type="bullet">
    /// <item><c>PushGov:Acs:ConnectionString</c>, or <c>PushGov:Acs:Endpoint</c> with <c>AccessKey</c> or <c>UseManagedIdentity=true</c>;
    /// <c>PushGov:Acs:SmsFrom</c> (SMS outside Japan), <c>PushGov:Acs:EmailSender</c> (e-mail).</item>
    /// <item><c>PushGov:DomesticSms:Endpoint</c> and <c>PushGov:DomesticSms:Secret</c> (+81 SMS), <c>PushGov:DomesticSms:CallbackUrl</c>.</item>
    /// <item><c>PushGov:PublicBaseUrl</c>: this app's public URL, for the List-Unsubscribe header.</item>
    /// <item><c>PushGov:Sending:StuckAfter</c>: when the sweep queues again a message left unsent by a crash (default 00:03:00).</item>
    /// <item><c>PushGov:Line:Tenants:{tenant}:ChannelAccessToken</c> and <c>…:ChannelSecret</c> per tenant with a LINE official
    /// account (<see cref="LineOptions"/>), <c>PushGov:Line:BaseUrl</c> optional.</item>
    /// </list>
    /// A channel whose provider is not configured is refused for live tenants ("no provider configured for channel X").
    /// The caller registers what the app shares beyond sending: <see cref="TimeProvider"/>, <see cref="Storage.StorageClients"/>,
    /// the stores (messages, tenants, residents), <see cref="TenantDirectory"/>, <see cref="Domain.Cases.ICaseInbox"/> and logging.
    /// </summary>
    public static IServiceCollection AddPushGovSending(this IServiceCollection services, IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        var options = new SendingOptions { PublicBaseUrl = Url(config["PushGov:PublicBaseUrl"]) };
        if (config.GetValue<TimeSpan?>("PushGov:Sending:StuckAfter") is { } stuckAfter)
        {
            options.StuckAfter = stuckAfter;
        }

        services.AddSingleton(options);
        services.AddSingleton<SendWorker>();
        services.AddSingleton<DevSink>();
        services.AddSingleton<SendIndex>();
        services.AddSingleton<SendPacer>();
        services.AddSingleton<LetterSender>();
        services.AddSingleton<LetterBatch>();
        services.AddSingleton<DeliveryReports.DeliveryReportHandler>();
        services.AddSingleton<OptOuts>();
        services.AddSingleton<ChannelFallback>();

        var acs = new AcsOptions
        {
            ConnectionString = Text(config["PushGov:Acs:ConnectionString"]),
            Endpoint = Url(config["PushGov:Acs:Endpoint"]),
            AccessKey = Text(config["PushGov:Acs:AccessKey"]),
            UseManagedIdentity = bool.TryParse(config["PushGov:Acs:UseManagedIdentity"], out var mi) && mi,
            ManagedIdentityClientId = Text(config["PushGov:Acs:ManagedIdentityClientId"]) ?? Text(config["AZURE_CLIENT_ID"]),
            SmsFrom = Text(config["PushGov:Acs:SmsFrom"]),
            EmailSender = Text(config["PushGov:Acs:EmailSender"]),
        };
        var acsConfigured = acs.ConnectionString is not null || (acs.Endpoint is not null && (acs.UseManagedIdentity || acs.AccessKey is not null));
        var domestic = new DomesticSmsOptions
        {
            Endpoint = Url(config["PushGov:DomesticSms:Endpoint"]),
            Secret = Text(config["PushGov:DomesticSms:Secret"]),
            CallbackUrl = Url(config["PushGov:DomesticSms:CallbackUrl"]),
        };
        var domesticConfigured = domestic.Endpoint is not null && domestic.Secret is not null;
        services.AddSingleton(new DomesticSmsSettings(domesticConfigured ? domestic.Secret : null));

        if (acsConfigured)
        {
            services.AddPushGovSenders(acs, domesticConfigured ? domestic : null);
        }
        else if (domesticConfigured)
        {
            services.AddHttpClient(DomesticSmsClient.ProviderName)
                .AddTypedClient((http, sp) => new DomesticSmsClient(http, domestic, sp.GetRequiredService<TimeProvider>()))
                .ConfigureHttpClient(http => http.Timeout = domestic.RequestTimeout);
            services.AddTransient(sp => new SmsRouter([sp.GetRequiredService<DomesticSmsClient>()], new SmsRoutingOptions()));
        }

        var line = new LineOptions();
        config.GetSection(LineOptions.SectionName).Bind(line);
        services.AddSingleton(line);

        // One client for the app (singletons use it); pooled connections are renewed so DNS changes are seen.
        services.AddSingleton(_ => new LineClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = line.RequestTimeout },
            line));
        services.AddSingleton<LineQuota>();
        services.AddSingleton<LineAccountLinks>();
        services.AddSingleton<LineSender>();
        services.AddSingleton<LineWebhook>();

        var smsConfigured = domesticConfigured || (acsConfigured && acs.SmsFrom is not null);
        var emailConfigured = acsConfigured && acs.EmailSender is not null;
        services.AddSingleton<ISenderSelector>(sp => new ProviderSelector(
            sp.GetRequiredService<TenantDirectory>(),
            sp.GetRequiredService<DevSink>(),
            sp.GetRequiredService<LetterSender>(),
            options,
            smsConfigured ? sp.GetRequiredService<SmsRouter> : null,
            emailConfigured ? sp.GetRequiredService<AcsEmailClient> : null,
            acs.SmsFrom,
            sp.GetRequiredService<LineSender>(),
            sp.GetRequiredService<LineQuota>()));
        return services;
    }

    /// <summary>
    /// Typed HttpClients (IHttpClientFactory) with the ACS authentication handler chosen by <paramref name="acs"/>. The domestic
    /// provider is registered only when <paramref name="domestic"/> is given; the router sends SMS to whichever is registered.
    /// </summary>
    public static IServiceCollection AddPushGovSenders(
        this IServiceCollection services,
        AcsOptions acs,
        DomesticSmsOptions? domestic = null,
        SmsRoutingOptions? routing = null,
        TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(acs);
        services.TryAddSingleton(TimeProvider.System);

        // One credential for the app (it caches tokens); one authentication handler per pooled handler chain.
        if (acs.UseManagedIdentity)
        {
            credential ??= AcsHttp.CreateManagedIdentityCredential(acs);
        }

        services.AddHttpClient(AcsSmsClient.ProviderName)
            .AddTypedClient((http, sp) => new AcsSmsClient(http, acs, sp.GetRequiredService<TimeProvider>()))
            .ConfigureHttpClient(http => http.Timeout = acs.RequestTimeout)
            .AddHttpMessageHandler(sp => AcsHttp.CreateAuthenticationHandler(acs, sp.GetRequiredService<TimeProvider>(), credential));
        services.AddHttpClient(AcsEmailClient.ProviderName)
            .AddTypedClient((http, sp) => new AcsEmailClient(http, acs, sp.GetRequiredService<TimeProvider>()))
            .ConfigureHttpClient(http => http.Timeout = acs.RequestTimeout)
            .AddHttpMessageHandler(sp => AcsHttp.CreateAuthenticationHandler(acs, sp.GetRequiredService<TimeProvider>(), credential));

        if (domestic is not null)
        {
            services.AddHttpClient(DomesticSmsClient.ProviderName)
                .AddTypedClient((http, sp) => new DomesticSmsClient(http, domestic, sp.GetRequiredService<TimeProvider>()))
                .ConfigureHttpClient(http => http.Timeout = domestic.RequestTimeout);
        }

        var rules = routing ?? new SmsRoutingOptions();
        services.AddTransient(sp =>
        {
            var senders = new List<PushGov.Domain.Messaging.IMessageSender> { sp.GetRequiredService<AcsSmsClient>() };
            if (domestic is not null)
            {
                senders.Add(sp.GetRequiredService<DomesticSmsClient>());
            }

            return new SmsRouter(senders, rules);
        });

        return services;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Uri? Url(string? value) => Text(value) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
}
