using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;

namespace PushGov.Infrastructure.Notifications.Sending;

/// <summary>Registers the provider adapters: <see cref="AcsSmsClient"/>, <see cref="AcsEmailClient"/>, <see cref="DomesticSmsClient"/> and <see cref="SmsRouter"/>.</summary>
public static class SenderServiceCollectionExtensions
{
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
}
