using System.Diagnostics;
using System.Globalization;

namespace PushGov.Drills;

/// <summary>
/// <c>storage-restart</c>: the drops of <see cref="BirthDrops"/> go to two live tenants of one host: one undisturbed (the
/// clean run), then one during which Azurite (keeping its data in its folder) is stopped (SIGTERM, as an operator stops
/// it) at a seeded moment while the cases are being started, kept down <see cref="DrillOptions.OutageSeconds"/> seconds
/// and started again on the same ports and folder. Nothing is done to the host: it must carry on by itself (never exit),
/// and both runs must end alike (the same cases in the same states, the same messages), every message taken once by its
/// provider (by idempotency key).
/// </summary>
public static class StorageRestartDrill
{
    public static async Task<DrillResult> RunAsync(DrillOptions options, TextWriter log, CancellationToken ct)
    {
        var result = new DrillResult("storage-restart", options);
        var random = new Random(options.Seed);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var system = await DrillSystem.StartAsync(options.Rows, log, ct);
        var drops = BirthDrops.Generate(options.Seed, options.Rows);
        var clean = await system.CreateLiveTenantAsync(ct);
        var disturbed = await system.CreateLiveTenantAsync(ct);
        system.Host.Start();

        var (cleanRun, cleanTime) = await KillDrill.CleanRunAsync(system, clean, drops, since, ct);

        var disturbedStart = system.Elapsed;
        var before = system.TakenKeys().Count;
        await KillDrill.DropAllButBirthsAsync(system, disturbed, drops, ct);
        await system.PutAsync(disturbed, "resident-changes", "resident-changes.csv", drops.Births, ct);
        var atCases = random.Next(1, (cleanRun.Cases.Count / 2) + 2);
        await system.UntilAsync(async () => await system.CountCasesAsync(disturbed, ct) >= atCases, $"{atCases} cases started", ct);
        var moment = $"Azurite stopped at {await system.CountCasesAsync(disturbed, ct)} of {cleanRun.Cases.Count} cases started, {system.TakenKeys().Count - before} messages taken";
        await system.LogAsync(moment);
        var stopping = Stopwatch.StartNew();
        await system.Azurite.StopAsync(ct);
        var stopTook = stopping.Elapsed;

        // The outage itself: storage is gone for this long, whatever the host does meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(options.OutageSeconds), ct);
        var starting = Stopwatch.StartNew();
        await system.Azurite.StartAgainAsync(ct);
        var (down, startTook) = (stopping.Elapsed, starting.Elapsed);
        await system.LogAsync($"Azurite started again after {down.TotalSeconds:F1} s down ({startTook.TotalSeconds:F1} s to listen)");
        if (system.Host.ExitedByItself)
        {
            result.Problem($"The host exited during the storage outage.\nLast lines of its output:\n{system.Host.Tail()}");
            return result;
        }

        var disturbedRun = await system.SettledAsync(disturbed, since, ct);
        var disturbedTime = system.Elapsed - disturbedStart;
        await system.LogAsync($"disturbed run settled: {disturbedRun.Cases.Count} cases, {disturbedRun.Messages.Count} messages");

        KillDrill.DropAndCleanRunFigures(result, drops, cleanRun, cleanTime);
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"disturbed run: {disturbedRun.Cases.Count} cases, {disturbedRun.Messages.Count} messages ({disturbedRun.Sent} through providers) in {disturbedTime.TotalSeconds:F1} s"));
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"  {moment}; down {down.TotalSeconds:F1} s (SIGTERM took {stopTook.TotalSeconds:F1} s, outage {options.OutageSeconds} s, listening again after {startTook.TotalSeconds:F1} s), same ports and folder; the host left alone (never restarted)"));
        KillDrill.CompareWithCleanRun(result, system, cleanRun, disturbedRun);
        result.Machine(system);
        return result;
    }
}
