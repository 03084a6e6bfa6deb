using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Providers.Line;

/// <summary>
/// A tenant's LINE message quota as the staff dashboard shows it. <see cref="Available"/>: LINE may be used for new
/// messages (connected, and less than <see cref="StopAtPercent"/> of the month's quota consumed, or no limit).
/// </summary>
public sealed record LineQuotaState(
    string Tenant,
    bool Configured,
    long? Limit,
    long? Used,
    int StopAtPercent,
    bool Available,
    string Reason,
    DateTimeOffset? CheckedAt);

/// <summary>
/// The monthly message quota of each tenant's LINE channel (<c>GET /v2/bot/message/quota</c> and <c>/consumption</c>),
/// read at most every <see cref="MaxAge"/> and kept in the <c>sendindex</c> table (PartitionKey <c>lq|{tenant}</c>), so
/// every instance sees the same figures. When the tenant's <see cref="TenantConfig.LineQuotaStopPercent"/> is reached
/// (or LINE said "monthly limit"), LINE is unavailable: the resolve step picks the next channel of the tenant's order
/// and the sender refuses LINE messages not yet sent. Tenants not sending live (development sink) never ask LINE.
/// </summary>
public sealed class LineQuota(LineClient client, StorageClients storage, TimeProvider clock, ILogger<LineQuota> logger)
{
    /// <summary>How old a reading may be before LINE is asked again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly TableClient _table = storage.Table(StorageNames.Tables.SendIndex);

    /// <summary>Whether new messages to this tenant's residents may go on LINE.</summary>
    public async Task<bool> IsAvailableAsync(TenantConfig tenant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!client.IsConfigured(tenant.Code))
        {
            return false;
        }

        return !tenant.LiveSending || (await StateAsync(tenant, refresh: false, ct)).Available;
    }

    /// <summary>The quota state; <paramref name="refresh"/> asks LINE now instead of using a recent reading.</summary>
    public async Task<LineQuotaState> StateAsync(TenantConfig tenant, bool refresh, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var stopAt = tenant.LineQuotaStopPercent;
        if (!client.IsConfigured(tenant.Code))
        {
            return new LineQuotaState(tenant.Code, false, null, null, stopAt, false, "LINE is not connected for this tenant", null);
        }

        var row = await ReadAsync(tenant.Code, ct);
        var now = clock.GetUtcNow();
        if (refresh || row is null || now - row.Value.CheckedAt > MaxAge)
        {
            try
            {
                var reading = await client.QuotaAsync(tenant.Code, ct);
                row = (reading.Limit, reading.Used, now, false); // a fresh reading replaces a "monthly limit" answer
                await WriteAsync(tenant.Code, row.Value, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                logger.LogWarning("LINE quota of {Tenant} could not be read ({Error}); using the last reading", tenant.Code, e.GetType().Name);
            }
        }

        if (row is not { } r)
        {
            return new LineQuotaState(tenant.Code, true, null, null, stopAt, true, "quota not read yet (LINE did not answer); sending is allowed", null);
        }

        if (r.Spent)
        {
            return new LineQuotaState(tenant.Code, true, r.Limit, r.Used, stopAt, false, "LINE answered 'monthly limit': not used until the quota resets", r.CheckedAt);
        }

        if (r.Limit is not { } limit)
        {
            return new LineQuotaState(tenant.Code, true, null, r.Used, stopAt, true, "no monthly limit", r.CheckedAt);
        }

        var nearlySpent = r.Used * 100 >= limit * stopAt;
        return new LineQuotaState(
            tenant.Code,
            true,
            limit,
            r.Used,
            stopAt,
            !nearlySpent,
            nearlySpent ? $"{r.Used} of {limit} messages used (stop at {stopAt}%): the next channel is used instead" : $"{r.Used} of {limit} messages used",
            r.CheckedAt);
    }

    /// <summary>LINE said the month's limit is reached: LINE is unavailable for the tenant until the next reading (at most <see cref="MaxAge"/>).</summary>
    public async Task MarkSpentAsync(string tenant, CancellationToken ct)
    {
        var row = await ReadAsync(tenant, ct);
        await WriteAsync(tenant, (row?.Limit, row?.Used ?? 0, clock.GetUtcNow(), true), ct);
        logger.LogWarning("LINE monthly limit reached for {Tenant}", tenant);
    }

    private async Task<(long? Limit, long Used, DateTimeOffset CheckedAt, bool Spent)?> ReadAsync(string tenant, CancellationToken ct)
    {
        var e = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(tenant), string.Empty, cancellationToken: ct);
        return e.HasValue && e.Value is { } row
            ? (row.GetInt64("Limit"), row.GetInt64("Used") ?? 0, row.GetDateTimeOffset("CheckedAt") ?? default, row.GetBoolean("Spent") ?? false)
            : null;
    }

    private Task WriteAsync(string tenant, (long? Limit, long Used, DateTimeOffset CheckedAt, bool Spent) row, CancellationToken ct) =>
        _table.UpsertEntityAsync(
            new TableEntity(Partition(tenant), string.Empty) { ["Limit"] = row.Limit, ["Used"] = row.Used, ["CheckedAt"] = row.CheckedAt, ["Spent"] = row.Spent },
            TableUpdateMode.Replace,
            ct);

    private static string Partition(string tenant) => "lq|" + tenant;
}
