namespace PushGov.Domain.Messaging.Statuses;

/// <summary>Where a provider answer came from: the key's first half in <see cref="ProviderStatusMap"/>.</summary>
public enum ProviderAnswerSource
{
    /// <summary>ACS SMS send (POST /sms): the HTTP status of the request, or of one recipient in its 202 body.</summary>
    AcsSmsSend,

    /// <summary>ACS SMS delivery report, Event Grid <c>Microsoft.Communication.SMSDeliveryReportReceived</c>, <c>data.deliveryStatus</c>.</summary>
    AcsSmsDeliveryReport,

    /// <summary>ACS Email send (POST /emails:send): the HTTP status of the request.</summary>
    AcsEmailSend,

    /// <summary>ACS Email send operation (GET /emails/operations/{id}): <c>status</c>.</summary>
    AcsEmailOperation,

    /// <summary>ACS Email delivery report, Event Grid <c>Microsoft.Communication.EmailDeliveryReportReceived</c>, <c>data.status</c>.</summary>
    AcsEmailDeliveryReport,

    /// <summary>PushGov's domestic SMS provider contract: the HTTP status of the send request.</summary>
    DomesticSmsSend,

    /// <summary>PushGov's domestic SMS provider contract: <c>status</c> in a delivery callback.</summary>
    DomesticSmsCallback,

    /// <summary>LINE Messaging API push (POST /v2/bot/message/push): the HTTP status. LINE has no delivery report.</summary>
    LinePush,
}

