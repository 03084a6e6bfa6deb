using System.Globalization;
using Azure;
using Azure.Data.Tables;
using PushGov.Domain;
using PushGov.Domain.Messaging.Pacing;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Sending;

/// <summary>
/// How one message is paced: quiet hours (SMS, by the tenant's clock in Asia/Tokyo), the provider's rate limits (kept per
/// <see cref="RateKey"/>: a provider and its sending number, shared by every tenant that sends through it) and the
/// tenant's daily cap (per <see cref="CapKey"/>: the tenant, all channels).
/// </summary>
public sealed record SendPacing(QuietHours? Quiet, string? RateKey, IReadOnlyList<RateLimitRule> Rules, string? CapKey, int? DailyCap)
{
    public bool IsNone => Quiet is null && (RateKey is null || Rules.Count == 0) && (CapKey is null || DailyCap is null);
}

/// <summary>
/// Reserves a send slot for a message in the <c>pacing</c> table, so limits hold across every app instance: one row per
/// provider number and channel (PartitionKey <c>rate</c>, its <see cref="SlidingWindowState"/> of reserved slots) and one per
/// tenant's daily cap (PartitionKey <c>cap</c>, a count per local day), each changed by an ETag-guarded read-modify-write
/// that starts again on 412. A message is then held until its slot.
/// <para>
/// A queue message becomes visible at whole seconds and is picked up a little later, so a message is sent between its
/// slot and <see cref="Grace"/> after it (later than that it takes a new slot). Every window is therefore widened by
/// <see cref="Grace"/> when slots are reserved: 200 a minute becomes 200 in any 63 s, so that the sends as the provider
/// sees them never exceed 200 in any 60 s.
/// </para>
/// </summary>
public sealed class SendPacer(StorageClients storage)
{
    /// <summary>How late after its slot a message may still be sent on that slot.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private const int MaxConflicts = 50;
    private readonly TableClient _table = storage.Table(StorageNames.Tables.Pacing);

    /// <summary>Counts ETag conflicts (412) met while reserving: contention between instances.</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    private long _conflicts;

    /// <summary>Reserves the earliest slot at or after <paramref name="now"/> that every limit allows.</summary>
    public async Task<DateTimeOffset> ReserveAsync(SendPacing pacing, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pacing);
        var t = pacing.Quiet?.NextAllowed(now) ?? now;
        var rules = pacing.Rules.Select(r => r with { Window = r.Window + Grace }).ToList();
        for (var round = 0; round < 5; round++)
        {
            var capAt = pacing is { CapKey: { } capKey, DailyCap: { } cap }
                ? await ChangeAsync("cap", capKey, e => ReserveDay(e, cap, t, now, pacing.Quiet), ct)
                : t;
            var at = pacing.RateKey is { } rateKey && rules.Count > 0
                ? await ChangeAsync("rate", rateKey, e => ReserveRate(e, rules, capAt, now, pacing.Quiet), ct)
                : capAt;

            if (pacing.CapKey is null || JapanTime.LocalDay(at, JapanTime.Tokyo) == JapanTime.LocalDay(capAt, JapanTime.Tokyo))
            {
                return at;
            }

            // The rate slot fell on the next day: count it there (the first count stays spent: never over the cap).
            t = at;
        }

        throw new InvalidOperationException("Could not reserve a send slot.");
    }

    /// <summary>The reserved slots of a rate row (for tests and benchmarks).</summary>
    public async Task<IReadOnlyList<long>> SlotsAsync(string rateKey, CancellationToken ct)
    {
        var e = await _table.GetEntityIfExistsAsync<TableEntity>("rate", RowKey(rateKey), cancellationToken: ct);
        return e.HasValue && e.Value is { } row ? ReadState(row).RecentUnixMs : [];
    }

    private static DateTimeOffset ReserveRate(TableEntity e, List<RateLimitRule> rules, DateTimeOffset from, DateTimeOffset now, QuietHours? quiet)
    {
        var slots = ReadState(e).RecentUnixMs.ToList();
        var at = SlotBook.Reserve(slots, rules, from, now, quiet);
        EntityPayload.Write(e, "S", new SlidingWindowState(slots).ToCompactString());
        return at;
    }

    private static DateTimeOffset ReserveDay(TableEntity e, int cap, DateTimeOffset from, DateTimeOffset now, QuietHours? quiet)
    {
        // Days before yesterday can no longer take a message.
        var oldest = JapanTime.LocalDay(now, JapanTime.Tokyo).AddDays(-1);
        foreach (var key in e.Keys.Where(k => k.StartsWith('d') && k.Length == 9).ToList())
        {
            if (DateOnly.ParseExact(key[1..], "yyyyMMdd", CultureInfo.InvariantCulture) < oldest)
            {
                e.Remove(key);
            }
        }

        var t = from;
        while (true)
        {
            t = quiet?.NextAllowed(t) ?? t;
            var day = JapanTime.LocalDay(t, JapanTime.Tokyo);
            var key = "d" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var count = e.GetInt32(key) ?? 0;
            if (count < cap)
            {
                e[key] = count + 1;
                return t;
            }

            t = JapanTime.At(day.AddDays(1), TimeOnly.MinValue, JapanTime.Tokyo);
        }
    }

    private static SlidingWindowState ReadState(TableEntity e) =>
        EntityPayload.Read<string>(e, "S") is { Length: > 0 } text ? SlidingWindowState.Parse(text) : SlidingWindowState.Empty;

    private async Task<DateTimeOffset> ChangeAsync(string partition, string key, Func<TableEntity, DateTimeOffset> change, CancellationToken ct)
    {
        var row = RowKey(key);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var found = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: ct);
            var entity = found.HasValue && found.Value is { } existing ? existing : new TableEntity(partition, row);
            var at = change(entity);
            try
            {
                if (found.HasValue)
                {
                    await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                }
                else
                {
                    await _table.AddEntityAsync(entity, ct);
                }

                return at;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                Interlocked.Increment(ref _conflicts);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + (attempt * 5))), ct);
            }
        }

        throw new InvalidOperationException($"The pacing row {partition}/{key} stayed contended.");
    }

    /// <summary>Row keys may not hold '/', '\', '#', '?': "sms|acs-sms|+18005550100" is fine as it is.</summary>
    private static string RowKey(string key) =>
        string.Concat(key.Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c));
}
