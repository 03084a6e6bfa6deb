using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;

namespace PushGov.Infrastructure.Notifications.Providers.Acs;

/// <summary>
/// ACS SMS over REST: <c>POST {endpoint}/sms?api-version=2021-03-07</c>, one recipient per request.
/// <list type="bullet">
/// <item>repeatabilityRequestId: a GUID derived from <see cref="OutgoingMessage.IdempotencyKey"/> (same key → same id),
/// so ACS drops a repeat of a send it already took.</item>
/// <item>repeatabilityFirstSent: <see cref="OutgoingMessage.FirstAttemptAt"/> as an RFC 1123 date; the caller keeps the
/// first attempt's time on the message row and passes it on every retry. Null (first attempt): now. ACS tracks a
/// repeatable request for a limited time (5 minutes as documented): a retry later than that is answered 412/rejected
/// and comes back as PermanentFailure, because the fate of the first attempt is then unknown.</item>
/// <item>delivery report on (configurable), tag = <see cref="OutgoingMessage.MessageId"/> so the report finds the row.</item>
/// </list>
/// The HttpClient must carry the authentication handler (<see cref="AcsHmacSigningHandler"/> or <see cref="AcsTokenCredentialHandler"/>).
/// </summary>
public sealed class AcsSmsClient : IMessageSender
{
    public const string ProviderName = "acs-sms";

    private readonly HttpClient http;
    private readonly AcsOptions options;
    private readonly TimeProvider time;
    private readonly Uri sendUri;

    public AcsSmsClient(HttpClient http, AcsOptions options, TimeProvider time)
    {
        this.http = http ?? throw new ArgumentNullException(nameof(http));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        var (endpoint, _) = options.Resolve();
        sendUri = new Uri(endpoint, $"sms?api-version={Uri.EscapeDataString(options.SmsApiVersion)}");
    }

    public string Provider => ProviderName;

    /// <summary>The repeatability id sent for a given idempotency key.</summary>
    public static Guid RepeatabilityRequestId(string idempotencyKey) => DeterministicIds.FromKey(ProviderName, idempotencyKey);

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel.Sms)
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: channel {message.Channel} is not SMS"));
        }

        if (string.IsNullOrEmpty(options.SmsFrom))
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: Acs:SmsFrom is not configured"));
        }

        return HttpSendAnswers.GuardAsync(ProviderName, () => SendOnceAsync(message, cancellationToken), cancellationToken);
    }

    private async Task<SendResult> SendOnceAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var request = new SendRequest(
            options.SmsFrom!,
            [new Recipient(message.To, RepeatabilityRequestId(message.IdempotencyKey).ToString(), (message.FirstAttemptAt ?? time.GetUtcNow()).ToUniversalTime().ToString("r", System.Globalization.CultureInfo.InvariantCulture))],
            message.TextBody,
            new SendOptions(options.EnableSmsDeliveryReport, message.MessageId));

        using var content = JsonContent.Create(request, options: AcsJson.Options);
        using var response = await http.PostAsync(sendUri, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        if (response.StatusCode != HttpStatusCode.Accepted && !HttpSendAnswers.IsSuccess(response.StatusCode))
        {
            return HttpSendAnswers.FromStatus(response, ProviderName, AcsJson.ErrorText(body), time);
        }

        SendResponse? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<SendResponse>(body, AcsJson.Options);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        var item = parsed?.Value is { Count: > 0 } items ? items[0] : null;
        if (item is null)
        {
            // Accepted without a readable body: the repeatability id makes a retry safe.
            return new SendResult(SendOutcome.TransientFailure, Detail: $"{ProviderName}: HTTP {(int)response.StatusCode} without a recipient result");
        }

        if (item.Successful && !string.IsNullOrEmpty(item.MessageId))
        {
            return SendResult.Accepted(item.MessageId);
        }

        var detail = $"{ProviderName}: recipient HTTP {item.HttpStatusCode}" +
            (item.RepeatabilityResult is { } rr ? $" repeatability {rr}" : string.Empty) +
            (string.IsNullOrWhiteSpace(item.ErrorMessage) ? string.Empty : $" {HttpSendAnswers.Redact(item.ErrorMessage)}");
        return item.HttpStatusCode switch
        {
            429 => new SendResult(SendOutcome.Throttled, RetryAfter: HttpSendAnswers.RetryAfter(response, time), Detail: detail),
            408 or >= 500 => new SendResult(SendOutcome.TransientFailure, Detail: detail),
            _ => new SendResult(SendOutcome.PermanentFailure, Detail: detail),
        };
    }

    private sealed record SendRequest(string From, IReadOnlyList<Recipient> SmsRecipients, string Message, SendOptions SmsSendOptions);

    private sealed record Recipient(string To, string RepeatabilityRequestId, string RepeatabilityFirstSent);

    private sealed record SendOptions(bool EnableDeliveryReport, string Tag);

    private sealed record SendResponse(List<SendResponseItem>? Value);

    private sealed record SendResponseItem(string? To, string? MessageId, int HttpStatusCode, string? RepeatabilityResult, bool Successful, string? ErrorMessage);
}
