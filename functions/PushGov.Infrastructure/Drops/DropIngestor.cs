using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using PushGov.Domain;
using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Infrastructure.Drops;

/// <summary>
/// Ingests one drop from <c>drops/{tenant}/{dataset}/{file}</c>, streaming it twice (a <c>residents</c> snapshot after the
/// first: once; it is never held whole):
/// <list type="number">
/// <item>check the path (tenant code and configuration, dataset, file name); read the rows once to learn the content hash
/// and the residents and households concerned (a <c>residents</c> snapshot after the first is compared with the previous one
/// in the same pass); a drop whose bytes were ingested already for this tenant and dataset changes nothing;</item>
/// <item>load those households from the resident view (for a snapshot, the own rows of the residents who changed or left),
/// apply the rows to the detector, and keep the plan (events and changed
/// persons) in the state container as a <see cref="DropPlan"/> of chunks before anything is written, so a crash resumes with
/// the same plan;</item>
/// <item>apply the plan chunk by chunk: start one case per event of the chunk (case id = event id: starting twice is
/// harmless), then write its persons, then record the chunk as applied in the drop's row (a crash resumes with the next
/// chunk); then mark the drop done, delete the plan and write its report next to the drop in <c>drop-reports</c>.</item>
/// </list>
/// While it runs, the same report blob holds the report so far with its <see cref="DropReport.Progress"/> (phase, rows read
/// and applied, cases started), rewritten at most every <see cref="ProgressInterval"/>.
/// A <c>residents</c> snapshot is compared with the previous one through compact per-resident fingerprints, so only the
/// residents that changed are read or written.
/// </summary>
public sealed class DropIngestor(
    StorageClients storage,
    ResidentStore residents,
    ICaseStarter starter,
    ICaseInbox inbox,
    TenantDirectory tenants,
    TimeProvider clock,
    ILogger<DropIngestor> logger)
{
    /// <summary>Storage requests a drop keeps in flight at once (starting cases, reading households).</summary>
    private const int Concurrency = ResidentStore.Concurrency;

    private readonly TableClient _drops = storage.Table(StorageNames.Tables.Drops);
    private readonly BlobContainerClient _state = storage.Container(StorageNames.Containers.State);

    /// <summary>
    /// How often, at most, the report is written with its progress while a drop is ingested (rows read and applied, cases
    /// started); the finished report is written without it.
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The setting that gives <see cref="PlanChunkSize"/> (persons; <see cref="DefaultPlanChunkSize"/> when absent).</summary>
    public const string PlanChunkSizeSetting = "PushGov:Drops:PlanChunkSize";

    public const int DefaultPlanChunkSize = 10_000;

    /// <summary>
    /// Persons (and events) in one chunk of a drop's plan at most (<see cref="DropPlan.ChunkSize"/>): what is held in
    /// memory while the plan is applied, and the work redone after a crash.
    /// </summary>
    public int PlanChunkSize { get; init; } = DefaultPlanChunkSize;

    /// <summary>The outcome: the report (also written as a blob) and the events detected.</summary>
    public sealed record Result(DropReport Report, IReadOnlyList<LifeEvent> Events, bool Duplicate, int StorageWrites)
    {
        /// <summary>Where the ingest spent its time, phase by phase (empty for a drop rejected or found a duplicate).</summary>
        public IReadOnlyList<DropPhaseTime> Phases { get; init; } = [];
    }

    /// <summary>A <c>residents</c> snapshot compared with the previous fingerprints in pass 1: the new fingerprints, and the changes.</summary>
    private sealed record Comparison(ResidentFingerprints Current, List<SnapshotChange> Changes);

    /// <summary>Ingests the blob at <paramref name="blobName"/> (relative to the <c>drops</c> container).</summary>
    public Task<Result> IngestAsync(string blobName, CancellationToken ct) => IngestAsync(blobName, null, ct);

    /// <summary>
    /// Ingests the blob at <paramref name="blobName"/>; <paramref name="content"/>, when given (the blob trigger's stream),
    /// is read for the first pass, and the blob is opened again only for the second.
    /// </summary>
    public async Task<Result> IngestAsync(string blobName, Stream? content, CancellationToken ct)
    {
        var (path, problem) = DropPath.Parse(blobName);
        var blob = storage.Container(StorageNames.Containers.Drops).GetBlobClient(blobName);
        if (problem is not null || path is null)
        {
            return await RejectAsync(blobName, problem ?? "unreadable path", ct);
        }

        var tenant = await tenants.FindAsync(path.Tenant, ct);
        if (tenant is null)
        {
            return await RejectAsync(blobName, $"tenant {path.Tenant} is not configured in PushGov (create it with './pushgov tenant create').", ct);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant"] = path.Tenant, ["dataset"] = path.DatasetName, ["drop"] = path.File });

        // Pass 1: hash and keys. A residents snapshot after the first is compared with the previous fingerprints in this
        // pass too, so its rows are read and parsed once (a duplicate drop discards the comparison).
        var times = new DropPhaseTimes(clock);
        var progress = new DropProgressWriter(ReportBlob(path), clock, ProgressInterval);
        var first = new DropReport { Dataset = path.Dataset };
        var keys = await ReadFirstAsync(path, tenant, blob, first, times, Ticking(progress, first, DropPhase.Reading), content, ct);
        if (first.RejectedWhole is not null)
        {
            logger.LogWarning("Drop rejected whole: {Reason}", first.RejectedWhole);
            await WriteReportAsync(path, first, ct);
            return new Result(first, [], false, 0);
        }

        var dropKey = $"{path.DatasetName}-{first.ContentHash}";
        var seen = await _drops.GetEntityIfExistsAsync<TableEntity>(path.Tenant, dropKey, cancellationToken: ct);
        if (seen.HasValue && seen.Value!.GetString("Status") == "completed")
        {
            first.Warn(0, null, $"The same bytes were ingested already as {seen.Value.GetString("Blob")} on {seen.Value.GetDateTimeOffset("CompletedAt"):yyyy-MM-dd HH:mm} UTC: nothing changed.");
            await WriteReportAsync(path, first, ct);
            logger.LogInformation("Duplicate drop: nothing changed");
            return new Result(first, [], true, 0);
        }

        // Pass 2: detect, unless a whole plan from an interrupted run exists (then resume after its last applied chunk).
        var plan = new DropPlan(_state, path.Tenant, dropKey, PlanChunkSize);
        var manifest = await plan.ManifestAsync(ct);
        var applied = manifest is not null && seen.HasValue ? seen.Value!.GetInt32(AppliedChunks) ?? 0 : 0;
        await _drops.UpsertEntityAsync(new TableEntity(path.Tenant, dropKey) { ["Status"] = "processing", ["Blob"] = blobName, ["StartedAt"] = clock.GetUtcNow(), [AppliedChunks] = applied }, TableUpdateMode.Replace, ct);

        var report = keys.Compared is null ? new DropReport { Dataset = path.Dataset } : first;
        var writes = 0;
        ResidentFingerprints? fingerprints;
        times.End("drop row");
        if (manifest is not null)
        {
            fingerprints = keys.Compared?.Current ?? await ReadAgainAsync(path, tenant, blob, report, Ticking(progress, report, DropPhase.Detecting), ct);
            times.End("read again");
            logger.LogInformation("Resuming an interrupted drop with its saved plan ({Events} events, chunk {Next} of {Chunks})", manifest.Events, applied + 1, manifest.Chunks);
        }
        else
        {
            (manifest, fingerprints, var planWrites) = await PlanAsync(path, tenant, blob, keys, report, plan, times, Ticking(progress, report, DropPhase.Detecting), ct);
            writes += planWrites;
        }

        // Apply: cases first (so no event is lost if a crash comes after the persons changed), then the view.
        // A drop uploaded with a test key (GOV.UK Notify's test keys) starts cases whose messages only reach the sink.
        var properties = await blob.GetPropertiesAsync(cancellationToken: ct);
        var testMode = properties.Value.Metadata.TryGetValue("uploadedby", out var by) && by.StartsWith("test:", StringComparison.Ordinal);
        var started = 0L;
        var events = new List<LifeEvent>(manifest.Events);
        DropProgress Applying(DropPhase phase) => new()
        {
            Phase = phase,
            RowsRead = report.RowsRead,
            RowsApplied = report.Accepted,
            BytesRead = report.Bytes,
            TotalBytes = report.Bytes,
            CasesStarted = Interlocked.Read(ref started),
            CasesToStart = manifest.Events,
            UpdatedAt = clock.GetUtcNow(),
        };
        var persons = 0L;
        for (var k = 0; k < manifest.Chunks; k++)
        {
            var chunk = await plan.ChunkAsync(k, ct);
            events.AddRange(chunk.Events);
            times.End("plan reads");
            if (k < applied)
            {
                started += chunk.Events.Count;
                continue;
            }

            progress.Now(report, Applying(DropPhase.StartingCases));
            await Parallel.ForEachAsync(chunk.Events, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (e, token) =>
            {
                await starter.StartAsync(new CaseData { Tenant = e.Tenant, CaseId = e.EventId, Event = e, CreatedAt = clock.GetUtcNow(), TestMode = testMode }, token);
                Interlocked.Increment(ref started);
                progress.Tick(report, () => Applying(DropPhase.StartingCases));
            });
            times.End("case starts");

            progress.Now(report, Applying(DropPhase.WritingResidents));
            writes += await residents.WriteAsync(path.Tenant, chunk.Persons, chunk.PreviousHouseholds, ct);
            persons += chunk.Persons.Count;
            await _drops.UpdateEntityAsync(new TableEntity(path.Tenant, dropKey) { [AppliedChunks] = k + 1 }, ETag.All, TableUpdateMode.Merge, ct);
            writes++;
            times.End("writes");
        }

        if (fingerprints is not null)
        {
            // Streamed (4 MiB blocks): a serialized copy of 3.8 M residents' fingerprints would add ~200 MiB at the end.
            await using (var target = await _state.GetBlobClient(FingerprintsPath(path.Tenant)).OpenWriteAsync(overwrite: true, cancellationToken: ct))
            {
                fingerprints.WriteTo(target);
            }

            writes++;
            times.End("fingerprints upload");
        }

        await _drops.UpsertEntityAsync(new TableEntity(path.Tenant, dropKey) { ["Status"] = "completed", ["Blob"] = blobName, ["CompletedAt"] = clock.GetUtcNow(), ["Events"] = manifest.Events, [AppliedChunks] = manifest.Chunks }, TableUpdateMode.Replace, ct);
        await plan.DeleteAsync(ct);
        await WriteReportAsync(path, report, ct);
        times.End("finish");
        logger.LogInformation("Drop ingested: {Accepted} of {Read} rows, {Rejected} rejected, {Events} events, {Persons} residents written in this run ({Chunks} chunks); {Phases}",
            report.Accepted, report.RowsRead, report.RejectedCount, manifest.Events, persons, manifest.Chunks - applied, times.ToString());
        return new Result(report, events, false, writes) { Phases = times.Phases };
    }

    /// <summary>
    /// Pass 1: the content hash and the keys; a <c>residents</c> snapshot when the tenant has fingerprints is compared with
    /// them as it is read (the previous fingerprints are let go when this returns: only the comparison is kept).
    /// </summary>
    private async Task<Keys> ReadFirstAsync(DropPath path, TenantConfig tenant, BlobClient blob, DropReport first, DropPhaseTimes times, Action<Stream> tick, Stream? content, CancellationToken ct)
    {
        var keys = new Keys();
        var before = ResidentFingerprints.Empty;
        if (path.Dataset == Dataset.Residents)
        {
            before = await FingerprintsAsync(path.Tenant, ct);
            times.End("fingerprints download");
        }

        await ReadAsync(blob, path.Dataset, tenant.Drops, first, row => keys.Add(row), tick, ct, before.Count > 0 ? rows =>
        {
            keys.Compare(before, rows, first);
            return Task.CompletedTask;
        }
        : null, given: content);
        times.End(keys.Compared is null ? "read+hash" : "read+hash+diff");
        return keys;
    }

    /// <summary>The column of a drop's row that counts the chunks of its plan applied so far.</summary>
    private const string AppliedChunks = "AppliedChunks";

    /// <summary>
    /// Reads the drop again for its report when resuming with a saved plan; a <c>residents</c> snapshot is compared again
    /// with the fingerprints still stored (they are replaced only once the plan is applied) for the new fingerprints.
    /// </summary>
    private async Task<ResidentFingerprints?> ReadAgainAsync(DropPath path, TenantConfig tenant, BlobClient blob, DropReport report, Action<Stream> tick, CancellationToken ct)
    {
        if (path.Dataset != Dataset.Residents)
        {
            await ReadAsync(blob, path.Dataset, tenant.Drops, report, _ => { }, tick, ct);
            return null;
        }

        var diff = new SnapshotDiff(await FingerprintsAsync(path.Tenant, ct));
        await ReadAsync(blob, path.Dataset, tenant.Drops, report, _ => { }, tick, ct, rows =>
        {
            foreach (var _ in diff.Compare(rows.OfType<ResidentRow>()))
            {
            }

            return Task.CompletedTask;
        });
        return diff.Current;
    }

    private async Task<ResidentFingerprints> FingerprintsAsync(string tenant, CancellationToken ct)
    {
        var blob = _state.GetBlobClient(FingerprintsPath(tenant));
        if (!await ExistsAsync(blob, ct))
        {
            return ResidentFingerprints.Empty;
        }

        // Streamed: the blob and a copy of it held whole would add ~200 MiB for 3.8 M residents.
        await using var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 * 1024 * 1024 }, ct);
        return ResidentFingerprints.ReadFrom(stream);
    }

    /// <summary>
    /// Detects and writes the plan; the view and the detected events are let go when it returns, before the plan is applied
    /// (the plan's chunks are read back one at a time).
    /// </summary>
    private async Task<(DropPlan.Manifest Manifest, ResidentFingerprints? Fingerprints, int Writes)> PlanAsync(DropPath path, TenantConfig tenant, BlobClient blob, Keys keys, DropReport report, DropPlan plan, DropPhaseTimes times, Action<Stream> tick, CancellationToken ct)
    {
        var writer = plan.Write();
        var (fingerprints, factWrites) = await DetectAsync(path, tenant, blob, keys, report, writer, times, tick, ct);
        var manifest = await writer.CompleteAsync(ct);
        times.End("detection and plan");
        return (manifest, fingerprints, factWrites + (2 * manifest.Chunks) + 1);
    }

    /// <summary>Applies the drop to a detector and hands the changed persons and the events to <paramref name="writer"/>.</summary>
    private async Task<(ResidentFingerprints? Fingerprints, int FactWrites)> DetectAsync(DropPath path, TenantConfig tenant, BlobClient blob, Keys keys, DropReport report, DropPlan.Writer writer, DropPhaseTimes times, Action<Stream> tick, CancellationToken ct)
    {
        var view = new ResidentView();
        var previous = new Dictionary<string, string?>(StringComparer.Ordinal);
        var asOf = JapanTime.Today(clock.GetUtcNow());
        var detector = new LifeEventDetector(path.Tenant, view, new AgeEventSweep(path.Tenant), new LifeEventDetectorOptions { AsOf = asOf });
        var events = new List<LifeEvent>();
        var factWrites = 0;

        if (path.Dataset == Dataset.Residents)
        {
            if (keys.Compared is { } compared)
            {
                // Compared in pass 1. A snapshot row replaces the person, and the detector reads only that resident's
                // previous row (not the household's other members, nor facts): only the residents that changed or left are
                // read (a new resident has no household before).
                await LoadResidentsAsync(path.Tenant, compared.Changes.Where(c => c.Kind != SnapshotChangeKind.New).Select(c => c.ResidentId), view, previous, ct);
                times.End("resident reads");
                foreach (var c in compared.Changes)
                {
                    detector.Apply(c, events);
                }

                await HandOverAsync(events, view, previous, writer, ct);
                return (compared.Current, 0);
            }

            var before = await FingerprintsAsync(path.Tenant, ct);
            var diff = new SnapshotDiff(before);
            if (before.Count == 0)
            {
                await FirstLoadAsync(path, tenant, blob, report, diff, asOf, writer, tick, ct);
                return (diff.Current, 0);
            }

            // Pass 1 found no fingerprints, so it did not compare; another snapshot of the tenant stored some since.
            throw new InvalidOperationException("The tenant's resident fingerprints were stored while this snapshot was read (another snapshot ingested at the same time): ingest it again.");
        }

        await LoadAsync(path.Tenant, keys.Residents, keys.Households, view, previous, ct);

        var facts = new List<DropRow>();
        await ReadAsync(blob, path.Dataset, tenant.Drops, report, row =>
        {
            detector.Apply(row, events);
            if (row is TaxRow or PregnancyRow or DisasterRow or ContactRow)
            {
                facts.Add(row);
            }
        }, tick, ct);
        detector.CompleteTaxDrop(events);

        factWrites += await residents.WriteTaxAsync(path.Tenant, facts.OfType<TaxRow>().Select(r => r.Record), ct);
        factWrites += await residents.WritePregnanciesAsync(path.Tenant, facts.OfType<PregnancyRow>().Select(r => r.Record), ct);
        factWrites += await residents.WriteDisastersAsync(path.Tenant, facts.OfType<DisasterRow>().Select(r => r.Record), ct);
        factWrites += await residents.WriteContactsAsync(path.Tenant, facts.OfType<ContactRow>().Select(r => r.Record), ct);
        foreach (var withdrawn in facts.OfType<ContactRow>().Where(r => !r.Record.Consent))
        {
            await inbox.WithdrawConsentAsync(path.Tenant, withdrawn.Record.ResidentId, withdrawn.Record.Channel, ct);
        }

        await HandOverAsync(events, view, previous, writer, ct);
        return (null, factWrites);
    }

    /// <summary>
    /// A first load (no fingerprints yet): every resident is new and nothing is read from storage. The detector keeps only
    /// what detection reads (a snapshot row yields only age events, decided from the row itself), and each person goes into
    /// the plan as the detector takes them, so no more than one chunk of whole persons is held.
    /// </summary>
    private static async Task FirstLoadAsync(DropPath path, TenantConfig tenant, BlobClient blob, DropReport report, SnapshotDiff diff, DateOnly asOf, DropPlan.Writer writer, Action<Stream> tick, CancellationToken ct)
    {
        var view = new ResidentView(detectionOnly: true);
        var detector = new LifeEventDetector(path.Tenant, view, new AgeEventSweep(path.Tenant), new LifeEventDetectorOptions { AsOf = asOf });
        var events = new List<LifeEvent>();
        await ReadAsync(blob, path.Dataset, tenant.Drops, report, _ => { }, tick, ct, async rows =>
        {
            foreach (var c in diff.Compare(rows.OfType<ResidentRow>()))
            {
                // Null unless the snapshot lists the resident twice: then the household the earlier row put them in.
                var listedBefore = view.GetPerson(c.ResidentId)?.HouseholdId;
                if (detector.Apply(c, events) is { } person)
                {
                    await writer.AddAsync(person, listedBefore, ct);
                }

                await writer.AddAsync(events, ct);
                events.Clear();
            }
        });
    }

    /// <summary>Hands the view's changed persons (with their households before) and the events to the plan.</summary>
    private static async Task HandOverAsync(List<LifeEvent> events, ResidentView view, Dictionary<string, string?> previous, DropPlan.Writer writer, CancellationToken ct)
    {
        foreach (var id in view.ChangedResidents)
        {
            if (view.GetPerson(id) is { } person)
            {
                await writer.AddAsync(person, previous.GetValueOrDefault(id), ct);
            }
        }

        await writer.AddAsync(events, ct);
    }

    /// <summary>Reads the households of <paramref name="residentIds"/> (and <paramref name="householdIds"/>) into the view, many requests at a time.</summary>
    private async Task LoadAsync(string tenant, IEnumerable<string> residentIds, IEnumerable<string> householdIds, ResidentView view, Dictionary<string, string?> previous, CancellationToken ct)
    {
        var ids = residentIds.Distinct(StringComparer.Ordinal).Where(id => !previous.ContainsKey(id)).ToList();
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (id, token) =>
            found[id] = await residents.HouseholdOfAsync(tenant, id, token));
        foreach (var (id, household) in found)
        {
            previous[id] = household;
        }

        var households = found.Values.OfType<string>().Concat(householdIds).Distinct(StringComparer.Ordinal).Where(h => view.MembersOf(h).Count == 0).ToList();
        var snapshots = new System.Collections.Concurrent.ConcurrentBag<(HouseholdSnapshot Snapshot, IReadOnlyList<ContactRecord> Contacts)>();
        await Parallel.ForEachAsync(households, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (h, token) =>
            snapshots.Add(await residents.SnapshotAsync(tenant, h, null, token)));
        foreach (var (snapshot, contacts) in snapshots)
        {
            AddToView(snapshot, contacts, view, previous);
        }
    }

    /// <summary>Reads each resident's household (from the index), then their own row there, into the view, many requests at a time.</summary>
    private async Task LoadResidentsAsync(string tenant, IEnumerable<string> residentIds, ResidentView view, Dictionary<string, string?> previous, CancellationToken ct)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, (string? Household, Person? Person)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(residentIds.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (id, token) =>
        {
            var household = await residents.HouseholdOfAsync(tenant, id, token);
            found[id] = (household, household is null ? null : await residents.PersonAsync(tenant, household, id, token));
        });
        foreach (var (id, (household, person)) in found)
        {
            previous[id] = household;
            if (person is not null)
            {
                view.Upsert(person);
            }
        }

        view.ClearChanges();
    }

    private static void AddToView(HouseholdSnapshot snapshot, IReadOnlyList<ContactRecord> contacts, ResidentView view, Dictionary<string, string?> previous)
    {
        foreach (var p in snapshot.Members)
        {
            view.Upsert(p);
            previous[p.ResidentId] = p.HouseholdId;
        }

        foreach (var t in snapshot.Tax)
        {
            view.Upsert(t);
        }

        foreach (var p in snapshot.Pregnancies)
        {
            view.Upsert(p);
        }

        foreach (var d in snapshot.Disasters)
        {
            view.Upsert(d);
        }

        foreach (var c in contacts)
        {
            view.Upsert(c);
        }

        view.ClearChanges();
    }

    /// <summary>The tick of a pass over the drop: the report with its progress (rows read and applied, bytes read) when due.</summary>
    private Action<Stream> Ticking(DropProgressWriter progress, DropReport report, DropPhase phase) => stream => progress.Tick(report, () => new DropProgress
    {
        Phase = phase,
        RowsRead = report.RowsRead,
        RowsApplied = phase == DropPhase.Detecting ? report.Accepted : 0,
        BytesRead = stream.CanSeek ? stream.Position : report.Bytes,
        TotalBytes = stream.CanSeek ? stream.Length : 0, // a trigger's stream that cannot seek: size unknown (0)
        UpdatedAt = clock.GetUtcNow(),
    });

    private BlobClient ReportBlob(DropPath path) =>
        storage.Container(StorageNames.Containers.DropReports).GetBlobClient($"{path.Tenant}/{path.DatasetName}/{path.File}.report.json");

    /// <summary>Rows between two looks at the clock for a progress report.</summary>
    private const int RowsPerTick = 1024;

    private static async Task ReadAsync(BlobClient blob, Dataset dataset, DropOptions options, DropReport report, Action<DropRow> each, Action<Stream> tick, CancellationToken ct, Func<IEnumerable<DropRow>, Task>? all = null, Stream? given = null)
    {
        await using var stream = given ?? await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 * 1024 * 1024 }, ct);
        var rows = WithTicks(DropReader.Read(stream, dataset, options, report, ct), stream, tick);
        if (all is not null)
        {
            await all(rows);
            return;
        }

        foreach (var row in rows)
        {
            each(row);
        }
    }

    private async Task<Result> RejectAsync(string blobName, string reason, CancellationToken ct)
    {
        var report = new DropReport { RejectedWhole = reason };
        var target = storage.Container(StorageNames.Containers.DropReports).GetBlobClient(DropPath.SafeReportName(blobName));
        await target.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(report.ToJson())), overwrite: true, ct);
        logger.LogWarning("Drop {Blob} left untouched: {Reason}", DropPath.SafeReportName(blobName), reason);
        return new Result(report, [], false, 0);
    }

    /// <summary>The rows as they come, with a tick after every <see cref="RowsPerTick"/> (each applied by then: the caller asks for the next).</summary>
    private static IEnumerable<DropRow> WithTicks(IEnumerable<DropRow> rows, Stream stream, Action<Stream> tick)
    {
        var n = 0;
        foreach (var row in rows)
        {
            yield return row;
            if (++n % RowsPerTick == 0)
            {
                tick(stream);
            }
        }
    }

    private Task WriteReportAsync(DropPath path, DropReport report, CancellationToken ct) =>
        ReportBlob(path).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(report.ToJson())), overwrite: true, ct);

    public static string FingerprintsPath(string tenant) => $"{tenant}/residents.fingerprints";

    private static async Task<bool> ExistsAsync(BlobClient blob, CancellationToken ct)
    {
        try
        {
            return await blob.ExistsAsync(ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// The residents and households a drop concerns (pass 1); for a <c>residents</c> snapshot when the tenant had
    /// fingerprints, the comparison with them.
    /// </summary>
    private sealed class Keys
    {
        public Comparison? Compared { get; private set; }

        /// <summary>
        /// Compares the snapshot's rows, as pass 1 reads them into <paramref name="report"/>, with <paramref name="previous"/>;
        /// stops once the drop is rejected whole (every previous resident would be listed as missing, for nothing).
        /// </summary>
        public void Compare(ResidentFingerprints previous, IEnumerable<DropRow> rows, DropReport report)
        {
            var diff = new SnapshotDiff(previous);
            var changes = new List<SnapshotChange>();
            foreach (var change in diff.Compare(rows.OfType<ResidentRow>()))
            {
                if (report.RejectedWhole is not null)
                {
                    return;
                }

                changes.Add(change);
            }

            Compared = new Comparison(diff.Current, changes);
        }

        public HashSet<string> Residents { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Households { get; } = new(StringComparer.Ordinal);

        public void Add(DropRow row)
        {
            switch (row)
            {
                case ResidentChangeRow c:
                    Residents.Add(c.Person.ResidentId);
                    Households.Add(c.Person.HouseholdId);
                    break;
                case TaxRow t:
                    Residents.Add(t.Record.ResidentId);
                    break;
                case PregnancyRow p:
                    Residents.Add(p.Record.ResidentId);
                    break;
                case DisasterRow d:
                    Households.Add(d.Record.HouseholdId);
                    break;
                case ContactRow:
                case ResidentRow:
                    break;
            }
        }
    }
}

/// <summary>The parts of a drop's blob name, checked: <c>{tenant}/{dataset}/{file}.csv</c>.</summary>
public sealed record DropPath(string Tenant, Dataset Dataset, string DatasetName, string File)
{
    public static (DropPath? Path, string? Problem) Parse(string blobName)
    {
        var parts = blobName.Split('/');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || p is "." or ".."))
        {
            return (null, "a drop is placed at drops/{tenant}/{dataset}/{file}.csv (exactly three parts, no empty or dot segments).");
        }

        if (!TenantCode.TryParse(parts[0], out _))
        {
            return (null, $"'{Short(parts[0])}' is not a local government code (6 digits with a valid check digit, e.g. 401307).");
        }

        if (!Datasets.TryParse(parts[1], out var dataset))
        {
            return (null, $"'{Short(parts[1])}' is not a dataset; use one of: {string.Join(", ", Datasets.Names)}.");
        }

        var file = parts[2];
        if (!file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || file.Length > 200 || file.Any(ch => char.IsControl(ch) || ch is '\\' or '%'))
        {
            return (null, $"'{Short(file)}' is not a drop file name: a name ending in .csv, without control characters, '\\' or '%'.");
        }

        return (new DropPath(parts[0], dataset, parts[1], file), null);
    }

    /// <summary>A report name for any blob name, even a hostile one: printable, no dot segments, bounded.</summary>
    public static string SafeReportName(string blobName)
    {
        var safe = new string(blobName.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or '/' ? ch : '_').ToArray());
        safe = string.Join('/', safe.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => p is "." or ".." ? "_" : p));
        return (safe.Length > 200 ? safe[..200] : safe) + ".report.json";
    }

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
