namespace PushGov.Infrastructure.Notifications.Providers.Line;

/// <summary>
/// LINE Messaging API settings (configuration section <c>PushGov:Line</c>; app settings with <c>__</c> for <c>:</c>):
/// <list type="bullet">
/// <item><c>PushGov__Line__BaseUrl</c>: default <c>https://api.line.me</c> (tests point it at a fake).</item>
/// <item><c>PushGov__Line__Tenants__{tenant}__ChannelAccessToken</c>: the long-lived channel access token of the
/// municipality's Messaging API channel (Key Vault secret <c>line-{tenant}-channel-access-token</c>).</item>
/// <item><c>PushGov__Line__Tenants__{tenant}__ChannelSecret</c>: the channel secret, which signs webhooks (Key Vault
/// secret <c>line-{tenant}-channel-secret</c>).</item>
/// </list>
/// A tenant without both is not connected to LINE: the channel is skipped for its residents. Secrets are never logged.
/// </summary>
public sealed class LineOptions
{
    public const string SectionName = "PushGov:Line";

    public Uri BaseUrl { get; set; } = new("https://api.line.me/");

    public IDictionary<string, LineChannelOptions> Tenants { get; init; } = new Dictionary<string, LineChannelOptions>(StringComparer.Ordinal);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The tenant's channel when both its token and its secret are set; otherwise null.</summary>
    public LineChannelOptions? For(string tenant) =>
        Tenants.TryGetValue(tenant, out var channel) && !string.IsNullOrWhiteSpace(channel.ChannelAccessToken) && !string.IsNullOrWhiteSpace(channel.ChannelSecret)
            ? channel
            : null;
}

/// <summary>One municipality's LINE official account (its Messaging API channel).</summary>
public sealed class LineChannelOptions
{
    public string? ChannelAccessToken { get; set; }

    public string? ChannelSecret { get; set; }

    public override string ToString() => "(LINE channel credentials)";
}
