using Azure.Data.Tables;
using PushGov.Domain.Cases;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Cases;

/// <summary>
/// Durable timers longer than a queue message can wait (7 days): rows in <c>timers</c>, PartitionKey the due day
/// (<c>yyyyMMdd</c>, UTC), RowKey <c>{tenant}|{caseId}|{token}</c>. The timer sweep moves rows due within the queue's
/// reach into delayed queue messages; the token on the case makes a stale or repeated timer harmless.
/// </summary>
public sealed class TimerStore(StorageClients storage)
{
    /// <summary>Queue messages may stay invisible at most 7 days; keep a margin.</summary>
    public static readonly TimeSpan QueueReach = TimeSpan.FromDays(6);

    private readonly TableClient _table = storage.Table(StorageNames.Tables.Timers);

    public Task AddAsync(string tenant, string caseId, CaseTimer timer, CancellationToken ct) =>
        _table.UpsertEntityAsync(
            new TableEntity(timer.DueAt.UtcDateTime.ToString("yyyyMMdd"), $"{tenant}|{caseId}|{timer.Token}")
            {
                ["Tenant"] = tenant,
                ["CaseId"] = caseId,
                ["Kind"] = timer.Kind.ToString(),
                ["Token"] = timer.Token,
                ["DueAt"] = timer.DueAt,
            },
            TableUpdateMode.Replace,
            ct);

    /// <summary>Timers due before <paramref name="until"/>, from the day partitions between <paramref name="from"/> and it.</summary>
    public async Task<IReadOnlyList<(string Tenant, string CaseId, CaseTimer Timer, string Partition, string Row)>> DueAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var due = new List<(string, string, CaseTimer, string, string)>();
        for (var day = from.UtcDateTime.Date; day <= until.UtcDateTime.Date; day = day.AddDays(1))
        {
            var partition = day.ToString("yyyyMMdd");
            await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: ct))
            {
                var timer = new CaseTimer(Enum.Parse<TimerKind>(e.GetString("Kind")), e.GetString("Token"), e.GetDateTimeOffset("DueAt") ?? default);
                if (timer.DueAt <= until)
                {
                    due.Add((e.GetString("Tenant"), e.GetString("CaseId"), timer, e.PartitionKey, e.RowKey));
                }
            }
        }

        return due;
    }

    public Task RemoveAsync(string partition, string row, CancellationToken ct) => _table.DeleteEntityAsync(partition, row, cancellationToken: ct);
}
