using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;

namespace PushGov.Infrastructure.Notifications.Providers.DomesticSms;

/// <summary>The domestic aggregator's callback secret; null: the aggregator is not configured.</summary>
public sealed record DomesticSmsSettings(string? Secret);

/// <summary>Settings of the domestic (+81) SMS aggregator (configuration section <c>DomesticSms</c>).</summary>
public sealed class DomesticSmsOptions
{
    public const string SectionName = "DomesticSms";

    /// <summary>The aggregator's base URL (https in production); messages go to <c>{Endpoint}/v1/messages</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The shared secret for <see cref="DomesticSmsSignature"/>, both ways. Secret: from Key Vault, never logged.</summary>
    public string? Secret { get; set; }

    /// <summary>Where the aggregator posts delivery callbacks (PushGov's HTTP API); null: no callbacks.</summary>
    public Uri? CallbackUrl { get; set; }

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// PushGov's domestic SMS provider contract (real Japanese aggregators each have their own API; a small vendor
/// adapter in front of one implements this contract, so PushGov has one way to speak to any of them):
/// <code>
/// POST {endpoint}/v1/messages                      Content-Type: application/json
///   Idempotency-Key: &lt;GUID derived from the message's idempotency key&gt;
///   X-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;   (see DomesticSmsSignature)
///   {"id": "&lt;our message id&gt;", "to": "+8190…", "text": "…", "callbackUrl": "https://…"}
/// 202 {"id": "&lt;provider id&gt;", "status": "queued"}    accepted
/// 200 {"id": "&lt;same provider id&gt;", …}               a repeat of an Idempotency-Key already accepted
/// 401 bad signature · 409 key reused with another body · 422 number cannot receive SMS · 429 + Retry-After · 5xx
///
/// callback: POST {callbackUrl}, signed the same way,
///   {"id": "&lt;provider id&gt;", "messageId": "&lt;our id&gt;", "status": "queued|sent|delivered|expired|undeliverable|rejected|failed",
///    "errorCode": "…", "timestamp": "ISO 8601"}
/// </code>
/// Statuses map to PushGov's through <see cref="ProviderStatusMap"/> (sources DomesticSmsSend, DomesticSmsCallback).
/// </summary>
public sealed class DomesticSmsClient : IMessageSender
{
    public const string ProviderName = "domestic-sms";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient http;
    private readonly DomesticSmsOptions options;
    private readonly TimeProvider time;
    private readonly Uri sendUri;

    public DomesticSmsClient(HttpClient http, DomesticSmsOptions options, TimeProvider time)
    {
        this.http = http ?? throw new ArgumentNullException(nameof(http));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        if (options.Endpoint is null || string.IsNullOrEmpty(options.Secret))
        {
            throw new InvalidOperationException("DomesticSms: Endpoint and Secret are required.");
        }

        var baseUri = options.Endpoint.AbsoluteUri.EndsWith('/') ? options.Endpoint : new Uri(options.Endpoint.AbsoluteUri + "/");
        sendUri = new Uri(baseUri, "v1/messages");
    }

    public string Provider => ProviderName;

    /// <summary>The Idempotency-Key sent for a given message idempotency key.</summary>
    public static string IdempotencyKeyFor(string idempotencyKey) => DeterministicIds.FromKey(ProviderName, idempotencyKey).ToString();

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel.Sms)
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: channel {message.Channel} is not SMS"));
        }

        return HttpSendAnswers.GuardAsync(ProviderName, () => SendOnceAsync(message, cancellationToken), cancellationToken);
    }

    private async Task<SendResult> SendOnceAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new SendRequest(message.MessageId, message.To, message.TextBody, options.CallbackUrl?.AbsoluteUri), Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, sendUri)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKeyFor(message.IdempotencyKey));
        request.Headers.TryAddWithoutValidation(DomesticSmsSignature.HeaderName, DomesticSmsSignature.Header(options.Secret!, time.GetUtcNow(), body));

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!HttpSendAnswers.IsSuccess(response.StatusCode))
        {
            return HttpSendAnswers.FromStatus(response, ProviderName, ErrorText(text), time);
        }

        SendResponse? parsed = null;
        try
        {
            parsed = JsonSerializer.Deserialize<SendResponse>(text, Json);
        }
        catch (JsonException)
        {
            // handled below
        }

        if (string.IsNullOrEmpty(parsed?.Id))
        {
            return new SendResult(SendOutcome.TransientFailure, Detail: $"{ProviderName}: HTTP {(int)response.StatusCode} without an id");
        }

        if (parsed.Status is { } status && ProviderStatusMap.Lookup(ProviderAnswerSource.DomesticSmsCallback, status) is { } mapped && mapped.IsFailed())
        {
            return new SendResult(SendOutcome.PermanentFailure, parsed.Id, Detail: $"{ProviderName}: accepted as '{status}'");
        }

        return SendResult.Accepted(parsed.Id);
    }

    private static string? ErrorText(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<ErrorBody>(body, Json) is { } e ? $"{e.Code}: {e.Message}".Trim(' ', ':') : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record SendRequest(string Id, string To, string Text, string? CallbackUrl);

    private sealed record SendResponse(string? Id, string? Status);

    private sealed record ErrorBody(string? Code, string? Message);
}

/// <summary>A delivery callback from the domestic SMS provider. <see cref="ToString"/> carries no personal data.</summary>
public sealed record DomesticSmsCallback(string ProviderMessageId, string? MessageId, string Status, string? ErrorCode, DateTimeOffset? Timestamp)
{
    public NotificationStatus? MessageStatus => ProviderStatusMap.Lookup(ProviderAnswerSource.DomesticSmsCallback, Status);

    /// <summary>
    /// Verifies the <c>X-Signature</c> of a callback over its raw body and parses it. Stale (more than 5 minutes off
    /// the clock), missing, malformed or wrong signatures are refused: answer 401 and parse nothing.
    /// </summary>
    public static SignatureCheck TryRead(ReadOnlySpan<byte> rawBody, string? signatureHeader, string secret, DateTimeOffset now, out DomesticSmsCallback? callback)
    {
        callback = null;
        var check = DomesticSmsSignature.Verify(signatureHeader, rawBody, secret, now);
        if (check != SignatureCheck.Valid)
        {
            return check;
        }

        try
        {
            var body = JsonSerializer.Deserialize<Body>(rawBody, DomesticSmsClient.Json);
            if (body is null || string.IsNullOrEmpty(body.Id) || string.IsNullOrEmpty(body.Status))
            {
                return SignatureCheck.Malformed;
            }

            callback = new DomesticSmsCallback(body.Id, body.MessageId, body.Status, body.ErrorCode, body.Timestamp);
            return SignatureCheck.Valid;
        }
        catch (JsonException)
        {
            return SignatureCheck.Malformed;
        }
    }

    private sealed record Body(string? Id, string? MessageId, string? Status, string? ErrorCode, DateTimeOffset? Timestamp);
}
