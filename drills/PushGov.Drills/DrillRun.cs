using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;

namespace PushGov.Drills;

/// <summary>A settled run of one tenant: its cases and messages, described without ids (they differ by tenant and nonce) for comparison.</summary>
public sealed record DrillRun(IReadOnlyList<CaseData> Cases, IReadOnlyList<MessageRecord> Messages)
{
    /// <summary>Messages sent through a provider (the others went to a letter, to staff, or nowhere).</summary>
    public int Sent => Messages.Count(m => DrillSystem.IsProvider(m.Provider));

    public IReadOnlyList<string> DescribeCases() =>
    [
        .. Cases.Select(c =>
            $"{Key(c)}: {c.State} {c.Outcome} {c.EscalationReason}; services {string.Join(' ', c.Matches.Select(m => m.ServiceId).Order(StringComparer.Ordinal))}; " +
            $"deliveries {string.Join(' ', c.Deliveries.Select(d => $"{d.Purpose}/{d.ResidentId}/{d.Channel}/{d.State}").Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal),
    ];

    public IReadOnlyList<string> DescribeMessages()
    {
        var cases = Cases.ToDictionary(c => c.CaseId, StringComparer.Ordinal);
        return
        [
            .. Messages.Select(m => $"{(cases.TryGetValue(m.CaseId, out var c) ? Key(c) : "no case")}: {m.Purpose} to {m.ResidentId} by {m.Channel} via {m.Provider}, {m.Status.ToWireName()}")
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// What only one of two runs' descriptions has (compared as multisets): a problem line naming at most 20 of each, or
    /// null when they are the same.
    /// </summary>
    public static string? Difference(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string what)
    {
        var onlyExpected = expected.ToList();
        var onlyActual = new List<string>();
        foreach (var line in actual)
        {
            if (!onlyExpected.Remove(line))
            {
                onlyActual.Add(line);
            }
        }

        return onlyExpected.Count == 0 && onlyActual.Count == 0
            ? null
            : $"different {what}: {onlyExpected.Count} only in the clean run, {onlyActual.Count} only in the drilled run.\n" +
              $"Only in the clean run:\n  {string.Join("\n  ", onlyExpected.Take(20))}\nOnly in the drilled run:\n  {string.Join("\n  ", onlyActual.Take(20))}";
    }

    private static string Key(CaseData c) => $"{c.Event.Kind} of {c.Event.ResidentId} on {c.Event.EventDate:yyyy-MM-dd}";
}
