using System.Globalization;

namespace PushGov.Drills;

/// <summary>
/// <c>kill</c>: the same drops (<see cref="BirthDrops"/>: residents, contacts, then one birth in each of
/// <see cref="DrillOptions.Rows"/> households) go to two live tenants of one host: one while the host runs undisturbed
/// (the clean run), one while the host is killed (SIGKILL) <see cref="DrillOptions.Kills"/> times at seeded moments and
/// started again each time on the same storage. The first kill comes while the cases are being started, the others while
/// the providers take the messages (spread over the second and third quarters of them). Both runs must end alike (the
/// same cases in the same states, the same messages), and the providers must have taken every message of both exactly
/// once, by its idempotency key (the domestic Idempotency-Key, the ACS SMS repeatability id, the ACS e-mail Operation-Id).
/// </summary>
public static class KillDrill
{
    public static async Task<DrillResult> RunAsync(DrillOptions options, TextWriter log, CancellationToken ct)
    {
        var result = new DrillResult("kill", options);
        var random = new Random(options.Seed);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var system = await DrillSystem.StartAsync(options.Rows, log, ct);
        var drops = BirthDrops.Generate(options.Seed, options.Rows);
        var clean = await system.CreateLiveTenantAsync(ct);
        var killed = await system.CreateLiveTenantAsync(ct);
        system.Host.Start();

        var (cleanRun, cleanTime) = await CleanRunAsync(system, clean, drops, since, ct);
        var (cases, sent) = (cleanRun.Cases.Count, cleanRun.Sent);
        if (sent < options.Rows / 2)
        {
            result.Problem($"The drops should make most cases send through a provider; {sent} of {cleanRun.Messages.Count} messages did.");
        }

        var killedStart = system.Elapsed;
        var before = system.TakenKeys().Count;
        await DropAllButBirthsAsync(system, killed, drops, ct);
        await system.PutAsync(killed, "resident-changes", "resident-changes.csv", drops.Births, ct);
        var moments = new List<string>();
        foreach (var (what, reached) in KillMoments(system, killed, random, options.Kills, cases, sent, before, ct))
        {
            await system.UntilAsync(reached, what, ct, () => $"{system.TakenKeys().Count - before} messages taken.");
            await system.Host.Kill();
            var moment = $"kill {system.Host.Kills} at {what}: {await system.CountCasesAsync(killed, ct)} cases, {system.TakenKeys().Count - before} messages taken";
            moments.Add(moment);
            await system.LogAsync(moment + "; starting again");
            system.Host.Start();
        }

        var killedRun = await system.SettledAsync(killed, since, ct);
        var killedTime = system.Elapsed - killedStart;
        await system.LogAsync($"killed run settled after {system.Host.Kills} kills: {killedRun.Cases.Count} cases, {killedRun.Messages.Count} messages");

        DropAndCleanRunFigures(result, drops, cleanRun, cleanTime);
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"killed run: {killedRun.Cases.Count} cases, {killedRun.Messages.Count} messages ({killedRun.Sent} through providers) in {killedTime.TotalSeconds:F1} s, {system.Host.Kills} kills (SIGKILL), {system.Host.Starts} starts"));
        foreach (var moment in moments)
        {
            result.Figure("  " + moment);
        }

        CompareWithCleanRun(result, system, cleanRun, killedRun);
        result.Machine(system);
        return result;
    }

    /// <summary>The clean run: the drops to <paramref name="tenant"/> of the running host, waited for until settled, and how long that took.</summary>
    internal static async Task<(DrillRun Run, TimeSpan Took)> CleanRunAsync(DrillSystem system, string tenant, BirthDrops drops, DateTimeOffset since, CancellationToken ct)
    {
        var start = system.Elapsed;
        await DropAllButBirthsAsync(system, tenant, drops, ct);
        await system.PutAsync(tenant, "resident-changes", "resident-changes.csv", drops.Births, ct);
        var run = await system.SettledAsync(tenant, since, ct);
        await system.LogAsync($"clean run settled: {run.Cases.Count} cases, {run.Messages.Count} messages, {run.Sent} to providers");
        return (run, system.Elapsed - start);
    }

    /// <summary>The figures of the drops and of the clean run.</summary>
    internal static void DropAndCleanRunFigures(DrillResult result, BirthDrops drops, DrillRun clean, TimeSpan took)
    {
        var options = result.Options;
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"drop: {options.Rows} households (births drop {options.Rows} rows; residents {2 * options.Rows} rows; contacts {drops.Contacts.Count(c => c == '\n') - 1} rows), seed {options.Seed}"));
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"clean run: {clean.Cases.Count} cases, {clean.Messages.Count} messages ({clean.Sent} through providers) in {took.TotalSeconds:F1} s"));
    }

    /// <summary>
    /// The drilled run against the clean one (the same cases in the same states, the same messages), and every message of
    /// both taken once by its provider: the problems found, and the figures that say so.
    /// </summary>
    internal static void CompareWithCleanRun(DrillResult result, DrillSystem system, DrillRun clean, DrillRun drilled)
    {
        var cases = DrillRun.Difference(clean.DescribeCases(), drilled.DescribeCases(), "cases");
        var messages = DrillRun.Difference(clean.DescribeMessages(), drilled.DescribeMessages(), "messages");
        var (problems, keys, repeated) = system.CheckEachTakenOnce([.. clean.Messages, .. drilled.Messages]);
        foreach (var problem in new[] { cases, messages }.Concat(problems))
        {
            result.Problem(problem);
        }

        result.Figure($"compared with the clean run: cases {(cases is null ? "the same" : "DIFFER")}, messages {(messages is null ? "the same" : "DIFFER")}");
        result.Figure($"at the providers: {keys} messages of both runs, {problems.Count(p => p.StartsWith("lost", StringComparison.Ordinal))} lost, {problems.Count(p => p.StartsWith("duplicate", StringComparison.Ordinal))} duplicated; {repeated} keys sent more than once and recognised by key");
    }

    /// <summary>The residents snapshot and the contacts, each waited for until its report is written.</summary>
    internal static async Task DropAllButBirthsAsync(DrillSystem system, string tenant, BirthDrops drops, CancellationToken ct)
    {
        await system.DropAsync(tenant, "residents", "residents.csv", drops.Residents, ct);
        await system.DropAsync(tenant, "contacts", "contacts.csv", drops.Contacts, ct);
    }

    /// <summary>
    /// The seeded kill moments: the first at a number of the cases started (up to half of them), the others at numbers of
    /// messages taken by the providers, one in each equal part of their second and third quarters.
    /// </summary>
    private static IEnumerable<(string What, Func<Task<bool>> Reached)> KillMoments(
        DrillSystem system, string tenant, Random random, int kills, int cases, int sent, int before, CancellationToken ct)
    {
        if (kills <= 0)
        {
            yield break;
        }

        var atCases = random.Next(1, (cases / 2) + 1);
        yield return ($"{atCases} of {cases} cases started", async () => await system.CountCasesAsync(tenant, ct) >= atCases);
        for (var k = 1; k < kills; k++)
        {
            var from = (sent / 4) + ((k - 1) * (sent / 2) / (kills - 1));
            var to = (sent / 4) + (k * (sent / 2) / (kills - 1));
            var at = random.Next(from + 1, Math.Max(from + 1, to) + 1);
            yield return ($"{at} of {sent} messages taken by the providers", () => Task.FromResult(system.TakenKeys().Count - before >= at));
        }
    }
}
