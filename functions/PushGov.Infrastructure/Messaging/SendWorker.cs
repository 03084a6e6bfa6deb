using Microsoft.Extensions.Logging;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Messaging;

/// <summary>Chooses the provider for a message: the development sink for test keys and local runs, else by channel.</summary>
public interface ISenderSelector
{
    IMessageSender For(MessageRecord message);

    /// <summary>When the message may go out at the earliest (quiet hours, provider limits); <paramref name="now"/> when it may go now.</summary>
    DateTimeOffset NotBefore(MessageRecord message, DateTimeOffset now);
}

/// <summary>
/// The queue-triggered sender. The queue message carries the message id only; the worker reloads the row and sends
/// only from 'created' (or 'temporary-failure'), claiming it with an ETag-guarded move to 'sending' first, so two
/// workers or a repeated queue message never send twice. Provider answers map to GOV.UK Notify's statuses; a final
/// status goes back to the case as a <see cref="DeliveryReported"/> input.
/// </summary>
public sealed class SendWorker(MessageStore messages, StorageClients storage, ISenderSelector selector, TimeProvider clock, ILogger<SendWorker> logger)
{
    public const int MaxAttempts = 5;

    public async Task HandleAsync(SendQueueMessage queued, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant"] = queued.Tenant, ["messageId"] = queued.MessageId });
        var found = await messages.GetAsync(queued.Tenant, queued.MessageId, ct);
        if (found is not { } row || !MessageStatuses.CanSend(row.Message.Status))
        {
            logger.LogInformation("Nothing to send: the message is {Status}", found?.Message.Status ?? "missing");
            return;
        }

        var (message, etag) = row;
        var now = clock.GetUtcNow();
        var notBefore = selector.NotBefore(message, message.NotBefore is { } nb && nb > now ? nb : now);
        if (notBefore > now.AddSeconds(1))
        {
            if (message.NotBefore != notBefore && await messages.TryUpdateAsync(message with { NotBefore = notBefore, UpdatedAt = now }, etag, ct) is null)
            {
                return;
            }

            await EnqueueAsync(queued, notBefore - now, ct);
            logger.LogInformation("Held until {NotBefore:o}", notBefore);
            return;
        }

        var sender = selector.For(message);
        var claimed = message with { Status = MessageStatuses.Sending, Attempts = message.Attempts + 1, Provider = sender.Provider, UpdatedAt = now };
        var claimedETag = await messages.TryUpdateAsync(claimed, etag, ct);
        if (claimedETag is null)
        {
            logger.LogInformation("Another worker claimed the message");
            return;
        }

        SendResult result;
        try
        {
            result = await sender.SendAsync(message.ToOutgoing(), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            result = new SendResult(SendOutcome.TransientFailure, Detail: e.GetType().Name);
        }

        now = clock.GetUtcNow();
        var (next, retryAfter) = Next(claimed, result, sender, now);
        await messages.TryUpdateAsync(next, claimedETag.Value, ct);
        logger.LogInformation("Send via {Provider} to {To}: {Outcome} -> {Status}", sender.Provider, Masking.Mask(message.To), result.Outcome, next.Status);

        if (retryAfter is { } delay)
        {
            await EnqueueAsync(queued, delay, ct);
        }
        else if (next.Status is MessageStatuses.Delivered || MessageStatuses.IsFailure(next.Status))
        {
            await ReportToCaseAsync(next, ct);
        }
    }

    /// <summary>The status after a send attempt, and when to try again (null: no retry).</summary>
    private static (MessageRecord Next, TimeSpan? RetryAfter) Next(MessageRecord m, SendResult result, IMessageSender sender, DateTimeOffset now)
    {
        var synchronous = sender.Provider is "dev-sink" or "letters";
        switch (result.Outcome)
        {
            case SendOutcome.Accepted:
                return (m with { Status = synchronous ? MessageStatuses.Delivered : MessageStatuses.Sending, ProviderMessageId = result.ProviderMessageId, LastError = null, UpdatedAt = now }, null);
            case SendOutcome.Throttled:
                var wait = result.RetryAfter ?? TimeSpan.FromSeconds(30);
                return (m with { Status = MessageStatuses.Created, Attempts = m.Attempts - 1, NotBefore = now + wait, LastError = "throttled", UpdatedAt = now }, wait);
            case SendOutcome.TransientFailure when m.Attempts < MaxAttempts:
                var backoff = Backoff(m.Attempts, m.MessageId);
                return (m with { Status = MessageStatuses.TemporaryFailure, NotBefore = now + backoff, LastError = result.Detail, UpdatedAt = now }, backoff);
            case SendOutcome.TransientFailure:
                return (m with { Status = MessageStatuses.TechnicalFailure, LastError = result.Detail, UpdatedAt = now }, null);
            default:
                return (m with { Status = MessageStatuses.PermanentFailure, LastError = result.Detail, UpdatedAt = now }, null);
        }
    }

    /// <summary>First retry at once (a few seconds), then exponential with jitter derived from the message id (deterministic).</summary>
    private static TimeSpan Backoff(int attempt, string messageId)
    {
        var jitter = (Math.Abs(messageId.GetHashCode(StringComparison.Ordinal)) % 1000) / 1000.0;
        var seconds = attempt <= 1 ? 2 : Math.Min(3600, 15 * Math.Pow(4, attempt - 2));
        return TimeSpan.FromSeconds(seconds * (1 + (0.25 * jitter)));
    }

    private Task EnqueueAsync(SendQueueMessage queued, TimeSpan delay, CancellationToken ct) =>
        storage.Queue(StorageNames.Queues.Send).SendMessageAsync(queued.ToJson(), visibilityTimeout: delay > TimeSpan.FromDays(6) ? TimeSpan.FromDays(6) : delay, cancellationToken: ct);

    /// <summary>Tells the case the message's fate (delivered or failed on this channel).</summary>
    public Task ReportToCaseAsync(MessageRecord m, CancellationToken ct)
    {
        var state = m.Status == MessageStatuses.Delivered ? DeliveryState.Delivered : DeliveryState.Failed;
        return storage.Queue(StorageNames.Queues.CaseSteps).SendMessageAsync(
            new CaseStepMessage(m.Tenant, m.CaseId, Input: new DeliveryReported(m.MessageId, state)).ToJson(), ct);
    }

    /// <summary>
    /// Drains <c>send-poison</c>: a message whose sending failed every retry becomes a technical failure and its case
    /// is told (a failure on every channel goes to staff). Returns the number drained.
    /// </summary>
    public Task<int> DrainPoisonAsync(CancellationToken ct) =>
        QueueDrain.DrainAsync(storage.Queue(StorageNames.Queues.Poison(StorageNames.Queues.Send)), async text =>
        {
            SendQueueMessage queued;
            try
            {
                queued = SendQueueMessage.Parse(text);
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                logger.LogWarning("A poison message that is not a send message was dropped");
                return;
            }

            if (await messages.GetAsync(queued.Tenant, queued.MessageId, ct) is { } row && !MessageStatuses.IsFinal(row.Message.Status))
            {
                var failed = row.Message with { Status = MessageStatuses.TechnicalFailure, LastError = "failed after every retry", UpdatedAt = clock.GetUtcNow() };
                if (await messages.TryUpdateAsync(failed, row.ETag, ct) is not null)
                {
                    await ReportToCaseAsync(failed, ct);
                }
            }
        }, ct);

    /// <summary>
    /// The sweep for messages stuck in 'sending' without a provider id (a crash after the claim): back to 'created'
    /// and queued again. The provider sees the same idempotency key, so a send that did go out is not repeated.
    /// </summary>
    public async Task<int> SweepStuckAsync(TimeSpan olderThan, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var count = 0;
        foreach (var status in new[] { MessageStatuses.Sending, MessageStatuses.Created })
        {
            foreach (var m in await messages.ListStuckAsync(status, now - olderThan, 500, ct))
            {
                if (status == MessageStatuses.Sending && m.ProviderMessageId is not null)
                {
                    continue; // accepted by the provider: waiting for its delivery report, not stuck
                }

                if (m.NotBefore is { } nb && nb > now)
                {
                    continue;
                }

                var found = await messages.GetAsync(m.Tenant, m.MessageId, ct);
                if (found is { } f && f.Message.Status == status &&
                    await messages.TryUpdateAsync(f.Message with { Status = MessageStatuses.Created, UpdatedAt = now }, f.ETag, ct) is not null)
                {
                    await EnqueueAsync(new SendQueueMessage(m.Tenant, m.MessageId), TimeSpan.Zero, ct);
                    count++;
                }
            }
        }

        return count;
    }
}

/// <summary>The selector for local runs and test keys: everything goes to the development sink, at once.</summary>
public sealed class SinkOnlySelector(DevSink sink) : ISenderSelector
{
    public IMessageSender For(MessageRecord message) => sink;

    public DateTimeOffset NotBefore(MessageRecord message, DateTimeOffset now) => now;
}
