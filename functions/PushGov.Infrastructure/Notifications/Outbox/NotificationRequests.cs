using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Infrastructure.Notifications.Outbox;

/// <summary>
/// The outbox side of <see cref="INotificationRequests"/>: composes through <see cref="IMessageComposer"/> with the
/// tenant's configuration, inserts the <see cref="MessageRecord"/> only if absent (its id is deterministic, the sender's
/// idempotency key) and queues a <see cref="SendQueueMessage"/>; a cancel changes only a message not yet sent. Each is
/// idempotent, because a case's effects run at least once.
/// </summary>
public sealed class NotificationRequests(MessageStore messages, StorageClients storage, IMessageComposer composer, TenantDirectory tenants, TimeProvider clock) : INotificationRequests
{
    private const int MaxConflicts = 8;

    public async Task<NotificationRequested> RequestAsync(CaseData c, Delivery delivery, bool testMode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(delivery);
        var composed = composer.Compose(await tenants.GetAsync(c.Tenant, ct), c, delivery);
        var added = await messages.TryAddAsync(MessageRecord.Created(c.Tenant, c.CaseId, delivery, composed, testMode, clock.GetUtcNow()), ct);

        // Enqueued even when the row existed: a repeat is harmless (the sender sends only from 'created').
        await storage.Queue(StorageNames.Queues.Send).SendMessageAsync(new SendQueueMessage(c.Tenant, delivery.MessageId).ToJson(), ct);
        var status = added ? NotificationStatus.Created : (await messages.GetAsync(c.Tenant, delivery.MessageId, ct))?.Message.Status ?? NotificationStatus.Created;
        return new NotificationRequested(added, status);
    }

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
}
