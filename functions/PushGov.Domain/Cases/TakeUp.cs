using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;

namespace PushGov.Domain.Cases;

/// <summary>
/// One row of the take-up funnel (利用率・申請率), counted in cases (one per life event). <see cref="Dimension"/> is
/// <c>total</c> (key <c>all</c>), <c>service</c>, <c>channel</c> or <c>language</c>.
/// <list type="bullet">
/// <item><see cref="Eligible"/>: for a service, cases that matched it; for a channel or a language, cases with a message
/// on it; in total, cases that matched at least one service.</item>
/// <item><see cref="Notified"/>: of those, cases with a message delivered (about that service; on that channel; in that
/// language).</item>
/// <item><see cref="Opened"/>: cases whose resident opened the link to their case page.</item>
/// <item><see cref="Applied"/>: cases closed as applied: the resident said so, confirmed a one-step application, or a
/// portal or member of staff recorded it.</item>
/// <item><see cref="TakenOver"/>: cases a member of staff took over (or closed).</item>
/// <item><see cref="MedianDaysToApply"/>: over the applied cases, the median of the days from the life event to the
/// day (Asia/Tokyo) the case closed as applied; null with none applied.</item>
/// </list>
/// Each stage counts the eligible cases that reached it, so a resident who applied at the counter without opening the
/// link counts as applied and not as opened.
/// </summary>
public sealed record TakeUpRow(string Dimension, string Key, long Eligible, long Notified, long Opened, long Applied, long TakenOver, double? MedianDaysToApply);

/// <summary>The take-up funnel of the cases created over days in Asia/Tokyo (both ends included).</summary>
public sealed record TakeUpReport(DateOnly From, DateOnly To, IReadOnlyList<TakeUpRow> Rows);

/// <summary>
/// The take-up funnel from the facts: the cases (their matches, outcome, who took them over, when they closed), their
/// messages (channel, language, services, delivered or not) and the cases whose link was opened. Pure: the caller reads
/// the facts; rows come out total first, then services, channels and languages, each in key order.
/// </summary>
public static class TakeUp
{
    public const string Total = "total";
    public const string Service = "service";
    public const string Channel = "channel";
    public const string Language = "language";

    public static TakeUpReport Compute(DateOnly from, DateOnly to, IEnumerable<CaseData> cases, IEnumerable<MessageRecord> messages, IReadOnlySet<string> openedCaseIds)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(openedCaseIds);
        var byCase = messages.ToLookup(m => m.CaseId, StringComparer.Ordinal);
        var total = new Tally();
        var services = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        var channels = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        var languages = new SortedDictionary<string, Tally>(StringComparer.Ordinal);

        foreach (var c in cases.Where(c => c.Matches.Count > 0))
        {
            var outcome = new CaseFacts(
                openedCaseIds.Contains(c.CaseId),
                c.Outcome == CaseOutcome.Applied ? DaysToApply(c) : null,
                c.AssignedTo is not null);
            var sent = byCase[c.CaseId].ToList();
            total.Add(outcome, sent.Any(Delivered));
            foreach (var service in c.Matches.Select(m => m.ServiceId).Distinct(StringComparer.Ordinal))
            {
                For(services, service).Add(outcome, sent.Any(m => Delivered(m) && m.ServiceIds.Contains(service, StringComparer.Ordinal)));
            }

            foreach (var g in sent.GroupBy(m => m.Channel.ToString().ToLowerInvariant(), StringComparer.Ordinal))
            {
                For(channels, g.Key).Add(outcome, g.Any(Delivered));
            }

            foreach (var g in sent.GroupBy(m => m.Language, StringComparer.OrdinalIgnoreCase))
            {
                For(languages, g.Key).Add(outcome, g.Any(Delivered));
            }
        }

        var rows = new List<TakeUpRow> { total.Row(Total, "all") };
        rows.AddRange(services.Select(s => s.Value.Row(Service, s.Key)));
        rows.AddRange(channels.Select(s => s.Value.Row(Channel, s.Key)));
        rows.AddRange(languages.Select(s => s.Value.Row(Language, s.Key)));
        return new TakeUpReport(from, to, rows);
    }

    /// <summary>The median of a list of numbers (the mean of the middle two for an even count); null for none.</summary>
    public static double? Median(IReadOnlyList<int> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    private static bool Delivered(MessageRecord m) => m.Status == NotificationStatus.Delivered;

    // A closed case takes no more input, so its last write is the moment it closed.
    private static int DaysToApply(CaseData c) =>
        JapanTime.Today(c.UpdatedAt).DayNumber - c.Event.EventDate.DayNumber;

    private static Tally For(SortedDictionary<string, Tally> into, string key)
    {
        if (!into.TryGetValue(key, out var tally))
        {
            into[key] = tally = new Tally();
        }

        return tally;
    }

    private sealed record CaseFacts(bool Opened, int? DaysToApply, bool TakenOver);

    private sealed class Tally
    {
        private readonly List<int> days = [];
        private long eligible;
        private long notified;
        private long opened;
        private long takenOver;

        public void Add(CaseFacts facts, bool delivered)
        {
            eligible++;
            notified += delivered ? 1 : 0;
            opened += facts.Opened ? 1 : 0;
            takenOver += facts.TakenOver ? 1 : 0;
            if (facts.DaysToApply is { } d)
            {
                days.Add(d);
            }
        }

        public TakeUpRow Row(string dimension, string key) => new(dimension, key, eligible, notified, opened, days.Count, takenOver, Median(days));
    }
}
