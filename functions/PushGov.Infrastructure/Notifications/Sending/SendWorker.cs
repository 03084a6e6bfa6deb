using Microsoft.Extensions.Logging;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Sending;

/// <summary>
/// Where one message goes: the sender, the provider name to record on the row (the real one: "domestic-sms", not the
/// router), how it is paced, and the one-click unsubscribe URL for e-mail. <see cref="Refusal"/> set: it cannot be
/// sent at all (no provider configured for its channel) and fails permanently, never silently to the sink.
/// <see cref="ChannelStopped"/> with it: the channel is stopped for the tenant for now (LINE's monthly quota), and the
/// message moves to the resident's next usable channel (<see cref="ChannelFallback"/>) before it would fail.
/// </summary>
public sealed record SendRoute(IMessageSender? Sender, string Provider, SendPacing? Pacing = null, string? UnsubscribeUrl = null, string? Refusal = null, bool ChannelStopped = false)
{
    /// <summary>
    /// Providers whose acceptance is the end of the story: the message is delivered when they take it. LINE has no delivery
    /// report: its 200 (or 409 for a retry key already accepted) is delivered (ProviderStatusMap, source LinePush).
    /// </summary>
    public bool IsSynchronous => Provider is "dev-sink" or "letters" or Providers.Line.LineSender.ProviderName;

    public static SendRoute Refuse(string provider, string why) => new(null, provider, Refusal: why);

    public static SendRoute Stopped(string provider, string why) => new(null, provider, Refusal: why, ChannelStopped: true);
}

/// <summary>Chooses the provider for a message: the development sink for test keys and tenants not yet live, else by channel.</summary>
public interface ISenderSelector
{
    ValueTask<SendRoute> RouteAsync(MessageRecord message, CancellationToken ct);
}

/// <summary>
/// The queue-triggered sender. The queue message carries the message id only; the worker reloads the row and sends
/// only from 'created' (a retry waits there too, with a later NotBefore), claiming it with an ETag-guarded move to 'sending' first, so two
/// workers or a repeated queue message never send twice. Provider answers map to GOV.UK Notify's statuses; a final
/// status goes back to the case as a <see cref="DeliveryReported"/> input. A message whose channel is stopped for the
/// tenant moves to the resident's next usable channel (<see cref="ChannelFallback"/>) and fails only when none is.
/// </summary>
public sealed class SendWorker(MessageStore messages, StorageClients storage, ISenderSelector selector, ICaseInbox cases, TimeProvider clock, ILogger<SendWorker> logger, SendPacer? pacer = null, SendIndex? index = null, RetryPolicy? retryPolicy = null, ChannelFallback? fallback = null)
{
    /// <summary>How long a provider recognises a repeated request by its first attempt's time (ACS: 5 minutes; a margin kept).</summary>
    private static readonly TimeSpan RepeatabilityWindow = TimeSpan.FromMinutes(4);

    private readonly SendPacer _pacer = pacer ?? new SendPacer(storage);
    private readonly SendIndex _index = index ?? new SendIndex(storage);
    private readonly RetryPolicy _retry = retryPolicy ?? RetryPolicy.Default;

