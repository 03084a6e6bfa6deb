using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using PushGov.Testing;

namespace PushGov.Bench;

/// <summary>
/// <c>./pushgov bench azurite</c>: what one table request costs the storage emulator as its table fills. Durable Task's
/// Azure Storage provider loads an orchestration's history with a query by partition (the instance id), and the app reads
/// a household, a case's messages and its history the same way; on Azure Tables such a query costs the same whatever the
/// table holds. This fills one table to each of the given sizes (entities of about a history row's size, 100 to a
/// partition, written in batches) and, at each size, times requests one at a time: point reads, queries of one whole
/// partition, and single inserts. Reported per request: the wall time and the CPU time of Azurite's event loop (its main
/// thread, from <c>/proc/&lt;pid&gt;/task/&lt;pid&gt;/schedstat</c>, in nanoseconds), which is what the emulator can
/// serve per second of a core.
/// </summary>
public static class AzuriteTablesBenchmark
{
    /// <summary>Entities in one partition: a query returns this many.</summary>
    public const int PartitionSize = 100;

    public static async Task<int> RunAsync(IReadOnlyList<int> sizes, int requests, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(output);
        if (sizes.Count == 0 || sizes.Any(s => s < PartitionSize) || requests < 1)
        {
            throw new ArgumentException($"Sizes of at least {PartitionSize} entities and at least one request are needed.");
        }

        await using var azurite = await Azurite.StartAsync(ct);
        var service = new TableServiceClient(azurite.ConnectionString);
        var table = service.GetTableClient("costs");
        await table.CreateIfNotExistsAsync(ct);
        await output.WriteLineAsync($"Azurite tables: machine {MachineInfo.Describe()}; load average {ProcessCpu.LoadAverage()} at the start; {requests} requests of each kind at each size, one at a time");

        var random = new Random(7);
        var filled = 0; // entities in the 100-entity partitions
        var singles = 0; // entities the timed inserts added
        foreach (var size in sizes.Order())
        {
            while (filled < size)
            {
                var partition = filled / PartitionSize;
                var count = Math.Min(PartitionSize - (filled % PartitionSize), size - filled);
                var from = filled % PartitionSize;
                await table.SubmitTransactionAsync(
                    Enumerable.Range(from, count).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(Partition(partition), i))), ct);
                filled += count;
            }

            var partitions = filled / PartitionSize;
            var point = await TimeAsync(azurite.ProcessId, requests, async () =>
                await table.GetEntityAsync<TableEntity>(Partition(random.Next(partitions)), Row(random.Next(PartitionSize)), cancellationToken: ct));
            var query = await TimeAsync(azurite.ProcessId, requests, async () =>
            {
                var rows = 0;
                await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition(random.Next(partitions)), cancellationToken: ct))
                {
                    rows++;
                }

                if (rows != PartitionSize)
                {
                    throw new InvalidOperationException($"A partition query returned {rows} entities, not {PartitionSize}.");
                }
            });
            var inserts = 0;
            var insert = await TimeAsync(azurite.ProcessId, requests, async () =>
                await table.AddEntityAsync(Entity("single-" + size.ToString(CultureInfo.InvariantCulture), inserts++), ct));
            singles += requests;
            await output.WriteLineAsync(FormattableString.Invariant(
                $"Azurite tables at {filled + singles,9:N0} entities: point read {point}; partition query ({PartitionSize} rows) {query}; insert {insert}"));
        }

        await output.WriteLineAsync($"Azurite tables: load average {ProcessCpu.LoadAverage()} at the end");
        return BenchApp.Ok;
    }

    /// <summary>The cost of one request, averaged over a run of them.</summary>
    private sealed record Cost(double WallMs, double LoopCpuMs)
    {
        public override string ToString() => FormattableString.Invariant($"{WallMs:0.00} ms wall, {LoopCpuMs:0.00} ms Azurite CPU");
    }

    private static async Task<Cost> TimeAsync(int azurite, int requests, Func<Task> request)
    {
        var cpu = ProcessCpu.MainThread(azurite).OnCpu;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            await request();
        }

        var wall = clock.Elapsed.TotalMilliseconds;
        return new Cost(wall / requests, (ProcessCpu.MainThread(azurite).OnCpu - cpu) * 1000 / requests);
    }

    private static string Partition(int index) => "instance-" + index.ToString("D7", CultureInfo.InvariantCulture);

    private static string Row(int index) => index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>An entity of about a Durable Task history row's size (a few properties, ~300 bytes of payload).</summary>
    private static TableEntity Entity(string partition, int row) => new(partition, Row(row))
    {
        ["EventType"] = "TaskCompleted",
        ["Name"] = "ApplyCaseEffects",
        ["EventId"] = row,
        ["Timestamp"] = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero),
        ["Result"] = new string('x', 300),
    };
}
