using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Residents;

namespace PushGov.Infrastructure.Reporting;

/// <summary>
/// Reads the facts of the take-up funnel from the tenant's own partitions (its cases created over the days, their
/// messages, the cases whose link opened) and counts them with <see cref="TakeUp"/>. Counts only: nothing personal
/// leaves this class.
/// </summary>
public sealed class TakeUpFigures(ICaseReader cases, MessageStore messages, ResidentLinks links)
{
    public async Task<TakeUpReport> ReadAsync(string tenant, DateOnly from, DateOnly to, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        var start = Dashboard.StartOf(from);
        var inRange = await Dashboard.CasesCreatedAsync(cases, tenant, start, Dashboard.StartOf(to.AddDays(1)), ct);

        // Messages of the range's cases may be created after the range ends (a reminder): read from its start on.
        var caseIds = inRange.Select(c => c.CaseId).ToHashSet(StringComparer.Ordinal);
        var ofCases = new List<MessageRecord>();
        await foreach (var m in messages.ListCreatedSinceAsync(tenant, start, ct))
        {
            if (caseIds.Contains(m.CaseId))
            {
                ofCases.Add(m);
            }
        }

        return TakeUp.Compute(from, to, inRange, ofCases, await links.OpenedCasesAsync(tenant, ct));
    }
}
