using PushGov.Domain;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Line;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Infrastructure.Reporting;

/// <summary>A count under a key (a life event kind, a case state).</summary>
public sealed record KeyCount(string Key, long Count);

/// <summary>Messages of one channel in one status.</summary>
public sealed record MessageCount(string Channel, string Status, long Count);

/// <summary>Residents reached (a message delivered) and, of them, those reached only by post: the digital divide.</summary>
public sealed record PostOnlyReach(long ResidentsReached, long ReachedOnlyByPost, double Share);

/// <summary>
/// What PushGov did for a tenant in a range of days (Asia/Tokyo, both ends included; the take-up funnel is
/// <see cref="TakeUpFigures"/>'s), and whether LINE is in use now
/// (<see cref="Line"/>: stopped near the month's quota, messages then go on the residents' next channel).
/// </summary>
public sealed record DashboardReport(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<DropSummary> Drops,
    IReadOnlyList<KeyCount> LifeEvents,
    IReadOnlyList<KeyCount> CasesByState,
    IReadOnlyList<MessageCount> Messages,
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

    public async Task<DashboardReport> ReadAsync(string tenant, DateOnly from, DateOnly to, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        var start = StartOf(from);
        var end = StartOf(to.AddDays(1));

        var inRange = await CasesCreatedAsync(cases, tenant, start, end, ct);
        var createdInRange = new List<MessageRecord>();
        await foreach (var m in messages.ListCreatedSinceAsync(tenant, start, ct))
        {
            if (m.CreatedAt < end)
            {
                createdInRange.Add(m);
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
            PostOnly(createdInRange),
            lineState);
    }

    /// <summary>The tenant's cases created in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    internal static async Task<List<CaseData>> CasesCreatedAsync(ICaseReader cases, string tenant, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var inRange = new List<CaseData>();
        await foreach (var c in cases.ListWrittenSinceAsync(tenant, start, ct))
        {
            if (c.CreatedAt >= start && c.CreatedAt < end)
            {
                inRange.Add(c);
            }
        }

        return inRange;
    }

    private static List<KeyCount> Count(IEnumerable<string> keys) =>
        keys.GroupBy(k => k, StringComparer.Ordinal).Select(g => new KeyCount(g.Key, g.LongCount()))
            .OrderByDescending(k => k.Count).ThenBy(k => k.Key, StringComparer.Ordinal).ToList();

    private static PostOnlyReach PostOnly(IReadOnlyList<MessageRecord> created)
    {
        var reached = created.Where(m => m.Status == NotificationStatus.Delivered).GroupBy(m => m.ResidentId, StringComparer.Ordinal).ToList();
        var postOnly = reached.LongCount(g => g.All(m => m.Channel == Domain.Residents.Channel.Post));
        return new PostOnlyReach(reached.Count, postOnly, reached.Count == 0 ? 0 : Math.Round((double)postOnly / reached.Count, 4));
    }
}