/// <summary>
/// Maps every answer a provider can give to one <see cref="NotificationStatus"/>: ONE table, read top to bottom.
/// Answers are matched without regard to case. An answer missing from the table maps to null: the caller keeps the
/// status it has and records the raw answer (a new provider value should be added here, not guessed at elsewhere).
/// HTTP answers are written as their status code ("202", "429", "5xx" for any 500–599, "timeout" for no answer).
/// "Created" for a send answer means "not sent yet, retry": the retry policy turns it into technical-failure once the
/// attempts are used up (<see cref="RetryPolicy"/>).
/// </summary>
public static class ProviderStatusMap
{
    private static readonly Row[] Table =
    [
        // ── ACS SMS send, POST {endpoint}/sms?api-version=2021-03-07 (docs: learn.microsoft.com/rest/api/communication/sms/send)
        new(ProviderAnswerSource.AcsSmsSend, "202", NotificationStatus.Sending, "accepted; the 202 body says per recipient"),
        new(ProviderAnswerSource.AcsSmsSend, "recipient-failed", NotificationStatus.PermanentFailure, "202 but successful=false for the recipient (bad or unsupported number)"),
        new(ProviderAnswerSource.AcsSmsSend, "400", NotificationStatus.TechnicalFailure, "our request is malformed: a bug, not the resident's number"),
        new(ProviderAnswerSource.AcsSmsSend, "401", NotificationStatus.TechnicalFailure, "wrong access key or token: configuration"),
        new(ProviderAnswerSource.AcsSmsSend, "403", NotificationStatus.TechnicalFailure, "sender number not allowed for this resource or destination"),
        new(ProviderAnswerSource.AcsSmsSend, "404", NotificationStatus.TechnicalFailure, "wrong endpoint or API version"),
        new(ProviderAnswerSource.AcsSmsSend, "412", NotificationStatus.TechnicalFailure, "repeatabilityFirstSent outside the provider's window: outcome of the first try unknown, do not resend blindly"),
        new(ProviderAnswerSource.AcsSmsSend, "429", NotificationStatus.Created, "throttled: retry after Retry-After"),
        new(ProviderAnswerSource.AcsSmsSend, "5xx", NotificationStatus.Created, "provider error: retry with backoff"),
        new(ProviderAnswerSource.AcsSmsSend, "timeout", NotificationStatus.Created, "no answer or connection refused: retry with backoff (repeatability id makes it safe)"),

        // ── ACS SMS delivery report (docs: learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events;
        //    "Possible values for DeliveryStatus are Delivered and Failed")
        new(ProviderAnswerSource.AcsSmsDeliveryReport, "Delivered", NotificationStatus.Delivered, "handset confirmed"),
        new(ProviderAnswerSource.AcsSmsDeliveryReport, "Failed", NotificationStatus.PermanentFailure, "carrier gave up; deliveryStatusDetails says why. No re-send: the case falls back to another channel"),

        // ── ACS Email send, POST {endpoint}/emails:send?api-version=2023-03-31
        new(ProviderAnswerSource.AcsEmailSend, "202", NotificationStatus.Sending, "operation started; poll it or wait for the delivery report"),
        new(ProviderAnswerSource.AcsEmailSend, "400", NotificationStatus.TechnicalFailure, "malformed request or sender address not verified for the domain"),
        new(ProviderAnswerSource.AcsEmailSend, "401", NotificationStatus.TechnicalFailure, "wrong access key or token"),
        new(ProviderAnswerSource.AcsEmailSend, "403", NotificationStatus.TechnicalFailure, "not allowed"),
        new(ProviderAnswerSource.AcsEmailSend, "404", NotificationStatus.TechnicalFailure, "wrong endpoint or API version"),
        new(ProviderAnswerSource.AcsEmailSend, "429", NotificationStatus.Created, "throttled: retry after Retry-After"),
        new(ProviderAnswerSource.AcsEmailSend, "5xx", NotificationStatus.Created, "provider error: retry with backoff"),
        new(ProviderAnswerSource.AcsEmailSend, "timeout", NotificationStatus.Created, "no answer: retry; the same Operation-Id makes it safe"),

        // ── ACS Email operation status, GET {endpoint}/emails/operations/{id}
        new(ProviderAnswerSource.AcsEmailOperation, "NotStarted", NotificationStatus.Sending, "queued at ACS"),
        new(ProviderAnswerSource.AcsEmailOperation, "Running", NotificationStatus.Sending, "being sent"),
        new(ProviderAnswerSource.AcsEmailOperation, "Succeeded", NotificationStatus.Sending, "handed to mail delivery; the delivery report says delivered or not"),
        new(ProviderAnswerSource.AcsEmailOperation, "Failed", NotificationStatus.TechnicalFailure, "ACS could not send it (error.code says why)"),
        new(ProviderAnswerSource.AcsEmailOperation, "Canceled", NotificationStatus.Cancelled, "cancelled at ACS"),

        // ── ACS Email delivery report (docs: learn.microsoft.com/azure/event-grid/communication-services-email-events)
        new(ProviderAnswerSource.AcsEmailDeliveryReport, "Delivered", NotificationStatus.Delivered, "handed to the recipient's mail server"),
        new(ProviderAnswerSource.AcsEmailDeliveryReport, "Expanded", NotificationStatus.Sending, "a distribution list was expanded; each member reports on its own"),
        new(ProviderAnswerSource.AcsEmailDeliveryReport, "Suppressed", NotificationStatus.PermanentFailure, "the address hard-bounced before and is on the suppression list"),
        new(ProviderAnswerSource.AcsEmailDeliveryReport, "Bounced", NotificationStatus.PermanentFailure, "hard bounce: no such mailbox or domain"),
        new(ProviderAnswerSource.AcsEmailDeliveryReport, "Quarantined", NotificationStatus.PermanentFailure, "held as spam, bulk or phishing at the recipient"),
        new(ProviderAnswerSource.AcsEmailDeliveryReport, "FilteredSpam", NotificationStatus.PermanentFailure, "rejected as spam"),
        new(ProviderAnswerSource.AcsEmailDeliveryReport, "Expired", NotificationStatus.TemporaryFailure, "could not be delivered in time (mailbox full, server down)"),
        new(ProviderAnswerSource.AcsEmailDeliveryReport, "Failed", NotificationStatus.PermanentFailure, "not delivered; deliveryStatusDetails.statusMessage says why"),

        // ── Domestic SMS provider (PushGov's contract, see Infrastructure/Notifications/Providers/DomesticSms/DomesticSmsClient.cs)
        new(ProviderAnswerSource.DomesticSmsSend, "200", NotificationStatus.Sending, "a repeat of an Idempotency-Key already accepted: same id back"),
        new(ProviderAnswerSource.DomesticSmsSend, "202", NotificationStatus.Sending, "accepted"),
        new(ProviderAnswerSource.DomesticSmsSend, "400", NotificationStatus.TechnicalFailure, "malformed request"),
        new(ProviderAnswerSource.DomesticSmsSend, "401", NotificationStatus.TechnicalFailure, "bad signature or secret"),
        new(ProviderAnswerSource.DomesticSmsSend, "403", NotificationStatus.TechnicalFailure, "account not allowed"),
        new(ProviderAnswerSource.DomesticSmsSend, "409", NotificationStatus.TechnicalFailure, "Idempotency-Key reused with a different body: a bug on our side"),
        new(ProviderAnswerSource.DomesticSmsSend, "422", NotificationStatus.PermanentFailure, "the number cannot receive SMS (landline, not a Japanese mobile)"),
        new(ProviderAnswerSource.DomesticSmsSend, "429", NotificationStatus.Created, "throttled: retry after Retry-After"),
        new(ProviderAnswerSource.DomesticSmsSend, "5xx", NotificationStatus.Created, "provider error: retry with backoff"),
        new(ProviderAnswerSource.DomesticSmsSend, "timeout", NotificationStatus.Created, "no answer: retry; the same Idempotency-Key makes it safe"),
        new(ProviderAnswerSource.DomesticSmsCallback, "queued", NotificationStatus.Sending, "at the aggregator"),
        new(ProviderAnswerSource.DomesticSmsCallback, "sent", NotificationStatus.Sending, "handed to the carrier"),
        new(ProviderAnswerSource.DomesticSmsCallback, "delivered", NotificationStatus.Delivered, "carrier confirmed delivery to the handset"),
        new(ProviderAnswerSource.DomesticSmsCallback, "expired", NotificationStatus.TemporaryFailure, "handset unreachable until the carrier's validity period ran out (電源OFF・圏外)"),
        new(ProviderAnswerSource.DomesticSmsCallback, "undeliverable", NotificationStatus.PermanentFailure, "no such subscriber, or SMS refused by the recipient's settings (迷惑SMS拒否)"),
        new(ProviderAnswerSource.DomesticSmsCallback, "rejected", NotificationStatus.PermanentFailure, "the aggregator refused the destination"),
        new(ProviderAnswerSource.DomesticSmsCallback, "failed", NotificationStatus.TechnicalFailure, "aggregator or carrier system error"),

        // ── LINE Messaging API push (docs: developers.line.biz/en/reference/messaging-api/#send-push-message and
        //    /docs/messaging-api/retrying-api-request). Push has no delivery report: a 200 is as far as we can know.
        new(ProviderAnswerSource.LinePush, "200", NotificationStatus.Delivered, "taken by LINE and delivered to the user's chat (no delivery report exists; a user who blocked the account is not told apart)"),
        new(ProviderAnswerSource.LinePush, "409", NotificationStatus.Delivered, "X-Line-Retry-Key already accepted: the first attempt went out (x-line-accepted-request-id names it); not sent again"),
        new(ProviderAnswerSource.LinePush, "400", NotificationStatus.PermanentFailure, "invalid request or user id: not retried, the case falls to another channel or staff"),
        new(ProviderAnswerSource.LinePush, "401", NotificationStatus.TechnicalFailure, "wrong or expired channel access token: configuration"),
        new(ProviderAnswerSource.LinePush, "403", NotificationStatus.TechnicalFailure, "the channel may not use this API (plan or permission)"),
        new(ProviderAnswerSource.LinePush, "429", NotificationStatus.Created, "rate limit (per channel): retry after a short jittered wait with the same retry key"),
        new(ProviderAnswerSource.LinePush, "monthly-limit", NotificationStatus.Created, "429 'You have reached your monthly limit.': LINE is stopped for the tenant until the quota resets; the retry moves the message to the resident's next channel"),
        new(ProviderAnswerSource.LinePush, "5xx", NotificationStatus.Created, "LINE error: retry with backoff and the same retry key (it may have been sent)"),
        new(ProviderAnswerSource.LinePush, "timeout", NotificationStatus.Created, "no answer: retry with the same retry key; a 409 then means it was sent"),
    ];

    /// <summary>Every row, for documentation and tests.</summary>
    public static IReadOnlyList<Row> Rows => Table;

    /// <summary>The status for a provider answer, or null when the table does not know it.</summary>
    public static NotificationStatus? Lookup(ProviderAnswerSource source, string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return null;
        }

        var key = answer.Trim();
        if (int.TryParse(key, out var code) && code is >= 500 and <= 599)
        {
            key = "5xx";
        }

        foreach (var row in Table)
        {
            if (row.Source == source && string.Equals(row.Answer, key, StringComparison.OrdinalIgnoreCase))
            {
                return row.Status;
            }
        }

        return null;
    }

    /// <summary>The status for an HTTP answer to a send request (<paramref name="httpStatus"/> null: timeout or no connection).</summary>
    public static NotificationStatus? LookupHttp(ProviderAnswerSource source, int? httpStatus) =>
        Lookup(source, httpStatus is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "timeout");

    /// <summary>One row of the table.</summary>
    public sealed record Row(ProviderAnswerSource Source, string Answer, NotificationStatus Status, string Why);
}
