namespace PushGov.Domain.Messaging.Statuses;

/// <summary>
/// The status of one outgoing message, as GOV.UK Notify names them. A message starts <see cref="Created"/>, becomes
/// <see cref="Sending"/> once a provider has accepted it, and ends in one of the completed statuses.
/// </summary>
public enum NotificationStatus
{
    /// <summary>Rendered and stored; not yet accepted by a provider (also: waiting for a retry).</summary>
    Created,

    /// <summary>A provider has accepted it; the delivery report has not come yet.</summary>
    Sending,

    /// <summary>The provider reports it delivered to the handset or the recipient's mail server.</summary>
    Delivered,

    /// <summary>The recipient could not be reached for now (phone off, inbox full, message expired at the carrier).</summary>
    TemporaryFailure,

    /// <summary>The address will never work (no such number or mailbox, bounced, suppressed, blocked as spam).</summary>
    PermanentFailure,

    /// <summary>Our side or the provider's failed (configuration, credentials, retries exhausted); not the recipient's fault.</summary>
    TechnicalFailure,

    /// <summary>Withdrawn before it was sent (the case closed, consent withdrawn).</summary>
    Cancelled,
}

/// <summary>
/// Named groups of statuses and their wire names ("temporary-failure", …). Like GOV.UK Notify, every failure is final:
/// temporary-failure is the provider's verdict (phone off until the carrier gave up, mailbox full), not a retry of
/// ours. A send that is to be tried again stays <see cref="NotificationStatus.Created"/> with a later NotBefore
/// (<see cref="RetryPolicy"/>). Code uses the enum; only the storage and API edges use the wire names.
/// </summary>
public static class NotificationStatuses
{
    /// <summary>Failed, in any way: what a fallback to another channel or to staff looks at.</summary>
    public static readonly IReadOnlySet<NotificationStatus> Failed = new HashSet<NotificationStatus>
    {
        NotificationStatus.TemporaryFailure,
        NotificationStatus.PermanentFailure,
        NotificationStatus.TechnicalFailure,
    };

    /// <summary>Nothing more will happen to the message: a report arriving later for it is recorded but changes nothing.</summary>
    public static readonly IReadOnlySet<NotificationStatus> Final = new HashSet<NotificationStatus>
    {
        NotificationStatus.Delivered,
        NotificationStatus.TemporaryFailure,
        NotificationStatus.PermanentFailure,
        NotificationStatus.TechnicalFailure,
        NotificationStatus.Cancelled,
    };

    /// <summary>Still on its way: a sweep looks for messages left here too long.</summary>
    public static readonly IReadOnlySet<NotificationStatus> InFlight = new HashSet<NotificationStatus>
    {
        NotificationStatus.Created,
        NotificationStatus.Sending,
    };

    public static bool IsFailed(this NotificationStatus status) => Failed.Contains(status);

    public static bool IsFinal(this NotificationStatus status) => Final.Contains(status);

    public static bool IsInFlight(this NotificationStatus status) => InFlight.Contains(status);

    /// <summary>Not yet accepted by a provider: the sender may (still) send it, and withdrawing consent cancels it.</summary>
    public static bool CanSend(this NotificationStatus status) => status == NotificationStatus.Created;

    /// <summary>The wire name: <c>created</c>, <c>sending</c>, <c>delivered</c>, <c>temporary-failure</c>, <c>permanent-failure</c>, <c>technical-failure</c>, <c>cancelled</c>.</summary>
    public static string ToWireName(this NotificationStatus status) => status switch
    {
        NotificationStatus.Created => "created",
        NotificationStatus.Sending => "sending",
        NotificationStatus.Delivered => "delivered",
        NotificationStatus.TemporaryFailure => "temporary-failure",
        NotificationStatus.PermanentFailure => "permanent-failure",
        NotificationStatus.TechnicalFailure => "technical-failure",
        NotificationStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown status."),
    };

    public static bool TryParseWireName(string? value, out NotificationStatus status)
    {
        foreach (var candidate in Enum.GetValues<NotificationStatus>())
        {
            if (string.Equals(candidate.ToWireName(), value, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>The status a stored wire name stands for; a name no status has is corrupt data.</summary>
    public static NotificationStatus ParseWireName(string? value) =>
        TryParseWireName(value, out var status) ? status : throw new FormatException($"'{value}' is not a message status.");
}
