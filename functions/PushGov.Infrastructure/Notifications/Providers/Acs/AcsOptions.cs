namespace PushGov.Infrastructure.Notifications.Providers.Acs;

/// <summary>
/// Azure Communication Services settings (configuration section <c>Acs</c>). Authentication is either an access key
/// (HMAC-SHA256 request signing; from <see cref="ConnectionString"/> or <see cref="Endpoint"/> + <see cref="AccessKey"/>)
/// or Microsoft Entra ID (<see cref="UseManagedIdentity"/>: a managed identity in Azure). The API versions are pinned
/// here, as the Azure SDK's client options pin a service version.
/// </summary>
public sealed class AcsOptions
{
    public const string SectionName = "Acs";

    /// <summary><c>endpoint=…;accesskey=…</c>; when set, it wins over <see cref="Endpoint"/> and <see cref="AccessKey"/>.</summary>
    public string? ConnectionString { get; set; }

    public Uri? Endpoint { get; set; }

    /// <summary>The resource's access key (base64). Secret: from Key Vault, never logged.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Use Entra ID (managed identity) instead of the access key.</summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>A user-assigned managed identity's client id; null: the system-assigned identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The ACS phone number (E.164) or alphanumeric sender id SMS are sent from.</summary>
    public string? SmsFrom { get; set; }

    /// <summary>The verified sender address e-mail is sent from (<c>DoNotReply@…azurecomm.net</c> or a custom domain).</summary>
    public string? EmailSender { get; set; }

    public string SmsApiVersion { get; set; } = "2021-03-07";

    public string EmailApiVersion { get; set; } = "2023-03-31";

    /// <summary>Ask ACS for SMS delivery reports (they come back through Event Grid).</summary>
    public bool EnableSmsDeliveryReport { get; set; } = true;

    /// <summary>ACS e-mail open/click tracking; off: a municipality does not track residents.</summary>
    public bool EmailEngagementTrackingDisabled { get; set; } = true;

    /// <summary>How long one request may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The endpoint (ending in '/') and the access key (null with managed identity).</summary>
    public (Uri Endpoint, string? AccessKey) Resolve()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            var parsed = AcsConnectionString.Parse(ConnectionString);
            return (parsed.Endpoint, UseManagedIdentity ? null : parsed.AccessKey);
        }

        if (Endpoint is null)
        {
            throw new InvalidOperationException("Acs: set ConnectionString, or Endpoint with AccessKey or UseManagedIdentity.");
        }

        if (!UseManagedIdentity && string.IsNullOrEmpty(AccessKey))
        {
            throw new InvalidOperationException("Acs: AccessKey is required unless UseManagedIdentity is true.");
        }

        return (NormalizeEndpoint(Endpoint), UseManagedIdentity ? null : AccessKey);
    }

    internal static Uri NormalizeEndpoint(Uri endpoint) =>
        endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
}
