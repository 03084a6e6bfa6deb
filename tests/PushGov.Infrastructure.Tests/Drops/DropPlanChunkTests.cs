using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using PushGov.Domain.Serialization;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;
using PushGov.Testing.Sending;

namespace PushGov.Infrastructure.Tests.Drops;

/// <summary>A drop's plan is written and applied in chunks, and a run stopped part way resumes after its last applied chunk.</summary>
[Collection("Azurite")]
public sealed class DropPlanChunkTests(AzuriteFixture azurite)
{
    /// <summary>30 households of a head (a correction: a person, no event) and a newborn (a BIRTH: a person and a case).</summary>
    private const int Households = 30;

    /// <summary>8 persons (4 households) and 8 events a chunk: 8 chunks, the first 4 with events.</summary>
    private const int ChunkSize = 8;

    private const int Chunks = 8;

    [Fact]
    public async Task A_plan_of_several_chunks_is_applied_whole_and_deleted()
    {
        var run = await NewRunAsync();

        var result = await run.Ingestor(run.Starter).IngestAsync(run.Blob, CancellationToken.None);

        Assert.Equal(Households, result.Events.Count);
        Assert.Equal(result.Events.Select(e => e.EventId).Order(), run.Starter.CaseIds.Order());
        Assert.Equal(Households * 2, (await ResidentsAsync(run)).Count);
        Assert.Equal(Chunks, (await DropRowAsync(run)).GetInt32("AppliedChunks"));
        Assert.Empty(await PlanBlobsAsync(run));
    }

    [Fact]
    public async Task A_run_cancelled_while_chunk_2_starts_its_cases_resumes_from_chunk_2_and_ends_as_an_uninterrupted_run()
    {
        var whole = await NewRunAsync();
        await whole.Ingestor(whole.Starter).IngestAsync(whole.Blob, CancellationToken.None);

        var run = await NewRunAsync();
        using var stop = new CancellationTokenSource();
        var interrupted = new RecordingStarter(cancelAtStart: (2 * ChunkSize) + 1, stop);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Ingestor(interrupted).IngestAsync(run.Blob, stop.Token));

        Assert.Equal(2, (await DropRowAsync(run)).GetInt32("AppliedChunks"));
        Assert.Equal(2 * ChunkSize, (await ResidentsAsync(run)).Count); // chunks 0 and 1 only: 2 × 4 households of 2
        Assert.Contains($"{run.Tenant}/plans/", Assert.Single(await PlanBlobsAsync(run), b => b.EndsWith("manifest.json", StringComparison.Ordinal)), StringComparison.Ordinal);

        var resumed = new RecordingStarter();
        var result = await run.Ingestor(resumed).IngestAsync(run.Blob, CancellationToken.None);

