using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Storage;

namespace PushGov.Drills;

/// <summary>
/// <c>first-load</c> (issue 15: "a crash resumes from the last applied chunk … test it by killing the process mid-load"):
/// the residents snapshot of <see cref="BirthDrops"/> (2 × <see cref="DrillOptions.Rows"/> residents) is the first load of
/// two tenants of one host, whose plans are cut into chunks of <see cref="ChunkSize"/> persons: one undisturbed (the clean
/// run), one while the host is killed (SIGKILL) <see cref="DrillOptions.Kills"/> times, each once a seeded number of the
/// plan's chunks is applied, and started again on the same storage. Both tenants must end with the same residents (their
/// rows, the resident index and the birthday index), the same fingerprints, the same report and the same cases, and no
/// plan left behind.
/// </summary>
public static class FirstLoadKillDrill
{
    /// <summary>Persons in one chunk of a plan here (<c>PushGov:Drops:PlanChunkSize</c>): small, so a first load of a few hundred households has chunks to be killed between.</summary>
    public const int ChunkSize = 40;

    private const string File = "residents.csv";

    public static async Task<DrillResult> RunAsync(DrillOptions options, TextWriter log, CancellationToken ct)
    {
        var result = new DrillResult("first-load", options);
        var random = new Random(options.Seed);
        var settings = new Dictionary<string, string> { ["PushGov__Drops__PlanChunkSize"] = ChunkSize.ToString(CultureInfo.InvariantCulture) };
        await using var system = await DrillSystem.StartAsync(options.Rows, log, ct, settings);
        var drops = BirthDrops.Generate(options.Seed, options.Rows);
        var clean = await system.CreateLiveTenantAsync(ct);
        var killed = await system.CreateLiveTenantAsync(ct);
        system.Host.Start();

        var start = system.Elapsed;
        var cleanReport = await system.DropAsync(clean, "residents", File, drops.Residents, ct);
        var cleanTime = system.Elapsed - start;
        var chunks = await AppliedChunksAsync(system, clean, ct);
        await system.LogAsync($"clean first load: {cleanReport.Accepted} residents in {chunks} chunks");
        if (chunks < 4)
        {
            throw new DrillFailedException($"The clean first load was applied in {chunks} chunks; a drill of kills between chunks needs at least 4 (more --rows).");
        }

        start = system.Elapsed;
        await system.PutAsync(killed, "residents", File, drops.Residents, ct);
        var moments = new List<string>();
        var applied = 0;
        foreach (var at in KillMoments(random, options.Kills, chunks))
        {
            await system.UntilAsync(
                async () =>
                {
                    var now = await AppliedChunksAsync(system, killed, ct);
                    if (now < applied)
                    {
                        result.Problem($"After kill {system.Host.Kills} the drop went back from {applied} applied chunks to {now}: it started over instead of resuming.");
                    }

                    applied = Math.Max(applied, now);
                    return now >= at;
                },
                $"{at} of {chunks} chunks applied",
                ct);
            await system.Host.Kill();
            applied = await AppliedChunksAsync(system, killed, ct);
            moments.Add($"kill {system.Host.Kills} at {at} of {chunks} chunks applied: {applied} applied when the host was gone");
            if (applied >= chunks)
            {
                result.Problem($"Kill {system.Host.Kills} came after the whole plan was applied ({applied} of {chunks} chunks): it tested nothing.");
            }

            await system.LogAsync(moments[^1] + "; starting again");
            system.Host.Start();
        }

        var killedReport = await system.ReportAsync(killed, "residents", File, ct);
        var killedTime = system.Elapsed - start;

        result.Figure(string.Create(CultureInfo.InvariantCulture, $"drop: a residents snapshot of {2 * options.Rows} residents ({options.Rows} households) as a first load, plan chunks of {ChunkSize} persons, seed {options.Seed}"));
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"clean run: {cleanReport.Accepted} residents in {chunks} chunks in {cleanTime.TotalSeconds:F1} s"));
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"killed run: {killedReport.Accepted} residents in {killedTime.TotalSeconds:F1} s, {system.Host.Kills} kills (SIGKILL), {system.Host.Starts} starts"));
        foreach (var moment in moments)
        {
            result.Figure("  " + moment);
        }

        var differences = new[]
        {
            Compare("reports", [Describe(cleanReport)], [Describe(killedReport)]),
            Compare("residents", await ResidentsAsync(system, clean, ct), await ResidentsAsync(system, killed, ct)),
            Compare("resident index", await RowsAsync(system, StorageNames.Tables.ResidentIndex, clean, clean, ct), await RowsAsync(system, StorageNames.Tables.ResidentIndex, killed, killed, ct)),
            Compare("birthday index", await RowsAsync(system, StorageNames.Tables.Birthdays, clean + "-", clean, ct), await RowsAsync(system, StorageNames.Tables.Birthdays, killed + "-", killed, ct)),
            Compare("cases", await CasesAsync(system, clean, ct), await CasesAsync(system, killed, ct)),
            await FingerprintsDifferAsync(system, clean, killed, ct) ? "different fingerprints: the killed run's next snapshot would not be compared with the same residents." : null,
        };
        foreach (var difference in differences)
        {
            result.Problem(difference);
        }

        foreach (var tenant in new[] { clean, killed })
        {
            var left = 0;
            await foreach (var _ in system.Storage.Container(StorageNames.Containers.State).GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{tenant}/plans/", ct))
            {
                left++;
            }

            if (left > 0)
            {
                result.Problem($"{left} blobs of a plan are left for tenant {tenant} after its drop completed.");
            }
        }

        result.Figure($"compared with the clean run: {(differences.All(d => d is null) ? "residents, indexes, fingerprints, report and cases the same" : "DIFFERENT")}");
        result.Machine(system);
        return result;
    }

    /// <summary>The seeded numbers of applied chunks to kill at: distinct, ascending, within the first three quarters of the plan.</summary>
    private static IEnumerable<int> KillMoments(Random random, int kills, int chunks) =>
        Enumerable.Range(0, kills).Select(_ => random.Next(1, Math.Max(2, chunks * 3 / 4))).Distinct().Order();

    private static async Task<int> AppliedChunksAsync(DrillSystem system, string tenant, CancellationToken ct)
    {
        var applied = 0;
        await foreach (var drop in system.Storage.Table(StorageNames.Tables.Drops).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), cancellationToken: ct))
        {
            applied = Math.Max(applied, drop.GetInt32("AppliedChunks") ?? 0);
        }

        return applied;
    }

    private static string Describe(Domain.Drops.DropReport report) =>
        string.Create(CultureInfo.InvariantCulture, $"{report.RowsRead} read, {report.Accepted} accepted, {report.RejectedCount} rejected, {report.Bytes} bytes, hash {report.ContentHash}");

    /// <summary>Every resident row of the tenant (partition <c>{tenant}-{household}</c>), the tenant's code taken out.</summary>
    private static Task<List<string>> ResidentsAsync(DrillSystem system, string tenant, CancellationToken ct) =>
        RowsAsync(system, StorageNames.Tables.Residents, tenant + "-", tenant, ct);

    /// <summary>The rows of <paramref name="table"/> whose partition starts with <paramref name="prefix"/>, each as one line without the tenant's code, sorted.</summary>
    private static async Task<List<string>> RowsAsync(DrillSystem system, string table, string prefix, string tenant, CancellationToken ct)
    {
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        var rows = new List<string>();
        await foreach (var e in system.Storage.Table(table).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {end}"), cancellationToken: ct))
        {
            var properties = e.Keys.Where(k => k is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")).Order(StringComparer.Ordinal).Select(k => $"{k}={e[k]}");
            rows.Add($"{e.PartitionKey[tenant.Length..]}|{e.RowKey}|{string.Join('|', properties)}".Replace(tenant, "{tenant}", StringComparison.Ordinal));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static async Task<List<string>> CasesAsync(DrillSystem system, string tenant, CancellationToken ct)
    {
        var cases = new List<Domain.Cases.CaseData>();
        await foreach (var c in new Infrastructure.Cases.CaseStore(system.Storage).ListWrittenSinceAsync(tenant, DateTimeOffset.MinValue, ct))
        {
            cases.Add(c);
        }

        return [.. new DrillRun(cases, []).DescribeCases()];
    }

    private static async Task<bool> FingerprintsDifferAsync(DrillSystem system, string clean, string killed, CancellationToken ct)
    {
        var state = system.Storage.Container(StorageNames.Containers.State);
        var a = (await state.GetBlobClient(DropIngestor.FingerprintsPath(clean)).DownloadContentAsync(ct)).Value.Content.ToArray();
        var b = (await state.GetBlobClient(DropIngestor.FingerprintsPath(killed)).DownloadContentAsync(ct)).Value.Content.ToArray();
        return !a.AsSpan().SequenceEqual(b);
    }

    private static string? Compare(string what, IReadOnlyList<string> clean, IReadOnlyList<string> killed) =>
        clean.Count == 0 && what != "cases" ? $"the clean run has no {what}: nothing was compared." : DrillRun.Difference(clean, killed, what);
}
