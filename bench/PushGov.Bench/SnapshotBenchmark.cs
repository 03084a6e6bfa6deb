using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;
using PushGov.Tooling.Generate;

namespace PushGov.Bench;

/// <summary>
/// P2: a <c>residents</c> snapshot with a small share of residents changed, after a first snapshot, through the app's
/// <see cref="DropIngestor"/> on a real Azurite (started here, in memory). Two parts:
/// <list type="number">
/// <item>a real first load of <see cref="IngestBenchmarkOptions.FirstLoadPopulation"/> residents (every resident written),
/// for its rate and the extrapolation to the full population;</item>
/// <item>the second snapshot of <see cref="IngestBenchmarkOptions.Population"/> residents. When that population is larger
/// than the first load, the tenant's storage is seeded with what a first load leaves behind for the second snapshot to
/// read: the fingerprints of the first snapshot and the households of the residents who change (the snapshot path
/// reads nothing else); otherwise the first load's tenant is used as it is.</item>
/// </list>
/// Storage writes are counted by <see cref="StorageOperationCounter"/> (batches count once) over the ingest only.
/// </summary>
public static class SnapshotBenchmark
{
    private const string FirstTenant = "401307";
    private const string SecondTenant = "131016";

    public static async Task<string?> RunAsync(IngestBenchmarkOptions options, string work, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var lines = new StringBuilder();
        void Line(string text)
        {
            lines.AppendLine(text);
            output.WriteLine(text);
        }

        await error.WriteLineAsync("Starting Azurite (in memory)…");
        await using var azurite = await Azurite.StartAsync(ct);
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync(ct);
        await using var app = await AppIngest.StartAsync(azurite.ConnectionString, TimeProvider.System, ct);

        // 1. A real first load.
        var firstSize = Math.Min(options.FirstLoadPopulation, options.Population);
        var firstFile = await GenerateSnapshotAsync(FirstTenant, firstSize, work, error);
        await app.Tenants.SaveAsync(new TenantConfig { Code = FirstTenant, Name = "福岡市" }, create: true, ct);
        var (firstUpload, firstBlob) = await TimeAsync(() => app.UploadAsync(FirstTenant, "residents", firstFile, "20261121-0000.csv", ct));
        if (options.FirstLoadChunks > 0)
        {
            await PartialFirstLoadAsync(app, azurite, firstBlob, firstSize, options.FirstLoadChunks, output, ct);
            return null;
        }

        var first = await IngestAsync(app, azurite, firstBlob, ct);
        Line($"P2 first load: {firstSize:N0} residents ({new FileInfo(firstFile).Length / 1048576.0:F0} MiB CP932) uploaded in {firstUpload.TotalSeconds:F1} s, ingested in {first.Seconds:F1} s = {firstSize / first.Seconds:N0} residents/s (CPU {first.CpuSeconds:F1} s this process, {first.AzuriteCpuSeconds:F1} s Azurite); {first.Writes:N0} storage writes ({first.Writes / (double)firstSize:F2}/resident), {first.Events:N0} events (cases started), peak working set {first.PeakWorkingSet / 1048576.0:F0} MiB");
        if (options.Population > firstSize)
        {
            Line($"P2 first load extrapolated to {options.Population:N0} residents at that rate: {options.Population / (firstSize / first.Seconds) / 60:F0} min (storage-bound; not run here)");
        }

        // 2. The second snapshot.
        string tenant;
        string baseFile;
        if (options.Population == firstSize)
        {
            tenant = FirstTenant;
            baseFile = firstFile;
        }
        else
        {
            tenant = SecondTenant;
            baseFile = await GenerateSnapshotAsync(SecondTenant, options.Population, work, error);
            await app.Tenants.SaveAsync(new TenantConfig { Code = SecondTenant, Name = "千代田区" }, create: true, ct);
        }

        var secondFile = Path.Combine(work, $"{tenant}-second-{options.Population}.csv");
        var plan = WriteSecondSnapshot(baseFile, secondFile, options.ChangedPercent);
        if (tenant == SecondTenant)
        {
            var seeded = await SeedAsync(app, tenant, baseFile, plan, error, ct);
            Line($"P2 seeded {tenant} as a first load of {options.Population:N0} leaves it for the second snapshot: fingerprints of {options.Population:N0} residents, {seeded:N0} residents of the households that change");
        }

        var (secondUpload, secondBlob) = await TimeAsync(() => app.UploadAsync(tenant, "residents", secondFile, "20261122-0000.csv", ct));
        var second = await IngestAsync(app, azurite, secondBlob, ct);
        var changed = plan.Changed + plan.Removed + plan.Added;
        Line($"P2 second snapshot: {options.Population:N0} residents, {changed:N0} changed ({plan.Changed:N0} changed rows, {plan.Removed:N0} gone, {plan.Added:N0} new = {changed * 100.0 / options.Population:F2}%)");
        Line($"P2 second snapshot upload: {secondUpload.TotalSeconds:F1} s ({new FileInfo(secondFile).Length / 1048576.0:F0} MiB; not part of the ingest)");
        Line($"P2 second snapshot ingest: {second.Seconds:F1} s (CPU {second.CpuSeconds:F1} s this process, {second.AzuriteCpuSeconds:F1} s Azurite)   [goal <= 30 s]");
        Line($"P2 second snapshot phases (wall): {DropPhaseTime.Describe(second.Phases)}");
        Line($"P2 second snapshot peak working set (sampled, this process; Azurite not counted): {second.PeakWorkingSet / 1048576.0:F0} MiB ({second.StartWorkingSet / 1048576.0:F0} MiB as the ingest started)   [goal <= 1 GiB]");
        Line($"P2 second snapshot storage writes: {second.Writes:N0} for {changed:N0} changed residents = {second.Writes / (double)Math.Max(1, changed):F2}x   [goal <= 1.1x]; {second.Events:N0} events; {second.Reads:N0} reads");
        return lines.ToString();
    }