    public async Task HandleAsync(SendQueueMessage queued, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant"] = queued.Tenant, ["messageId"] = queued.MessageId });
        var found = await messages.GetAsync(queued.Tenant, queued.MessageId, ct);
        if (found is not { } row || !row.Message.Status.CanSend())
        {
            logger.LogInformation("Nothing to send: the message is {Status}", found?.Message.Status.ToWireName() ?? "missing");
            if (found is { Message: { } done } && done.Status.IsFinal() && done.Status != NotificationStatus.Cancelled)
            {
                // A crash between writing the final status and telling the case would lose the report: this repeat of the
                // queue message tells the case again (the case ignores a report it has already taken).
                await ReportToCaseAsync(done, ct);
            }

            return;
        }

        var (message, etag) = row;
        var now = clock.GetUtcNow();
        if (message.NotBefore is { } waitUntil && waitUntil > now)
        {
            // Held (its slot, quiet hours, Retry-After, backoff): a repeated or early queue message waits again.
            await EnqueueAsync(queued, waitUntil - now, ct);
            return;
        }

        var route = await selector.RouteAsync(message, ct);
        if (route.Refusal is { } why)
        {
            if (route.ChannelStopped && fallback is not null && await fallback.TryRerouteAsync(message, why, ct))
            {
                return;
            }

            var refused = message with { Status = NotificationStatus.PermanentFailure, Provider = route.Provider, LastError = why, UpdatedAt = now };
            if (await messages.TryUpdateAsync(refused, etag, ct) is not null)
            {
                logger.LogWarning("Not sent: {Reason}", why);
                await ReportToCaseAsync(refused, ct);
            }

            return;
        }

        if (route.Pacing is { IsNone: false } pacing && !(message.PacedFor is { } slot && now >= slot && now - slot <= SendPacer.Grace))
        {
            var reserved = await _pacer.ReserveAsync(pacing, now, ct);
            if (reserved > now)
            {
                if (await messages.TryUpdateAsync(message with { NotBefore = reserved, PacedFor = reserved, UpdatedAt = now }, etag, ct) is null)
                {
                    return; // someone else moved it; the slot stays unused (limits only get safer)
                }

                await EnqueueAsync(queued, reserved - now, ct);
                logger.LogInformation("Held until {NotBefore:o}", reserved);
                return;
            }
        }

        var sender = route.Sender!;
        var claimed = message with
        {
            Status = NotificationStatus.Sending,
            Attempts = message.Attempts + 1,
            Provider = route.Provider,
            FirstAttemptAt = message.FirstAttemptAt ?? now,
            PacedFor = null,
            NotBefore = null,
            UpdatedAt = now,
        };
        var claimedETag = await messages.TryUpdateAsync(claimed, etag, ct);
        if (claimedETag is null)
        {
            logger.LogInformation("Another worker claimed the message");
            return;
        }

        SendResult result;
        try
        {
            result = await sender.SendAsync(claimed.ToOutgoing() with { UnsubscribeUrl = route.UnsubscribeUrl }, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            result = new SendResult(SendOutcome.TransientFailure, Detail: e.GetType().Name);
        }

        now = clock.GetUtcNow();
        var (next, retryAfter) = Next(claimed, result, route.IsSynchronous, now);
        if (result.Outcome == SendOutcome.Accepted && !route.IsSynchronous)
        {
            // Before the row says so: a delivery report can only find the message through these.
            if (result.ProviderMessageId is { Length: > 0 } providerId)
            {
                await _index.RecordProviderIdAsync(providerId, message.Tenant, message.MessageId, ct);
            }

            if (message.Channel == Domain.Residents.Channel.Sms)
            {
                await _index.RecordSmsRecipientAsync(message.To, message.Tenant, message.ResidentId, message.MessageId, now, ct);
            }
        }

        if (result.Outcome == SendOutcome.Accepted && message.Channel == Domain.Residents.Channel.Email)
        {
            await _index.RecordMessageAsync(message.MessageId, message.Tenant, ct); // the unsubscribe URL names the message only
        }

        await messages.TryUpdateAsync(next, claimedETag.Value, ct);
        logger.LogInformation("Send via {Provider} to {To}: {Outcome} -> {Status}", route.Provider, Masking.Mask(message.To), result.Outcome, next.Status.ToWireName());

        if (retryAfter is { } delay)
        {
            await EnqueueAsync(queued, delay, ct);
        }
        else if (next.Status.IsFinal())
        {
            await ReportToCaseAsync(next, ct);
        }
    }

    /// <summary>The status after a send attempt, and when to try again (null: no retry), as <see cref="RetryPolicy"/> decides.</summary>
    private (MessageRecord Next, TimeSpan? RetryAfter) Next(MessageRecord m, SendResult result, bool synchronous, DateTimeOffset now)
    {
        if (result.Outcome == SendOutcome.Accepted)
        {
            return (m with { Status = synchronous ? NotificationStatus.Delivered : NotificationStatus.Sending, ProviderMessageId = result.ProviderMessageId, LastError = null, UpdatedAt = now }, null);
        }

        var decision = _retry.Next(result, m.Attempts, m.MessageId);
        if (!decision.Retry)
        {
            return (m with { Status = decision.Status, LastError = decision.Reason, UpdatedAt = now }, null);
        }

        var wait = decision.Delay;
        if (result.Outcome == SendOutcome.Throttled)
        {
            // A 429 was not taken: it does not count as an attempt, and the retry may start a new repeatability window
            // when the old one (ACS: 5 minutes) would be over by then; within it, the first attempt's time is kept.
            var firstAttempt = m.FirstAttemptAt is { } first && now + wait - first < RepeatabilityWindow ? first : (DateTimeOffset?)null;
            return (m with { Status = NotificationStatus.Created, Attempts = m.Attempts - 1, NotBefore = now + wait, FirstAttemptAt = firstAttempt, LastError = "throttled", UpdatedAt = now }, wait);
        }

        return (m with { Status = NotificationStatus.Created, NotBefore = now + wait, LastError = result.Detail ?? decision.Reason, UpdatedAt = now }, wait);
    }

    /// <summary>Queues the message again after <paramref name="delay"/>, rounded up to whole seconds (a queue's unit): never early.</summary>
    private Task EnqueueAsync(SendQueueMessage queued, TimeSpan delay, CancellationToken ct)
    {
        var seconds = Math.Ceiling(Math.Max(0, delay.TotalSeconds));
        var visibility = TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(6).TotalSeconds));
        return storage.Queue(StorageNames.Queues.Send).SendMessageAsync(queued.ToJson(), visibilityTimeout: visibility, cancellationToken: ct);
    }

    /// <summary>Tells the case the message's fate (delivered or failed on this channel).</summary>
    public Task ReportToCaseAsync(MessageRecord m, CancellationToken ct)
    {
        var state = m.Status == NotificationStatus.Delivered ? DeliveryState.Delivered : DeliveryState.Failed;
        return cases.SendAsync(m.Tenant, m.CaseId, new DeliveryReported(m.MessageId, state), ct);
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

            if (await messages.GetAsync(queued.Tenant, queued.MessageId, ct) is { } row && !row.Message.Status.IsFinal())
            {
                var failed = row.Message with { Status = NotificationStatus.TechnicalFailure, LastError = "failed after every retry", UpdatedAt = clock.GetUtcNow() };
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
        foreach (var status in NotificationStatuses.InFlight)
        {
            foreach (var m in await messages.ListStuckAsync(status, now - olderThan, 500, ct))
            {
                if (status == NotificationStatus.Sending && m.ProviderMessageId is not null)
                {
                    continue; // accepted by the provider: waiting for its delivery report, not stuck
                }

                if (m.NotBefore is { } nb && nb > now)
                {
                    continue;
                }

                var found = await messages.GetAsync(m.Tenant, m.MessageId, ct);
                if (found is { } f && f.Message.Status == status &&
                    await messages.TryUpdateAsync(f.Message with { Status = NotificationStatus.Created, UpdatedAt = now }, f.ETag, ct) is not null)
                {
                    await EnqueueAsync(new SendQueueMessage(m.Tenant, m.MessageId), TimeSpan.Zero, ct);
                    count++;
                }
            }
        }

        return count;
    }
}
