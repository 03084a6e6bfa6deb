using PushGov.Domain;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Line;
using PushGov.Infrastructure.Messaging;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Infrastructure.Reporting;

/// <summary>A count under a key (a life event kind, a case state).</summary>
public sealed record KeyCount(string Key, long Count);

/// <summary>Messages of one channel in one status.</summary>
public sealed record MessageCount(string Channel, string Status, long Count);

/// <summary>
/// One row of the take-up funnel. <see cref="Dimension"/> is <c>service</c>, <c>channel</c> or <c>language</c>.
/// For a service: cases that matched it (detected), of which a message about it was delivered (notified), of which the
/// resident applied (applied). For a channel or a language: cases with a message on it (detected), delivered on it
/// (notified), applied.
/// </summary>
public sealed record FunnelRow(string Dimension, string Key, long Detected, long Notified, long Applied);

/// <summary>Residents reached (a message delivered) and, of them, those reached only by post: the digital divide.</summary>
public sealed record PostOnlyReach(long ResidentsReached, long ReachedOnlyByPost, double Share);

/// <summary>
/// What PushGov did for a tenant in a range of days (Asia/Tokyo, both ends included), and whether LINE is in use now
/// (<see cref="Line"/>: stopped near the month's quota, messages then go on the residents' next channel).
/// </summary>
public sealed record DashboardReport(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<DropSummary> Drops,
    IReadOnlyList<KeyCount> LifeEvents,
    IReadOnlyList<KeyCount> CasesByState,
    IReadOnlyList<MessageCount> Messages,
    IReadOnlyList<FunnelRow> Funnel,
    PostOnlyReach PostOnly,
    LineQuotaState? Line);

/// <summary>
/// The staff dashboard's figures, computed from the tenant's own partitions only: cases created in the range (one per
/// life event), messages created in it, drops received in it; and the tenant's LINE quota as last read (at most
/// <see cref="LineQuota.MaxAge"/> old). Counts only: nothing personal leaves this class.
/// </summary>
public sealed class Dashboard(ICaseReader cases, MessageStore messages, DropList drops, TenantDirectory? tenants = null, LineQuota? line = null)
{
    /// <summary>The longest range one dashboard covers.</summary>
    public const int MaxDays = 400;

    /// <summary>The instant a Tokyo day starts.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => JapanTime.At(day, TimeOnly.MinValue, JapanTime.Tokyo);

    /// <summary>Today in Tokyo.</summary>
    public static DateOnly Today(TimeProvider clock) => JapanTime.Today(clock.GetUtcNow());

    public async Task<DashboardReport> ReadAsync(string tenant, DateOnly from, DateOnly to, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        var start = StartOf(from);
        var end = StartOf(to.AddDays(1));

        var inRange = new List<CaseData>();
        await foreach (var c in cases.ListWrittenSinceAsync(tenant, start, ct))
        {
            if (c.CreatedAt >= start && c.CreatedAt < end)
            {
                inRange.Add(c);
            }
        }

        // Messages of the range's cases may be created after the range ends (a reminder): read from its start on.
        var caseIds = inRange.Select(c => c.CaseId).ToHashSet(StringComparer.Ordinal);
        var ofCases = new List<MessageRecord>();
        var createdInRange = new List<MessageRecord>();
        await foreach (var m in messages.ListCreatedSinceAsync(tenant, start, ct))
        {
            if (m.CreatedAt < end)
            {
                createdInRange.Add(m);
            }

            if (caseIds.Contains(m.CaseId))
            {
                ofCases.Add(m);
            }
        }

        var dropList = await drops.ListAsync(tenant, start, end, ct);
        var lineState = line is not null && tenants is not null && await tenants.FindAsync(tenant, ct) is { } config
            ? await line.StateAsync(config, refresh: false, ct)
            : null;
        return new DashboardReport(
            from,
            to,
            dropList,
            Count(inRange.Select(c => c.Event.Kind.ToString())),
            Count(inRange.Select(c => c.State.ToString())),
            createdInRange.GroupBy(m => (Channel: m.Channel.ToString().ToLowerInvariant(), Status: m.Status.ToWireName()))
                .Select(g => new MessageCount(g.Key.Channel, g.Key.Status, g.LongCount()))
                .OrderBy(m => m.Channel, StringComparer.Ordinal).ThenBy(m => m.Status, StringComparer.Ordinal).ToList(),
            Funnel(inRange, ofCases),
            PostOnly(createdInRange),
            lineState);
    }

    private static List<KeyCount> Count(IEnumerable<string> keys) =>
        keys.GroupBy(k => k, StringComparer.Ordinal).Select(g => new KeyCount(g.Key, g.LongCount()))
            .OrderByDescending(k => k.Count).ThenBy(k => k.Key, StringComparer.Ordinal).ToList();

    private static List<FunnelRow> Funnel(IReadOnlyList<CaseData> inRange, IReadOnlyList<MessageRecord> ofCases)
    {
        var byCase = ofCases.ToLookup(m => m.CaseId, StringComparer.Ordinal);
        var rows = new List<FunnelRow>();

        var services = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        var channels = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        var languages = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var c in inRange)
        {
            var applied = c.Outcome == CaseOutcome.Applied ? 1 : 0;
            var sent = byCase[c.CaseId].ToList();
            foreach (var service in c.Matches.Select(m => m.ServiceId).Distinct(StringComparer.Ordinal))
            {
                var delivered = sent.Any(m => m.Status == NotificationStatus.Delivered && m.ServiceIds.Contains(service));
                Add(services, service, delivered, applied);
            }

            foreach (var g in sent.GroupBy(m => m.Channel.ToString().ToLowerInvariant(), StringComparer.Ordinal))
            {
                Add(channels, g.Key, g.Any(m => m.Status == NotificationStatus.Delivered), applied);
            }

            foreach (var g in sent.GroupBy(m => m.Language, StringComparer.OrdinalIgnoreCase))
            {
                Add(languages, g.Key, g.Any(m => m.Status == NotificationStatus.Delivered), applied);
            }
        }

        rows.AddRange(services.Select(s => new FunnelRow("service", s.Key, s.Value[0], s.Value[1], s.Value[2])));
        rows.AddRange(channels.Select(s => new FunnelRow("channel", s.Key, s.Value[0], s.Value[1], s.Value[2])));
        rows.AddRange(languages.Select(s => new FunnelRow("language", s.Key, s.Value[0], s.Value[1], s.Value[2])));
        return rows;

        static void Add(SortedDictionary<string, long[]> into, string key, bool delivered, int applied)
        {
            if (!into.TryGetValue(key, out var counts))
            {
                into[key] = counts = new long[3];
            }

            counts[0]++;
            counts[1] += delivered ? 1 : 0;
            counts[2] += applied;
        }
    }

    private static PostOnlyReach PostOnly(IReadOnlyList<MessageRecord> created)
    {
        var reached = created.Where(m => m.Status == NotificationStatus.Delivered).GroupBy(m => m.ResidentId, StringComparer.Ordinal).ToList();
        var postOnly = reached.LongCount(g => g.All(m => m.Channel == Domain.Residents.Channel.Post));
        return new PostOnlyReach(reached.Count, postOnly, reached.Count == 0 ? 0 : Math.Round((double)postOnly / reached.Count, 4));
    }
}
