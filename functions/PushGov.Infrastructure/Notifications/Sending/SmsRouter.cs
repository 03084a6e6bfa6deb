using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;

namespace PushGov.Infrastructure.Notifications.Sending;

/// <summary>One routing rule: destinations starting with <see cref="Prefix"/> (E.164, "+81") go to <see cref="Provider"/>.</summary>
public sealed record SmsRoute(string Prefix, string Provider);

/// <summary>
/// SMS routing (configuration section <c>SmsRouting</c>). The longest matching prefix wins; a tenant's own rules are
/// looked at before the default ones. Default: Japan (+81) through the domestic aggregator, because ACS cannot send
/// SMS to Japanese numbers; every other E.164 destination through ACS SMS.
/// </summary>
public sealed class SmsRoutingOptions
{
    public const string SectionName = "SmsRouting";

    public IList<SmsRoute> Routes { get; init; } =
    [
        new("+81", DomesticSmsClient.ProviderName),
        new("+", Providers.Acs.AcsSmsClient.ProviderName),
    ];

    /// <summary>Per tenant (local government code) rules, e.g. a city whose contract uses another aggregator.</summary>
    public IDictionary<string, IList<SmsRoute>> Tenants { get; init; } = new Dictionary<string, IList<SmsRoute>>(StringComparer.Ordinal);
}

/// <summary>
/// Sends an SMS through the provider its destination routes to. <see cref="Route"/> tells the caller which provider
/// that is, so the message row records the real provider ("domestic-sms", "acs-sms"), not the router.
/// No route, or a route to a provider that is not registered: PermanentFailure (no personal data in the detail).
/// </summary>
public sealed class SmsRouter : IMessageSender
{
    public const string ProviderName = "sms-router";

    private readonly Dictionary<string, IMessageSender> senders;
    private readonly SmsRoutingOptions options;

    public SmsRouter(IEnumerable<IMessageSender> senders, SmsRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(senders);
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.senders = senders.Where(s => s is not SmsRouter).ToDictionary(s => s.Provider, StringComparer.Ordinal);
    }

    public string Provider => ProviderName;

    /// <summary>The provider name a destination routes to for a tenant, or null.</summary>
    public string? ProviderFor(string tenant, string to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var destination = Normalize(to);
        if (!destination.StartsWith('+'))
        {
            return null;
        }

        if (options.Tenants.TryGetValue(tenant, out var tenantRoutes) && Longest(tenantRoutes, destination) is { } own)
        {
            return own.Provider;
        }

        return Longest(options.Routes, destination)?.Provider;
    }

    /// <summary>The sender a message goes to, or null when there is none.</summary>
    public IMessageSender? Route(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ProviderFor(message.Tenant, message.To) is { } name && senders.TryGetValue(name, out var sender) ? sender : null;
    }

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel.Sms)
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: channel {message.Channel} is not SMS"));
        }

        var sender = Route(message);
        if (sender is null)
        {
            var name = ProviderFor(message.Tenant, message.To);
            var country = CountryHint(message.To);
            return Task.FromResult(new SendResult(
                SendOutcome.PermanentFailure,
                Detail: name is null ? $"{ProviderName}: no SMS route for {country}" : $"{ProviderName}: route to '{name}' but no such provider is registered"));
        }

        var routed = message.To == Normalize(message.To) ? message : message with { To = Normalize(message.To) };
        return sender.SendAsync(routed, cancellationToken);
    }

    private static SmsRoute? Longest(IEnumerable<SmsRoute> routes, string destination) =>
        routes.Where(r => destination.StartsWith(r.Prefix, StringComparison.Ordinal)).MaxBy(r => r.Prefix.Length);

    /// <summary>"+81 90-1234-5678" → "+819012345678": spaces, hyphens, dots and brackets dropped.</summary>
    private static string Normalize(string to) =>
        string.Concat(to.Where(c => c is not (' ' or '-' or '.' or '(' or ')'))).Trim();

    /// <summary>Just the first three characters ("+81", "+44"), enough to tell a route without the number.</summary>
    private static string CountryHint(string to)
    {
        var n = Normalize(to);
        return n.StartsWith('+') && n.Length > 3 ? $"destination {n[..3]}…" : "a destination not in E.164 form";
    }
}
