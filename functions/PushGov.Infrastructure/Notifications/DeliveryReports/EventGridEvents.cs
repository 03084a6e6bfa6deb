using System.Globalization;
using System.Text;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;

namespace PushGov.Infrastructure.Notifications.DeliveryReports;

/// <summary>
/// One event of an Event Grid delivery (EventGridEvent schema), as PushGov needs it: <see cref="EventGridParser"/> reads
/// the SDK's system event types into these, so callers see mapped statuses and no Azure SDK types. Records that
/// hold phone numbers or e-mail addresses mask them in <c>ToString()</c>, so logging an event does not leak them.
/// </summary>
public abstract record EventGridNotification(string Id, string EventType, string? Subject, DateTimeOffset? EventTime);

/// <summary><c>Microsoft.EventGrid.SubscriptionValidationEvent</c>: answer <c>{"validationResponse": code}</c>.</summary>
public sealed record SubscriptionValidation(string Id, string EventType, string? Subject, DateTimeOffset? EventTime, string ValidationCode, string? ValidationUrl)
    : EventGridNotification(Id, EventType, Subject, EventTime);

/// <summary>One delivery attempt inside an SMS delivery report.</summary>
public sealed record SmsDeliveryAttempt(DateTimeOffset? Timestamp, int SegmentsSucceeded, int SegmentsFailed);

/// <summary><c>Microsoft.Communication.SMSDeliveryReportReceived</c>; <see cref="MessageId"/> is the provider's id of the send.</summary>
public sealed record SmsDeliveryReport(
    string Id,
    string EventType,
    string? Subject,
    DateTimeOffset? EventTime,
    string MessageId,
    string From,
    string To,
    string DeliveryStatus,
    string? DeliveryStatusDetails,
    IReadOnlyList<SmsDeliveryAttempt> DeliveryAttempts,
    DateTimeOffset? ReceivedTimestamp)
    : EventGridNotification(Id, EventType, Subject, EventTime)
{
    public NotificationStatus? MessageStatus => ProviderStatusMap.Lookup(ProviderAnswerSource.AcsSmsDeliveryReport, DeliveryStatus);

    public override string ToString() =>
        $"SmsDeliveryReport {{ MessageId = {MessageId}, To = {Masking.Mask(To)}, DeliveryStatus = {DeliveryStatus} }}";
}

/// <summary><c>Microsoft.Communication.EmailDeliveryReportReceived</c>. <see cref="MessageId"/> is the send operation id.</summary>
public sealed record EmailDeliveryReport(
    string Id,
    string EventType,
    string? Subject,
    DateTimeOffset? EventTime,
    string MessageId,
    string Sender,
    string Recipient,
    string Status,
    string? StatusMessage,
    DateTimeOffset? DeliveryAttemptTimestamp)
    : EventGridNotification(Id, EventType, Subject, EventTime)
{
    public NotificationStatus? MessageStatus => ProviderStatusMap.Lookup(ProviderAnswerSource.AcsEmailDeliveryReport, Status);

    public override string ToString() =>
        $"EmailDeliveryReport {{ MessageId = {MessageId}, Recipient = {Masking.Mask(Recipient)}, Status = {Status} }}";
}

/// <summary><c>Microsoft.Communication.SMSReceived</c>: an inbound SMS, looked at for opt-out (STOP, 配信停止) and opt-in words.</summary>
public sealed record SmsReceived(
    string Id,
    string EventType,
    string? Subject,
    DateTimeOffset? EventTime,
    string MessageId,
    string From,
    string To,
    string Message,
    DateTimeOffset? ReceivedTimestamp)
    : EventGridNotification(Id, EventType, Subject, EventTime)
{
    // The words carriers and ACS treat as opt-out/opt-in, and their Japanese counterparts.
    private static readonly HashSet<string> OptOutWords = new(StringComparer.Ordinal)
    {
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "配信停止", "停止", "配信解除", "解除", "ていし", "はいしんていし",
    };

    private static readonly HashSet<string> OptInWords = new(StringComparer.Ordinal)
    {
        "START", "UNSTOP", "配信再開", "再開",
    };

    /// <summary>The whole message is an opt-out word (width, case, spaces and trailing punctuation ignored: "ｓｔｏｐ。" counts).</summary>
    public bool IsOptOut => OptOutWords.Contains(Keyword(Message));

    public bool IsOptIn => OptInWords.Contains(Keyword(Message));

    public override string ToString() =>
        $"SmsReceived {{ MessageId = {MessageId}, From = {Masking.Mask(From)}, Length = {Message.Length}, IsOptOut = {IsOptOut} }}";

    private static string Keyword(string message)
    {
        var folded = message.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (!char.IsWhiteSpace(c) && category is not (UnicodeCategory.OtherPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

/// <summary>Any other event type: kept so the caller can log its type and id, and acknowledge it.</summary>
public sealed record UnknownEvent(string Id, string EventType, string? Subject, DateTimeOffset? EventTime)
    : EventGridNotification(Id, EventType, Subject, EventTime);