    private sealed record Ingest(double Seconds, double CpuSeconds, double AzuriteCpuSeconds, long Writes, long Reads, int Events, long StartWorkingSet, long PeakWorkingSet, IReadOnlyList<DropPhaseTime> Phases);

    private static async Task<Ingest> IngestAsync(AppIngest app, Azurite azurite, string blob, CancellationToken ct)
    {
        ReturnFreedMemory();
        var cpu = ProcessCpu.Seconds(Environment.ProcessId);
        var azuriteCpu = azurite.CpuSeconds;
        var writes = app.Storage.Counter.Writes;
        var total = app.Storage.Counter.Total;
        using var sampler = new PeakSampler();
        var startWorkingSet = sampler.Peak;
        var watch = Stopwatch.StartNew();
        var result = await app.Ingestor.IngestAsync(blob, ct);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = ProcessCpu.Seconds(Environment.ProcessId) - cpu;
        var azuriteCpuSeconds = azurite.CpuSeconds - azuriteCpu;
        if (result.Report.RejectedWhole is not null || result.Report.RejectedCount > 0)
        {
            throw new InvalidOperationException($"The benchmark snapshot was not read cleanly: {result.Report.RejectedWhole ?? result.Report.Rejected[0].Message}");
        }

        var w = app.Storage.Counter.Writes - writes;
        return new Ingest(seconds, cpuSeconds, azuriteCpuSeconds, w, app.Storage.Counter.Total - total - w, result.Events.Count, startWorkingSet, sampler.Peak, result.Phases);
    }

