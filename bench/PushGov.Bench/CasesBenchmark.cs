using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Local;
using PushGov.LocalHost;
using PushGov.Testing;

namespace PushGov.Bench;

/// <summary>
/// P3: cases end to end on Azurite, against the floor of the platform they run on, in one run on one Azurite:
/// <list type="number">
/// <item>the floor (<see cref="DurableFloor"/>): N bare Durable Task orchestrations of the case engine's shape (two
/// activities, a send, a timer) on the same provider settings;</item>
/// <item>the app: the whole app in this process on the local host (as <c>./run.sh</c> runs it: one Durable orchestration per
/// case); a <c>resident-changes</c> drop with one BIRTH per household is placed in blob storage, and each case's first message
/// is timed from the upload to its row in the development sink;</item>
/// <item>then one-row drops, one after another, each timed the same way.</item>
/// </list>
/// Storage operations are every HTTP request this process sends to Azurite (<see cref="StorageRequestMeter"/>: the app's
/// clients, Durable Task's own, the local host's polling), less the benchmark's own polling of the sink. CPU time is read
/// from /proc for this process and for Azurite separately (<see cref="ProcessCpu"/>).
/// </summary>
public static class CasesBenchmark
{
    /// <summary>The old engine's figures at 1,000 cases (docs/benchmarks.md): the issue's lower bound for the new one.</summary>
    private const double OldEngineCasesPerSecond = 14;

    private const double OldEngineP50Ms = 35_000;

