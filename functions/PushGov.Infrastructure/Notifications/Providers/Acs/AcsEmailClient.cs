using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;

namespace PushGov.Infrastructure.Notifications.Providers.Acs;

/// <summary>
/// ACS Email over REST: <c>POST {endpoint}/emails:send?api-version=2023-03-31</c> with an <c>Operation-Id</c> header
/// derived from <see cref="OutgoingMessage.IdempotencyKey"/> (same key → same operation id, so a repeat is the same
/// operation), answered 202 with <c>Operation-Location</c>.
/// <para>
/// Choice: <see cref="SendAsync"/> does not poll. It returns Accepted with the operation id as the provider message id
/// (ACS uses the operation id as the messageId of the e-mail's delivery report). The final word comes from the
/// Event Grid delivery report; a sweeper for messages stuck in "sending" calls <see cref="GetStatusAsync"/> (one poll)
/// or <see cref="WaitForCompletionAsync"/> (bounded polling that honours Retry-After).
/// </para>
/// When <see cref="OutgoingMessage.UnsubscribeUrl"/> is set, the RFC 8058 one-click headers are added.
/// </summary>
public sealed class AcsEmailClient : IMessageSender
{
    public const string ProviderName = "acs-email";

    private readonly HttpClient http;
    private readonly AcsOptions options;
    private readonly TimeProvider time;
    private readonly Uri endpoint;

    public AcsEmailClient(HttpClient http, AcsOptions options, TimeProvider time)
    {
        this.http = http ?? throw new ArgumentNullException(nameof(http));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        endpoint = options.Resolve().Endpoint;
    }

    public string Provider => ProviderName;

    /// <summary>The Operation-Id sent for a given idempotency key.</summary>
    public static Guid OperationId(string idempotencyKey) => DeterministicIds.FromKey(ProviderName, idempotencyKey);

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel.Email)
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: channel {message.Channel} is not e-mail"));
        }

        if (string.IsNullOrEmpty(options.EmailSender))
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: Acs:EmailSender is not configured"));
        }

        if (string.IsNullOrWhiteSpace(message.Subject))
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: an e-mail needs a subject"));
        }

        return HttpSendAnswers.GuardAsync(ProviderName, () => SendOnceAsync(message, cancellationToken), cancellationToken);
    }

    /// <summary>One poll of the send operation. Throws <see cref="HttpRequestException"/> (with its status code) on an answer other than 200.</summary>
    public async Task<EmailOperationStatus> GetStatusAsync(string operationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        var uri = new Uri(endpoint, $"emails/operations/{Uri.EscapeDataString(operationId)}?api-version={Uri.EscapeDataString(options.EmailApiVersion)}");
        using var response = await http.GetAsync(uri, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException(
                $"{ProviderName}: operation poll answered HTTP {(int)response.StatusCode} {HttpSendAnswers.Redact(AcsJson.ErrorText(body) ?? string.Empty)}".TrimEnd(),
                inner: null,
                response.StatusCode);
        }

        var parsed = JsonSerializer.Deserialize<OperationBody>(body, AcsJson.Options)
            ?? throw new HttpRequestException($"{ProviderName}: operation poll answered an empty body");
        return new EmailOperationStatus(
            parsed.Id ?? operationId,
            parsed.Status ?? "Unknown",
            parsed.Error?.Code,
            parsed.Error?.Message is { } m ? HttpSendAnswers.Redact(m) : null,
            HttpSendAnswers.RetryAfter(response, time));
    }

    /// <summary>
    /// Polls until the operation ends or <paramref name="maxPolls"/> polls were made, waiting Retry-After between polls
    /// (or 1 s, 2 s, 4 s … when the service gives none), never longer than <paramref name="maxWait"/> per wait. Waits use
    /// the <see cref="TimeProvider"/>. Returns the last status seen (not terminal when the polls ran out).
    /// </summary>
    public async Task<EmailOperationStatus> WaitForCompletionAsync(string operationId, int maxPolls, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPolls, 1);
        EmailOperationStatus status = await GetStatusAsync(operationId, cancellationToken);
        for (var poll = 1; poll < maxPolls && !status.IsTerminal; poll++)
        {
            var backoff = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(poll - 1, 10)));
            var wait = status.RetryAfter ?? backoff;
            if (wait > maxWait)
            {
                wait = maxWait;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            status = await GetStatusAsync(operationId, cancellationToken);
        }

        return status;
    }

    private async Task<SendResult> SendOnceAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var operationId = OperationId(message.IdempotencyKey).ToString();
        Dictionary<string, string>? headers = null;
        if (!string.IsNullOrWhiteSpace(message.UnsubscribeUrl))
        {
            headers = new Dictionary<string, string>
            {
                ["List-Unsubscribe"] = $"<{message.UnsubscribeUrl}>",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            };
        }

        var request = new SendRequest(
            options.EmailSender!,
            new Content(message.Subject!, message.TextBody, message.HtmlBody),
            new Recipients([new EmailAddress(message.To)]),
            headers,
            options.EmailEngagementTrackingDisabled);

        var uri = new Uri(endpoint, $"./emails:send?api-version={Uri.EscapeDataString(options.EmailApiVersion)}");
        using var httpRequest = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = JsonContent.Create(request, options: AcsJson.Options),
        };
        httpRequest.Headers.TryAddWithoutValidation("Operation-Id", operationId);

        using var response = await http.SendAsync(httpRequest, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return HttpSendAnswers.FromStatus(response, ProviderName, AcsJson.ErrorText(body), time);
        }

        string? id = null;
        try
        {
            id = JsonSerializer.Deserialize<OperationBody>(body, AcsJson.Options)?.Id;
        }
        catch (JsonException)
        {
            // The id is ours anyway.
        }

        return SendResult.Accepted(string.IsNullOrEmpty(id) ? operationId : id);
    }

    private sealed record SendRequest(string SenderAddress, Content Content, Recipients Recipients, IReadOnlyDictionary<string, string>? Headers, bool UserEngagementTrackingDisabled);

    private sealed record Content(string Subject, string PlainText, string? Html);

    private sealed record Recipients(IReadOnlyList<EmailAddress> To);

    private sealed record EmailAddress(string Address);

    private sealed record OperationBody(string? Id, string? Status, AcsJson.ErrorDetail? Error);
}

/// <summary>The state of one e-mail send operation: <c>NotStarted</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Canceled</c>.</summary>
public sealed record EmailOperationStatus(string OperationId, string Status, string? ErrorCode, string? ErrorMessage, TimeSpan? RetryAfter)
{
    public bool IsTerminal => Status is "Succeeded" or "Failed" or "Canceled";

    /// <summary>The message status this operation state stands for (see <see cref="ProviderStatusMap"/>).</summary>
    public NotificationStatus? MessageStatus => ProviderStatusMap.Lookup(ProviderAnswerSource.AcsEmailOperation, Status);
}