    /// <summary>
    /// A first load stopped once <paramref name="chunks"/> chunks of its plan are applied, its two phases measured apart:
    /// the plan (both passes over the snapshot, detection, the plan's blobs) until its manifest is in storage, then the apply
    /// (cases and persons, chunk by chunk) until the drop's row counts <paramref name="chunks"/> applied. Storage is polled
    /// every 200 ms to tell the phases apart; a full collection at the boundary lets the apply phase's peak show what it
    /// holds rather than what the plan phase left for the collector.
    /// </summary>
    private static async Task PartialFirstLoadAsync(AppIngest app, Azurite azurite, string blob, int residents, int chunks, TextWriter output, CancellationToken ct)
    {
        var state = app.Storage.Container(StorageNames.Containers.State);
        var drops = app.Storage.Table(StorageNames.Tables.Drops);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ReturnFreedMemory();
        var (cpu, azuriteCpu) = (ProcessCpu.Seconds(Environment.ProcessId), azurite.CpuSeconds);
        using var sampler = new PeakSampler();
        var watch = Stopwatch.StartNew();
        var ingest = app.Ingestor.IngestAsync(blob, stop.Token);

        string? dropKey = null;
        while (dropKey is null && !ingest.IsCompleted)
        {
            await foreach (var item in state.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{FirstTenant}/plans/", ct))
            {
                if (item.Name.EndsWith("/manifest.json", StringComparison.Ordinal))
                {
                    dropKey = item.Name.Split('/')[2];
                }
            }

            if (dropKey is null)
            {
                await Task.Delay(200, ct);
            }
        }

        var plan = (Seconds: watch.Elapsed.TotalSeconds, Cpu: ProcessCpu.Seconds(Environment.ProcessId) - cpu, Azurite: azurite.CpuSeconds - azuriteCpu, Peak: sampler.Peak);
        var manifest = dropKey is null ? null : await new DropPlan(state, FirstTenant, dropKey, app.Ingestor.PlanChunkSize).ManifestAsync(ct);
        if (manifest is null)
        {
            await ingest;
            throw new InvalidOperationException("The first load ended before its plan's manifest was seen; run it without --first-load-chunks.");
        }

        output.WriteLine($"P2 first load of {residents:N0} residents: plan of {manifest.Chunks} chunks ({manifest.Persons:N0} persons, {manifest.Events:N0} events) written in {plan.Seconds:F1} s = {residents / plan.Seconds:N0} residents/s (CPU {plan.Cpu:F1} s this process, {plan.Azurite:F1} s Azurite), peak working set {plan.Peak / 1048576.0:F0} MiB");
        ReturnFreedMemory();
        (cpu, azuriteCpu) = (ProcessCpu.Seconds(Environment.ProcessId), azurite.CpuSeconds);
        using var applySampler = new PeakSampler();
        var applyWatch = Stopwatch.StartNew();
        var applied = 0;
        while (applied < chunks && !ingest.IsCompleted)
        {
            var row = await drops.GetEntityAsync<TableEntity>(FirstTenant, dropKey!, cancellationToken: ct);
            applied = row.Value.GetInt32("AppliedChunks") ?? 0;
            if (applied < chunks)
            {
                await Task.Delay(200, ct);
            }
        }

        await stop.CancelAsync();
        var apply = (Seconds: applyWatch.Elapsed.TotalSeconds, Cpu: ProcessCpu.Seconds(Environment.ProcessId) - cpu, Azurite: azurite.CpuSeconds - azuriteCpu, Peak: applySampler.Peak);
        try
        {
            await ingest;
        }
        catch (OperationCanceledException)
        {
            // stopped as asked
        }

        var persons = (double)manifest.Persons * applied / manifest.Chunks;
        output.WriteLine($"P2 first load of {residents:N0} residents: {applied} of {manifest.Chunks} chunks applied in {apply.Seconds:F1} s, ~{persons:N0} residents = {persons / apply.Seconds:N0} residents/s (CPU {apply.Cpu:F1} s this process, {apply.Azurite:F1} s Azurite), peak working set {apply.Peak / 1048576.0:F0} MiB; stopped there");
    }

    /// <summary>
    /// Gives the memory earlier steps freed (generating the file, seeding 3.8 M fingerprints) back to the OS, so the peak
    /// working set measured next is the ingest's, not what those steps left.
    /// </summary>
    private static void ReturnFreedMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static async Task<(TimeSpan Elapsed, T Result)> TimeAsync<T>(Func<Task<T>> work)
    {
        var watch = Stopwatch.StartNew();
        var result = await work();
        return (watch.Elapsed, result);
    }

    private static async Task<string> GenerateSnapshotAsync(string tenant, int population, string work, TextWriter error)
    {
        var dir = Path.Combine(work, $"{tenant}-{population}");
        var existing = Directory.Exists(dir) ? Directory.GetFiles(Path.Combine(dir, tenant, "residents"), "*.csv").FirstOrDefault() : null;
        if (existing is not null)
        {
            return existing;
        }

        await error.WriteLineAsync($"Generating {population:N0} residents for {tenant}…");
        var result = SyntheticMunicipality.Generate(tenant, population, seed: 21, dir, IngestBenchmark.Day.AddDays(-1));
        return result.Files.Single(f => f.Dataset == Dataset.Residents).Path;
    }

    /// <summary>Which residents the second snapshot changes (by id), and how.</summary>
    private sealed record SecondSnapshotPlan(HashSet<string> Households, long Changed, long Removed, long Added);

    /// <summary>
    /// Copies the first snapshot, changing about <paramref name="percent"/>% of residents: most move address (転居 within the
    /// city, the whole row rewritten), some change family name, some are gone, and some newborns appear in a changed household.
    /// </summary>
    private static SecondSnapshotPlan WriteSecondSnapshot(string from, string to, double percent)
    {
        var cp932 = CodePagesEncoding();
        var households = new HashSet<string>(StringComparer.Ordinal);
        long changed = 0, removed = 0, added = 0, row = 0;
        var threshold = (ulong)(percent / 100 * ulong.MaxValue);
        using var reader = new StreamReader(from, cp932);
        using var writer = new StreamWriter(to, append: false, cp932) { NewLine = "\r\n" };
        var header = reader.ReadLine()!;
        writer.WriteLine(header);
        var columns = header.Split(',');
        var addressAt = Array.IndexOf(columns, "address");
        var familyAt = Array.IndexOf(columns, "family_name");
        var idAt = Array.IndexOf(columns, "resident_id");
        var householdAt = Array.IndexOf(columns, "household_id");
        var relationshipAt = Array.IndexOf(columns, "relationship");
        var birthAt = Array.IndexOf(columns, "birth_date");
        var nextNew = 900_000_000L;
        while (reader.ReadLine() is { } line)
        {
            row++;
            var pick = Mix((ulong)row);
            if (pick >= threshold || line.Contains('"', StringComparison.Ordinal))
            {
                writer.WriteLine(line);
                continue;
            }

            var fields = line.Split(',');
            households.Add(fields[householdAt]);
            switch ((int)(Mix(pick) % 20))
            {
                case 0:
                    removed++; // gone from the registry
                    break;
                case 1:
                    writer.WriteLine(line);
                    var baby = (string[])fields.Clone();
                    baby[idAt] = (nextNew++).ToString(CultureInfo.InvariantCulture);
                    baby[relationshipAt] = "子";
                    baby[birthAt] = "2026-11-01";
                    writer.WriteLine(string.Join(',', baby));
                    added++;
                    break;
                case 2 or 3:
                    fields[familyAt] = fields[familyAt] == "佐藤" ? "鈴木" : "佐藤";
                    writer.WriteLine(string.Join(',', fields));
                    changed++;
                    break;
                default:
                    fields[addressAt] = fields[addressAt] + "-2";
                    writer.WriteLine(string.Join(',', fields));
                    changed++;
                    break;
            }
        }

        return new SecondSnapshotPlan(households, changed, removed, added);
    }

    /// <summary>What a first load leaves behind for the snapshot path: the fingerprints, and the households that will be read.</summary>
    private static async Task<long> SeedAsync(AppIngest app, string tenant, string firstSnapshot, SecondSnapshotPlan plan, TextWriter error, CancellationToken ct)
    {
        await error.WriteLineAsync("Seeding the first snapshot's fingerprints and the changing households…");
        var diff = new SnapshotDiff(ResidentFingerprints.Empty);
        var persons = new List<Person>();
        var report = new DropReport();
        await using (var stream = File.OpenRead(firstSnapshot))
        {
            foreach (var change in diff.Compare(DropReader.Read(stream, Dataset.Residents, DropOptions.Default, report, ct).OfType<ResidentRow>()))
            {
                if (plan.Households.Contains(change.Row!.Person.HouseholdId))
                {
                    persons.Add(change.Row.Person);
                }
            }
        }

        await app.Storage.Container(StorageNames.Containers.State).GetBlobClient(DropIngestor.FingerprintsPath(tenant))
            .UploadAsync(new BinaryData(diff.Current.Serialize()), overwrite: true, ct);
        await app.Residents.WriteAsync(tenant, persons, new Dictionary<string, string?>(), ct);
        return persons.Count;
    }

    private static Encoding CodePagesEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932);
    }

    // SplitMix64: a fixed, well-spread choice of rows (the same rows every run).
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