    public static async Task<int> RunAsync(TextWriter output, int cases, int oneRowDrops, CancellationToken ct)
    {
        await using var azurite = await Azurite.StartAsync(ct);
        using var meter = new StorageRequestMeter(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        var azuritePids = ProcessCpu.NodeDescendants();
        var probe = new BenchProbe(meter, azuritePids);
        output.WriteLine($"P3 machine: {MachineInfo.Describe()}; load average {ProcessCpu.LoadAverage()} at the start; Azurite pid {string.Join(',', azuritePids)}");

        // 1. The floor, on the fresh Azurite.
        var floor = await DurableFloor.RunAsync(azurite.ConnectionString, probe, cases, ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 floor (bare Durable Task): {floor.Completed} of {cases} orchestrations completed; start -> sink row: first {Pct(floor.LatenciesMs, 0):F0} ms, p50 {Pct(floor.LatenciesMs, 0.5):F0} ms, p95 {Pct(floor.LatenciesMs, 0.95):F0} ms"));
        var floorRate = floor.LatenciesMs.Count / (Pct(floor.LatenciesMs, 1) / 1000);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 floor throughput: {floorRate:F1} cases/s to the last sink row, {floor.Completed / floor.LastCompletionSeconds:F1} cases/s to the last completion (after its 1 s timer)"));
        output.WriteLine($"P3 floor to the last completion: {floor.ToCompletion.Describe("floor process")}");
        output.WriteLine($"P3 floor until quiet: {floor.Settled.Describe("floor process")} (idle polling {floor.IdleRequestsPerSecond:F1} requests/s)");
        output.WriteLine($"P3 load average after the floor: {ProcessCpu.LoadAverage()}");

        // 2. The app, on the same Azurite.
        await using var app = LocalFunctionsHost.Create(LocalApp.Options(TestAppSettings.For(azurite.ConnectionString, "bench"), blobPolling: TimeSpan.FromMilliseconds(200), logging: l => l.ClearProviders()));
        await app.StartAsync(ct);

        var storage = app.Services.GetRequiredService<StorageClients>();
        await storage.EnsureCreatedAsync(ct);
        const string tenant = "401307";
        await app.Services.GetRequiredService<TenantStore>().SaveAsync(new TenantConfig { Code = tenant, Name = "福岡市" }, create: true, ct);

        // The households and their contacts first (not measured): one per case of the big drop, one per one-row drop.
        var households = cases + oneRowDrops;
        var drops = storage.Container(StorageNames.Containers.Drops);
        var residents = new StringBuilder("resident_id,household_id,family_name,given_name,birth_date,sex,relationship,postal_code,address\n");
        var contacts = new StringBuilder("resident_id,channel,address,language,consent,consented_at\n");
        var births = new StringBuilder(BirthHeader);
        for (var i = 0; i < households; i++)
        {
            var h = (500000000 + i).ToString(CultureInfo.InvariantCulture);
            var father = (600000000 + (i * 3)).ToString(CultureInfo.InvariantCulture);
            var mother = (600000001 + (i * 3)).ToString(CultureInfo.InvariantCulture);
            residents.Append(CultureInfo.InvariantCulture, $"{father},{h},試験,太郎,1990-05-10,1,世帯主,8100001,福岡市中央区天神1-1-{i}\n");
            residents.Append(CultureInfo.InvariantCulture, $"{mother},{h},試験,花子,1992-08-01,2,妻,8100001,福岡市中央区天神1-1-{i}\n");
            contacts.Append(CultureInfo.InvariantCulture, $"{father},sms,{Address(i)},ja,1,2026-04-01\n");
            if (i < cases)
            {
                births.Append(Birth(i));
            }
        }

        await UploadAndWaitAsync(storage, $"{tenant}/contacts/bench-contacts.csv", contacts, ct);
        await UploadAndWaitAsync(storage, $"{tenant}/residents/bench-residents.csv", residents, ct);

        var sink = new SinkReader(azurite.ConnectionString, tenant);
        var idle = await probe.IdleRateAsync(TimeSpan.FromSeconds(5), ct);
        var appCounter = storage.Counter.Snapshot();
        var from = probe.Take();
        var ownFrom = sink.Requests;
        var uploaded = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await drops.GetBlobClient($"{tenant}/resident-changes/bench-births.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(births.ToString())), overwrite: true, ct);

        var arrivals = new List<DateTimeOffset>();
        var deadline = TimeSpan.FromMinutes(Math.Max(3, cases / 10));
        while (clock.Elapsed < deadline)
        {
            arrivals = await sink.ArrivalsAsync(ct);
            if (arrivals.Count >= cases)
            {
                break;
            }

            await Task.Delay(250, ct);
        }

        var firsts = probe.Take();
        var ownAtFirsts = sink.Requests - ownFrom;
        var appCounterAtFirsts = storage.Counter.Snapshot();
        var settled = await probe.WaitForQuietAsync(idle, TimeSpan.FromMinutes(3), ct);
        var appCounterSettled = storage.Counter.Snapshot();

        var latencies = arrivals.Select(a => (a - uploaded).TotalMilliseconds).Order().ToList();
        var appRate = latencies.Count / (Pct(latencies, 1) / 1000);
        var toFirsts = new BenchWindow(from, firsts, ownAtFirsts, cases);
        var toQuiet = new BenchWindow(from, settled, ownAtFirsts, cases);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 app: {arrivals.Count} of {cases} first messages in the sink in {(firsts.At - from.At).TotalSeconds:F1} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 app drop upload -> first message: first {Pct(latencies, 0):F0} ms, p50 {Pct(latencies, 0.5):F0} ms, p95 {Pct(latencies, 0.95):F0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 app throughput: {appRate:F1} cases/s to the last first message"));
        output.WriteLine($"P3 app to the last first message: {toFirsts.Describe("app process")}");
        output.WriteLine($"P3 app until quiet (delivery reports applied): {toQuiet.Describe("app process")} (idle polling {idle:F1} requests/s)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"P3 app storage requests by client, to the last first message: the app's own storage clients {(appCounterAtFirsts.Total - appCounter.Total) / (double)cases:F1}/case, Durable Task and the host's listeners the other {toFirsts.RequestsPerCase - ((appCounterAtFirsts.Total - appCounter.Total) / (double)cases):F1}; until quiet {(appCounterSettled.Total - appCounter.Total) / (double)cases:F1} and {toQuiet.RequestsPerCase - ((appCounterSettled.Total - appCounter.Total) / (double)cases):F1}"));
        output.WriteLine($"P3 load average after the app: {ProcessCpu.LoadAverage()}");

        // 3. One-row drops, one at a time, after the big one has settled; each waits for the message to its own household.
        var single = new List<double>();
        for (var k = 0; k < oneRowDrops; k++)
        {
            var row = new StringBuilder(BirthHeader).Append(Birth(cases + k));
            var at = DateTimeOffset.UtcNow;
            var wait = Stopwatch.StartNew();
            await drops.GetBlobClient($"{tenant}/resident-changes/bench-one-{k}.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(row.ToString())), overwrite: true, ct);
            DateTimeOffset? arrived = null;
            while (arrived is null && wait.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(50, ct);
                arrived = await sink.ArrivalAtAsync(Address(cases + k), ct);
            }

            single.Add(arrived is { } a ? (a - at).TotalMilliseconds : double.PositiveInfinity);
            await Task.Delay(2000, ct);
        }

        single.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 one-row drops: {single.Count(double.IsFinite)} of {oneRowDrops} reached the sink within 2 min; upload -> first message {string.Join(", ", single.Select(s => s.ToString("F0", CultureInfo.InvariantCulture)))} ms; p50 {Pct(single, 0.5):F0} ms"));
        await app.StopAsync(ct);

        // The issue's goals.
        var opsRatio = toQuiet.RequestsPerCase / floor.Settled.RequestsPerCase;
        var rateRatio = appRate / floorRate;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 goal storage requests/case <= 1.5x the floor's: {toQuiet.RequestsPerCase:F1} until quiet / {floor.Settled.RequestsPerCase:F1} = {opsRatio:F2}x ({toFirsts.RequestsPerCase / floor.ToCompletion.RequestsPerCase:F2}x to the first message / to the floor's completion): {Verdict(opsRatio <= 1.5)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 goal cases/s >= 0.8x the floor's: {appRate:F1} / {floorRate:F1} = {rateRatio:F2}x: {Verdict(rateRatio >= 0.8)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 goal never below the old engine (14 cases/s, p50 35 s at 1,000 cases): {appRate:F1} cases/s, p50 {Pct(latencies, 0.5) / 1000:F1} s: {Verdict(appRate >= OldEngineCasesPerSecond && Pct(latencies, 0.5) <= OldEngineP50Ms)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 goal one-row drop p50 <= 2 s: {Pct(single, 0.5) / 1000:F2} s: {Verdict(Pct(single, 0.5) <= 2000)}"));
        return arrivals.Count >= cases && single.All(double.IsFinite) && floor.Completed >= cases ? 0 : 1;
    }

    private const string BirthHeader = "record_id,resident_id,household_id,change_code,change_date,family_name,given_name,birth_date,sex,relationship\n";

    /// <summary>A BIRTH row: a child born into household <paramref name="i"/>.</summary>
    private static string Birth(int i) => string.Create(CultureInfo.InvariantCulture,
        $"R{i},{600000002 + (i * 3)},{500000000 + i},BIRTH,2026-11-20,試験,一郎,2026-11-20,1,子\n");

    /// <summary>The (made-up) SMS address of household <paramref name="i"/>'s father, the recipient of its case's message.</summary>
    private static string Address(int i) => string.Create(CultureInfo.InvariantCulture, $"+8190{i:D8}");

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    /// <summary>The p-th quantile of sorted values (nearest rank); p = 1 is the largest.</summary>
    private static double Pct(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task UploadAndWaitAsync(StorageClients storage, string blobName, StringBuilder csv, CancellationToken ct)
    {
        await storage.Container(StorageNames.Containers.Drops).GetBlobClient(blobName).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv.ToString())), overwrite: true, ct);
        var report = storage.Container(StorageNames.Containers.DropReports).GetBlobClient(blobName + ".report.json");
        for (var i = 0; i < 1200 && !await report.ExistsAsync(ct); i++)
        {
            await Task.Delay(250, ct);
        }
    }

    /// <summary>The benchmark's own reader of the development sink, with its own count of requests (left out of the app's).</summary>
    private sealed class SinkReader
    {
        private readonly TableClient _table;
        private readonly string _tenant;
        private readonly OwnRequestCounter _counter = new();

        public SinkReader(string connectionString, string tenant)
        {
            var options = new TableClientOptions();
            options.AddPolicy(_counter, HttpPipelinePosition.PerRetry);
            _table = new TableClient(connectionString, StorageNames.Tables.Sink, options);
            _tenant = tenant;
        }

        public long Requests => _counter.Count;

        public async Task<List<DateTimeOffset>> ArrivalsAsync(CancellationToken ct)
        {
            var arrivals = new List<DateTimeOffset>();
            await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {_tenant}"), select: ["RecordedAt"], cancellationToken: ct))
            {
                arrivals.Add(e.GetDateTimeOffset("RecordedAt") ?? default);
            }

            return arrivals;
        }

        /// <summary>When the first message to <paramref name="address"/> reached the sink, or null.</summary>
        public async Task<DateTimeOffset?> ArrivalAtAsync(string address, CancellationToken ct)
        {
            await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {_tenant} and To eq {address}"), select: ["RecordedAt"], cancellationToken: ct))
            {
                return e.GetDateTimeOffset("RecordedAt");
            }

            return null;
        }
    }

    private sealed class OwnRequestCounter : HttpPipelineSynchronousPolicy
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
