using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Statuses;

namespace PushGov.Infrastructure.Notifications;

/// <summary>
/// How the rest of the app asks for a notification: a case's effects (a decision's <see cref="SendMessage"/> and
/// <see cref="CancelMessage"/>) and a member of staff's resend. The caller says which case, to whom, on which channel,
/// about which services and why (a <see cref="Delivery"/>, whose <see cref="Delivery.MessageId"/> the caller derives
/// deterministically: it is the message's id and every send's idempotency key); the notification side composes the text,
/// stores the message and queues it for the sender. No caller composes or stores a message itself.
/// </summary>
public interface INotificationRequests
{
    /// <summary>
    /// Composes the message of <paramref name="delivery"/> for case <paramref name="c"/>, stores it unless a message with
    /// its id exists (asking twice stores it once) and queues its id on <c>send</c>, also when it existed (a repeat is
    /// harmless: the sender sends only from 'created').
    /// </summary>
    Task<NotificationRequested> RequestAsync(CaseData c, Delivery delivery, bool testMode, CancellationToken ct);

    /// <summary>
    /// Cancels a message not yet sent (sending, sent and failed messages stay as they are), keeping <paramref name="why"/>
    /// on its row when given.
    /// </summary>
    Task CancelAsync(string tenant, string messageId, string? why, CancellationToken ct);
}

/// <summary>The answer to a request: <see cref="Added"/> false when the message existed already; its status now.</summary>
public sealed record NotificationRequested(bool Added, NotificationStatus Status);
