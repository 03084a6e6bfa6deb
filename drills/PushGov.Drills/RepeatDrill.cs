using System.Globalization;
using PushGov.Domain.Drops;

namespace PushGov.Drills;

/// <summary>
/// <c>repeat</c>: one live tenant gets the residents and contacts of <see cref="BirthDrops"/>, then its births drop three
/// times under the same blob name and once more under another; each upload is waited for until its report is written.
/// The tenant must end with one set of cases and messages: the same case and message ids after the repeats as after the
/// first upload settled, each repeat's report saying it changed nothing, and every message taken once by its provider.
/// </summary>
public static class RepeatDrill
{
    private const string Births = "resident-changes";

    public static async Task<DrillResult> RunAsync(DrillOptions options, TextWriter log, CancellationToken ct)
    {
        var result = new DrillResult("repeat", options);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var system = await DrillSystem.StartAsync(options.Rows, log, ct);
        var drops = BirthDrops.Generate(options.Seed, options.Rows);
        var tenant = await system.CreateLiveTenantAsync(ct);
        system.Host.Start();

        await KillDrill.DropAllButBirthsAsync(system, tenant, drops, ct);
        var first = await system.DropAsync(tenant, Births, "births.csv", drops.Births, ct);
        var once = await system.SettledAsync(tenant, since, ct);
        var takenOnce = system.TakenKeys().Count;
        await system.LogAsync($"first upload settled: {once.Cases.Count} cases, {once.Messages.Count} messages, {takenOnce} taken by the providers");

        var repeats = new List<(string File, DropReport Report)>();
        foreach (var file in new[] { "births.csv", "births.csv", "births-again.csv" })
        {
            var report = await system.DropAsync(tenant, Births, file, drops.Births, ct);
            repeats.Add((file, report));
            await system.LogAsync($"{file} uploaded again: {report.WarningCount} warnings, {report.RejectedCount} rejected; {report.Warnings.FirstOrDefault()?.Message}");
            if (!report.Warnings.Any(w => w.Message.Contains("ingested already", StringComparison.Ordinal)))
            {
                result.Problem($"The report of the repeated upload {file} does not say the same bytes were ingested already.");
            }
        }

        var after = await system.SettledAsync(tenant, since, ct);
        var takenAfter = system.TakenKeys().Count;
        result.Problem(Same("case ids", once.Cases.Select(c => c.CaseId), after.Cases.Select(c => c.CaseId)));
        result.Problem(Same("message ids", once.Messages.Select(m => m.MessageId), after.Messages.Select(m => m.MessageId)));
        result.Problem(DrillRun.Difference(once.DescribeCases(), after.DescribeCases(), "cases"));
        result.Problem(DrillRun.Difference(once.DescribeMessages(), after.DescribeMessages(), "messages"));
        if (takenAfter != takenOnce)
        {
            result.Problem($"duplicate: the providers took {takenAfter} keys after the repeats, {takenOnce} before them.");
        }

        var (problems, keys, repeated) = system.CheckEachTakenOnce(after.Messages);
        foreach (var problem in problems)
        {
            result.Problem(problem);
        }

        result.Figure(string.Create(CultureInfo.InvariantCulture, $"drop: {options.Rows} households (births drop {options.Rows} rows, {first.Bytes} bytes, {first.Accepted} accepted), seed {options.Seed}"));
        result.Figure($"uploads of the births drop: births.csv 3 times, births-again.csv once; repeats reported as 'ingested already': {repeats.Count(r => r.Report.Warnings.Any(w => w.Message.Contains("ingested already", StringComparison.Ordinal)))} of {repeats.Count}");
        result.Figure($"after the first upload: {once.Cases.Count} cases, {once.Messages.Count} messages, {takenOnce} taken by the providers");
        result.Figure($"after the repeats: {after.Cases.Count} cases, {after.Messages.Count} messages, {takenAfter} taken by the providers; case and message ids {(result.Passed ? "the same" : "DIFFER (see below)")}");
        result.Figure($"at the providers: {keys} messages, {problems.Count(p => p.StartsWith("lost", StringComparison.Ordinal))} lost, {problems.Count(p => p.StartsWith("duplicate", StringComparison.Ordinal))} duplicated; {repeated} keys sent more than once and recognised by key");
        result.Machine(system);
        return result;
    }

    private static string? Same(string what, IEnumerable<string> before, IEnumerable<string> after)
    {
        var (b, a) = (before.ToHashSet(StringComparer.Ordinal), after.ToHashSet(StringComparer.Ordinal));
        return b.SetEquals(a)
            ? null
            : $"different {what} after the repeats: {a.Except(b).Count()} new ({string.Join(", ", a.Except(b).Take(10))}), {b.Except(a).Count()} gone ({string.Join(", ", b.Except(a).Take(10))})";
    }
}
