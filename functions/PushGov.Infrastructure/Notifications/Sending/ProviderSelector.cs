using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Pacing;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;
using PushGov.Infrastructure.Notifications.Providers.Letters;
using PushGov.Infrastructure.Notifications.Providers.Line;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Infrastructure.Notifications.Sending;

/// <summary>Send-rate limits per provider, and where one-click unsubscribe requests go.</summary>
public sealed class SendingOptions
{
    public const string SectionName = "PushGov:Sending";

    /// <summary>ACS SMS: 200 a minute per sending number (toll-free default).</summary>
    public IList<RateLimitRule> AcsSms { get; init; } = [RateLimitRule.PerMinute(200)];

    /// <summary>The domestic aggregator: 200 a minute unless the contract says otherwise.</summary>
    public IList<RateLimitRule> DomesticSms { get; init; } = [RateLimitRule.PerMinute(200)];

    /// <summary>ACS e-mail on a custom domain: 30 a minute and 100 an hour (the default quota).</summary>
    public IList<RateLimitRule> AcsEmail { get; init; } = [RateLimitRule.PerMinute(30), RateLimitRule.PerHour(100)];

    /// <summary>
    /// LINE push: 2,000 requests a second per channel (developers.line.biz/en/reference/messaging-api/#rate-limits,
    /// "other API endpoints"), kept per tenant's channel. With the pacer's grace this is 2,000 in any 4 s in practice.
    /// </summary>
    public IList<RateLimitRule> Line { get; init; } = [new RateLimitRule(2000, TimeSpan.FromSeconds(1))];

    /// <summary>
    /// The public base URL of this app (<c>https://func-….azurewebsites.net</c>): the List-Unsubscribe header then points
    /// at <c>{base}/api/unsubscribe/{messageId}</c>, which mail providers POST to directly. Null: the portal's
    /// <c>{PortalBaseUrl}/unsubscribe/{messageId}</c> (the link in the body), which must forward the POST here.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// How long a message may sit in 'created' or 'sending' without a provider id before the sweep (every minute) queues it
    /// again: a crash after the claim leaves it so. Setting <c>PushGov:Sending:StuckAfter</c>. Longer than a provider request
    /// may take (30 s), and short enough that the repeat, which keeps the first attempt's time, reaches ACS within its
    /// 5-minute repeatability window: later, ACS answers 412 and the message becomes a technical failure although its
    /// first attempt may never have left.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(3);

    public IList<RateLimitRule> RulesFor(string provider) => provider switch
    {
        AcsSmsClient.ProviderName => AcsSms,
        DomesticSmsClient.ProviderName => DomesticSms,
        AcsEmailClient.ProviderName => AcsEmail,
        LineSender.ProviderName => Line,
        _ => [],
    };
}

/// <summary>
/// The real <see cref="ISenderSelector"/>. Per tenant: not live (<c>LiveSending=false</c>) or a test-key message → the
/// development sink, unpaced. Otherwise SMS → <see cref="SmsRouter"/> (the row records the provider the number routes to),
/// quiet hours of the tenant, the provider's rate per sending number; e-mail → <see cref="AcsEmailClient"/> with the RFC 8058
/// unsubscribe URL, ACS's rate; LINE → <see cref="LineSender"/> while the tenant's channel is connected and its monthly quota
/// not nearly spent (<see cref="LineQuota"/>; otherwise LINE is stopped: <see cref="SendRoute.Stopped"/>, the message moves
/// to the resident's next channel), LINE's per-channel rate; post → <see cref="LetterSender"/>. Every live message counts against the tenant's daily
/// cap. A channel without a configured provider is refused ("no provider configured for channel X"): the message fails
/// permanently and the case is told; it never goes to the sink instead.
/// </summary>
public sealed class ProviderSelector(
    TenantDirectory tenants,
    DevSink sink,
    LetterSender letters,
    SendingOptions options,
    Func<SmsRouter>? sms = null,
    Func<AcsEmailClient>? email = null,
    string? acsSmsFrom = null,
    LineSender? line = null,
    LineQuota? lineQuota = null) : ISenderSelector
{
    public async ValueTask<SendRoute> RouteAsync(MessageRecord message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var tenant = await tenants.FindAsync(message.Tenant, ct);
        if (tenant is null || !tenant.LiveSending || message.TestMode)
        {
            return new SendRoute(sink, sink.Provider);
        }

        var cap = tenant.DailyCap > 0 ? tenant.DailyCap : (int?)null;
        switch (message.Channel)
        {
            case Channel.Sms:
                if (sms is null)
                {
                    return SendRoute.Refuse("none", "no provider configured for channel Sms");
                }

                var router = sms();
                var provider = router.ProviderFor(message.Tenant, message.To);
                if (provider is null || router.Route(message.ToOutgoing()) is null)
                {
                    return SendRoute.Refuse(provider ?? "none", provider is null
                        ? "no SMS route for this destination"
                        : $"no provider configured for channel Sms (route '{provider}' is not set up)");
                }

                if (provider == AcsSmsClient.ProviderName && string.IsNullOrEmpty(acsSmsFrom))
                {
                    return SendRoute.Refuse(provider, "no provider configured for channel Sms (ACS has no SmsFrom)");
                }

                var quiet = new QuietHours(tenant.QuietHoursStart, tenant.QuietHoursEnd);
                var rateKey = provider == AcsSmsClient.ProviderName ? $"sms|{provider}|{acsSmsFrom}" : $"sms|{provider}";
                return new SendRoute(router, provider, new SendPacing(quiet, rateKey, [.. options.RulesFor(provider)], tenant.Code, cap));

            case Channel.Email:
                if (email is null)
                {
                    return SendRoute.Refuse("none", "no provider configured for channel Email");
                }

                var unsubscribe = options.PublicBaseUrl is { } api
                    ? new Uri(new Uri(api.AbsoluteUri.TrimEnd('/') + "/"), $"api/unsubscribe/{Uri.EscapeDataString(message.MessageId)}")
                    : new Uri(new Uri(tenant.PortalBaseUrl.TrimEnd('/') + "/"), $"unsubscribe/{Uri.EscapeDataString(message.MessageId)}");
                return new SendRoute(
                    email(),
                    AcsEmailClient.ProviderName,
                    new SendPacing(null, "email|" + AcsEmailClient.ProviderName, [.. options.AcsEmail], tenant.Code, cap),
                    unsubscribe.AbsoluteUri);

            case Channel.Post:
                return new SendRoute(letters, letters.Provider, new SendPacing(null, null, [], tenant.Code, cap));

            case Channel.Line:
                if (line is null || lineQuota is null)
                {
                    return SendRoute.Refuse(LineSender.ProviderName, "no provider configured for channel Line");
                }

                if (!await lineQuota.IsAvailableAsync(tenant, ct))
                {
                    var state = await lineQuota.StateAsync(tenant, refresh: false, ct);
                    return SendRoute.Stopped(LineSender.ProviderName, $"LINE not available: {state.Reason}");
                }

                return new SendRoute(line, LineSender.ProviderName, new SendPacing(null, $"line|{tenant.Code}", [.. options.Line], tenant.Code, cap));

            default:
                return SendRoute.Refuse("none", $"no provider configured for channel {message.Channel}");
        }
    }
}
