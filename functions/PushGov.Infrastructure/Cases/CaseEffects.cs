using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Cases;

/// <summary>
/// The effects a case's commands have on the world, each idempotent because an activity runs at least once: a message
/// row is inserted only if absent (its id is deterministic, the sender's idempotency key) and queued again harmlessly
/// (the sender sends only from 'created'); a cancel changes only a message not yet sent; the projection is replaced
/// by the case's state and its history rows are keyed by version.
/// </summary>
public sealed class CaseEffects(CaseStore cases, MessageStore messages, StorageClients storage, IMessageComposer composer, Tenants.TenantDirectory tenants, TimeProvider clock)
{
    private const int MaxConflicts = 8;

    /// <summary>Runs the effects in order, then writes the projection (state and history) the staff API reads.</summary>
    public async Task ApplyAsync(CaseData c, IReadOnlyList<CaseCommand> effects, IReadOnlyList<HistoryEntry> history, CancellationToken ct)
    {
        foreach (var command in effects)
        {
            switch (command)
            {
                case SendMessage send:
                    await CreateMessageAsync(c, send.Delivery, ct);
                    break;
                case CancelMessage cancel:
                    await CancelAsync(c.Tenant, cancel.MessageId, cancel.Why, ct);
                    break;
                default:
                    throw new InvalidOperationException($"{command.GetType().Name} is not an effect.");
            }
        }

        await cases.SaveAsync(c, ct);
        await cases.AppendHistoryAsync(c.Tenant, c.CaseId, history, ct);
    }

    /// <summary>
    /// Cancels a message not yet sent (sending, sent and failed messages stay as they are), keeping <paramref name="why"/>
    /// on its row when given.
    /// </summary>
    public async Task CancelAsync(string tenant, string messageId, string? why, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var found = await messages.GetAsync(tenant, messageId, ct);
            if (found is not { } m || !m.Message.Status.CanSend())
            {
                return;
            }

            var cancelled = m.Message with { Status = NotificationStatus.Cancelled, LastError = why ?? m.Message.LastError, UpdatedAt = clock.GetUtcNow() };
            if (await messages.TryUpdateAsync(cancelled, m.ETag, ct) is not null)
            {
                return;
            }
        }

        throw new InvalidOperationException($"Message {messageId} kept changing while it was cancelled.");
    }

    private async Task CreateMessageAsync(CaseData c, Delivery d, CancellationToken ct)
    {
        var composed = composer.Compose(await tenants.GetAsync(c.Tenant, ct), c, d);
        await messages.TryAddAsync(MessageRecord.Created(c.Tenant, c.CaseId, d, composed, c.TestMode, clock.GetUtcNow()), ct);

        // Enqueued even when the row existed: a repeat is harmless (the sender sends only from 'created').
        await storage.Queue(StorageNames.Queues.Send).SendMessageAsync(new SendQueueMessage(c.Tenant, d.MessageId).ToJson(), ct);
    }
}
