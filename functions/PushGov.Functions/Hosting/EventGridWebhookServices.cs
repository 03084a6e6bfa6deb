using PushGov.Functions.Contract;

namespace PushGov.Functions.Hosting;

/// <summary>
/// Who may post to <c>POST /api/events/acs</c>: <c>PushGov:EventGrid</c> (<see cref="EventGridWebhookOptions"/>): <c>Secret</c>
/// (a Key Vault reference; the subscription sends it as a secret delivery attribute header), and/or <c>EntraTenantId</c>
/// with <c>EntraAudience</c>. None: the route refuses everything. Sending itself is registered in Infrastructure
/// (<see cref="Infrastructure.Notifications.Sending.SenderServiceCollectionExtensions.AddPushGovSending"/>).
/// </summary>
public static class EventGridWebhookServices
{
    public static IServiceCollection AddPushGovEventGridWebhook(this IServiceCollection services, IConfiguration config)
    {
        var eventGrid = new EventGridWebhookOptions();
        config.GetSection(EventGridWebhookOptions.Section).Bind(eventGrid);
        services.AddSingleton(eventGrid);
        if (eventGrid.EntraConfigured)
        {
            services.AddSingleton(_ => EventGridSigningKeys.ForTenant(eventGrid.EntraTenantId!.Trim()));
        }

        services.AddSingleton(sp => new EventGridWebhookAuth(eventGrid, sp.GetService<EventGridSigningKeys>()));
        return services;
    }
}
