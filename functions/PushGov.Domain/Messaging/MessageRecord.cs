using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Messaging;

/// <summary>A message as stored: what was rendered, to whom, and where it stands.</summary>
public sealed record MessageRecord
{
    public required string Tenant { get; init; }

    public required string MessageId { get; init; }

    public required string CaseId { get; init; }

    public required string ResidentId { get; init; }

    public required Channel Channel { get; init; }

    /// <summary>Phone, e-mail or postal address: personal data, never logged in clear.</summary>
    public required string To { get; init; }

    public required string Language { get; init; }

    public required IReadOnlyList<string> ServiceIds { get; init; }

    public required string Purpose { get; init; }

    public string? Subject { get; init; }

    public required string Text { get; init; }

    public string? Html { get; init; }

    /// <summary>LINE: the label of the button under the text, and the page it opens (the case page); null for other channels.</summary>
    public string? ActionLabel { get; init; }

    public string? ActionUrl { get; init; }

    public required string TemplateVersion { get; init; }

    public required NotificationStatus Status { get; init; }

    public int Attempts { get; init; }

    public string? Provider { get; init; }

    public string? ProviderMessageId { get; init; }

    /// <summary>Not to be sent before this time (quiet hours, pacing, Retry-After).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    public string? LastError { get; init; }

    /// <summary>True when the tenant's key was a test key: the message only ever goes to the development sink.</summary>
    public bool TestMode { get; init; }

    /// <summary>
    /// When the first send attempt was made: kept across retries and passed to the provider (ACS repeatabilityFirstSent
    /// must be the same on every retry of one request; letters are filed under this day).
    /// </summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }

    /// <summary>The send slot the pacer reserved for this message (provider limits, daily cap); null when none is held.</summary>
    public DateTimeOffset? PacedFor { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// A new message, not yet sent, for one delivery of case <paramref name="caseId"/> as composed: the one place a
    /// delivery and its rendering become a stored message (a case's own messages and a staff resend alike).
    /// </summary>
    public static MessageRecord Created(string tenant, string caseId, Delivery delivery, ComposedMessage composed, bool testMode, DateTimeOffset now) => new()
    {
        Tenant = tenant,
        MessageId = delivery.MessageId,
        CaseId = caseId,
        ResidentId = delivery.ResidentId,
        Channel = delivery.Channel,
        To = delivery.Address,
        Language = composed.Language,
        ServiceIds = delivery.ServiceIds,
        Purpose = delivery.Purpose,
        Subject = composed.Subject,
        Text = composed.Text,
        Html = composed.Html,
        ActionLabel = composed.ActionLabel,
        ActionUrl = composed.ActionUrl,
        TemplateVersion = composed.TemplateVersion,
        Status = NotificationStatus.Created,
        TestMode = testMode,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public OutgoingMessage ToOutgoing() => new()
    {
        Tenant = Tenant,
        MessageId = MessageId,
        IdempotencyKey = MessageId,
        Channel = Channel,
        To = To,
        Subject = Subject,
        TextBody = Text,
        HtmlBody = Html,
        ActionLabel = ActionLabel,
        ActionUrl = ActionUrl,
        Language = Language,
        TemplateVersion = TemplateVersion,
        FirstAttemptAt = FirstAttemptAt,
    };
}
