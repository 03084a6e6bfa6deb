using PushGov.Domain.Cases;
using PushGov.Infrastructure.Notifications;

namespace PushGov.Infrastructure.Cases;

/// <summary>
/// The effects a case's commands have on the world, each idempotent because an activity runs at least once: a message is
/// asked for and a message cancelled through <see cref="INotificationRequests"/> (the message id is deterministic, so
/// asking again stores nothing new; a cancel changes only a message not yet sent); the projection is replaced by the
/// case's state and its history rows are keyed by version.
/// </summary>
public sealed class CaseEffects(CaseStore cases, INotificationRequests notifications)
{
    /// <summary>Runs the effects in order, then writes the projection (state and history) the staff API reads.</summary>
    public async Task ApplyAsync(CaseData c, IReadOnlyList<CaseCommand> effects, IReadOnlyList<HistoryEntry> history, CancellationToken ct)
    {
        foreach (var command in effects)
        {
            switch (command)
            {
                case SendMessage send:
                    await notifications.RequestAsync(c, send.Delivery, c.TestMode, ct);
                    break;
                case CancelMessage cancel:
                    await notifications.CancelAsync(c.Tenant, cancel.MessageId, cancel.Why, ct);
                    break;
                default:
                    throw new InvalidOperationException($"{command.GetType().Name} is not an effect.");
            }
        }

        await cases.SaveAsync(c, ct);
        await cases.AppendHistoryAsync(c.Tenant, c.CaseId, history, ct);
    }
}