        // Chunks 0 and 1 are not started again; chunk 2 (interrupted) and chunk 3 are.
        Assert.Equal(Households - (2 * ChunkSize), resumed.CaseIds.Count);
        Assert.Equal(Households, result.Events.Count);
        Assert.Equal(Cases(whole.Starter), Cases(interrupted).Union(Cases(resumed)).Order().ToList());
        Assert.Equal(await ResidentsAsync(whole), await ResidentsAsync(run));
        Assert.Equal(Chunks, (await DropRowAsync(run)).GetInt32("AppliedChunks"));
        Assert.Equal("completed", (await DropRowAsync(run)).GetString("Status"));
        Assert.Empty(await PlanBlobsAsync(run));
    }

    [Fact]
    public async Task A_first_load_cancelled_part_way_resumes_and_leaves_the_same_residents_cases_and_fingerprints_as_an_uninterrupted_one()
    {
        var whole = await NewRunAsync(FirstLoad);
        var expected = await whole.Ingestor(whole.Starter).IngestAsync(whole.Blob, CancellationToken.None);
        Assert.True(expected.Events.Count > 2 * ChunkSize, $"the first load starts cases in chunk 2 and later ({expected.Events.Count} events)");

        var run = await NewRunAsync(FirstLoad);
        using var stop = new CancellationTokenSource();
        var interrupted = new RecordingStarter(cancelAtStart: (2 * ChunkSize) + 1, stop);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Ingestor(interrupted).IngestAsync(run.Blob, stop.Token));
        Assert.Equal(2, (await DropRowAsync(run)).GetInt32("AppliedChunks"));

        var resumed = new RecordingStarter();
        await run.Ingestor(resumed).IngestAsync(run.Blob, CancellationToken.None);

        Assert.Equal(expected.Events.Count - (2 * ChunkSize), resumed.CaseIds.Count);
        Assert.Equal(Cases(whole.Starter), Cases(interrupted).Union(Cases(resumed)).Order().ToList());
        Assert.Equal(await ResidentsAsync(whole), await ResidentsAsync(run));
        Assert.Equal(await FingerprintsAsync(whole), await FingerprintsAsync(run));
        Assert.Empty(await PlanBlobsAsync(run));
    }

    [Fact]
    public async Task A_first_load_streamed_in_chunks_leaves_the_residents_cases_and_fingerprints_of_detection_over_the_whole_snapshot()
    {
        var run = await NewRunAsync(StreamedFirstLoad);
        var result = await run.Ingestor(run.Starter).IngestAsync(run.Blob, CancellationToken.None);

        // The same snapshot through a detector whose view keeps every person whole, as a first load did before it was streamed.
        var (_, csv) = StreamedFirstLoad();
        var view = new ResidentView();
        var detector = new LifeEventDetector(run.Tenant, view, new AgeEventSweep(run.Tenant), new LifeEventDetectorOptions { AsOf = new DateOnly(2026, 11, 22) });
        var diff = new SnapshotDiff(ResidentFingerprints.Empty);
        var events = new List<LifeEvent>();
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        foreach (var change in diff.Compare(DropReader.Read(content, Dataset.Residents, new DropOptions(), new DropReport()).OfType<ResidentRow>()))
        {
            detector.Apply(change, events);
        }

        Assert.True((await DropRowAsync(run)).GetInt32("AppliedChunks") > 20, "the load spans many chunks");
        Assert.Contains(events, e => e.Kind == LifeEventKind.AGE_65);
        Assert.Contains(events, e => e.Kind == LifeEventKind.AGE_75);
        Assert.Contains(events, e => e.Kind == LifeEventKind.SCHOOL_ENTRY);
        Assert.Equal(events.Select(e => e.EventId), result.Events.Select(e => e.EventId));
        Assert.Equal(events.Select(e => e.EventId).Order(), run.Starter.CaseIds.Order());
        Assert.Equal(
            view.Persons.Select(p => $"{p.HouseholdId} {p.ResidentId} {JsonSerializer.Serialize(p, PushGovJson.Options)}").Order(StringComparer.Ordinal),
            await ResidentsAsync(run));
        Assert.Equal(diff.Current.Serialize(), await FingerprintsAsync(run));
        Assert.Empty(await PlanBlobsAsync(run));
    }

    /// <summary>
    /// A first <c>residents</c> snapshot of 150 households of 1–4 members (heads near 65 or 75, children about to start
    /// school, others without an event), then two residents listed again: the first head, who moves to the last
    /// household (their earlier row is in a chunk already written), and the last head with another given name (their
    /// earlier row is in the chunk still open).
    /// </summary>
    private static (string Dataset, string Csv) StreamedFirstLoad()
    {
        const int households = 150;
        var csv = new StringBuilder("resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n");
        void Row(int resident, int household, string given, string birth, string relationship) =>
            csv.Append(CultureInfo.InvariantCulture, $"{300500000 + resident},{400500000 + household},山田,{given},ヤマダ,タロウ,{birth},1,{relationship},810-0001,福岡市中央区天神2丁目{household + 1}番,\n");

        var resident = 0;
        for (var h = 0; h < households; h++)
        {
            var headBirth = (h % 3) switch
            {
                0 => $"1961-12-{1 + (h % 20):D2}",
                1 => $"1951-12-{1 + (h % 20):D2}",
                _ => "1980-01-01",
            };
            Row(resident++, h, "太郎", headBirth, "世帯主");
            for (var m = 1; m <= h % 4; m++)
            {
                Row(resident++, h, "一郎", m % 2 == 1 ? "2020-06-15" : "2015-05-05", "子");
            }
        }

        Row(0, households - 1, "太郎", "1961-12-01", "同居人");
        Row(resident - 1 - ((households - 1) % 4), households - 1, "次郎", "1980-01-01", "世帯主");
        return ("residents", csv.ToString());
    }

    /// <summary>A first <c>residents</c> snapshot of 30 households of a head and a child who starts school next April (SCHOOL_ENTRY: a case each).</summary>
    private static (string Dataset, string Csv) FirstLoad()
    {
        var csv = new StringBuilder("resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n");
        for (var h = 0; h < Households; h++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{300300000 + (2 * h)},{400300000 + h},山田,太郎,ヤマダ,タロウ,1980-01-01,1,世帯主,810-0001,福岡市中央区天神1丁目{h + 1}番,\n");
            csv.Append(CultureInfo.InvariantCulture, $"{300300001 + (2 * h)},{400300000 + h},山田,一郎,ヤマダ,イチロウ,2020-06-15,1,子,810-0001,福岡市中央区天神1丁目{h + 1}番,\n");
        }

        return ("residents", csv.ToString());
    }

    /// <summary>Resident changes: per household a correction of its head (a person, no event) and a BIRTH (a person and a case).</summary>
    private static (string Dataset, string Csv) Changes()
    {
        var csv = new StringBuilder("record_id,resident_id,household_id,change_code,change_date,notified_date,family_name,given_name,birth_date,sex,relationship\n");
        for (var h = 0; h < Households; h++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"C{h},{300200000 + (2 * h)},{400200000 + h},CORRECTION,2026-11-20,2026-11-21,山田,太郎,1980-01-01,1,世帯主\n");
            csv.Append(CultureInfo.InvariantCulture, $"B{h},{300200001 + (2 * h)},{400200000 + h},BIRTH,2026-11-20,2026-11-21,山田,一郎,2026-11-20,1,子\n");
        }

        return ("resident-changes", csv.ToString());
    }

    private static async Task<byte[]> FingerprintsAsync(Run run) =>
        (await run.Storage.Container(StorageNames.Containers.State).GetBlobClient(DropIngestor.FingerprintsPath(run.Tenant)).DownloadContentAsync()).Value.Content.ToArray();

    /// <summary>The cases as started, without the tenant (each run has its own): kind, resident, household, date.</summary>
    private static List<string> Cases(RecordingStarter starter) =>
        [.. starter.Started.Select(c => $"{c.Event.Kind} {c.Event.ResidentId} {c.Event.HouseholdId} {c.Event.EventDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}").Distinct().Order(StringComparer.Ordinal)];

    private sealed record Run(StorageClients Storage, FakeTimeProvider Clock, TenantStore Tenants, string Tenant, string Blob, RecordingStarter Starter)
    {
        public DropIngestor Ingestor(ICaseStarter starter) =>
            new(Storage, new ResidentStore(Storage), starter, new RecordingInbox(), new TenantDirectory(Tenants, Clock), Clock, NullLogger<DropIngestor>.Instance)
            {
                PlanChunkSize = ChunkSize,
            };
    }

    private async Task<Run> NewRunAsync(Func<(string Dataset, string Csv)>? drop = null)
    {
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero));
        var tenants = new TenantStore(storage);
        var tenant = TestTenants.Next();
        await tenants.SaveAsync(new TenantConfig { Code = tenant, Name = "テスト市" }, create: true, CancellationToken.None);

        var (dataset, csv) = (drop ?? Changes)();
        var blob = $"{tenant}/{dataset}/20261122-0100.csv";
        await storage.Container(StorageNames.Containers.Drops).GetBlobClient(blob).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
        return new Run(storage, clock, tenants, tenant, blob, new RecordingStarter());
    }

    /// <summary>The tenant's residents as written (household without the tenant, 宛名番号, the person), in order.</summary>
    private static async Task<List<string>> ResidentsAsync(Run run)
    {
        var list = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {run.Tenant + "-"} and PartitionKey lt {run.Tenant + "."}");
        await foreach (var e in run.Storage.Table(StorageNames.Tables.Residents).QueryAsync<TableEntity>(filter))
        {
            list.Add($"{e.PartitionKey[(run.Tenant.Length + 1)..]} {e.RowKey} {JsonSerializer.Serialize(EntityPayload.Read<Person>(e, "P"), PushGovJson.Options)}");
        }

        return [.. list.Order(StringComparer.Ordinal)];
    }

    private static async Task<TableEntity> DropRowAsync(Run run)
    {
        var rows = new List<TableEntity>();
        await foreach (var e in run.Storage.Table(StorageNames.Tables.Drops).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {run.Tenant}")))
        {
            rows.Add(e);
        }

        return Assert.Single(rows);
    }

    private static async Task<List<string>> PlanBlobsAsync(Run run)
    {
        var names = new List<string>();
        await foreach (var b in run.Storage.Container(StorageNames.Containers.State).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{run.Tenant}/plans/", CancellationToken.None))
        {
            names.Add(b.Name);
        }

        return names;
    }

    /// <summary>Records the cases started; when told, cancels the ingest as the given start (1-based) begins, which then fails.</summary>
    private sealed class RecordingStarter(int cancelAtStart = 0, CancellationTokenSource? stop = null) : ICaseStarter
    {
        private int _starts;

        public ConcurrentBag<CaseData> Started { get; } = [];

        public List<string> CaseIds => [.. Started.Select(c => c.CaseId)];

        public Task<bool> StartAsync(CaseData fresh, CancellationToken ct)
        {
            if (Interlocked.Increment(ref _starts) == cancelAtStart)
            {
                stop!.Cancel();
            }

            ct.ThrowIfCancellationRequested();
            Started.Add(fresh);
            return Task.FromResult(true);
        }
    }
}
