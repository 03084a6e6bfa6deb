using System.Globalization;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Tenants;
using PushGov.Testing.Fakes;

namespace PushGov.Drills;

/// <summary>
/// <c>flaky-provider</c>: one live tenant gets the drops of <see cref="BirthDrops"/> while the fake ACS (SMS and e-mail)
/// and the fake domestic SMS provider are flaky (<see cref="FakeFaults"/>, from the seed): 30% of the first four requests
/// of each send are answered 429 with Retry-After, 503 at once or after 35 s (longer than the client's 30 s timeout), or
/// are taken and recorded and then lose their answer (the connection dropped at once, or after 35 s); and about one
/// recipient in 20 is refused for good on every attempt (a 422, ACS's unsuccessful recipient, a 400). Every other message
/// must be taken by its provider exactly once (by idempotency key); every message to a refused recipient must end failed,
/// its case on the staff's list of escalations (<c>GET /escalations</c>).
/// </summary>
public static class FlakyProviderDrill
{
    /// <summary>Longer than the clients' request timeout (30 s), so the client gives up before the answer comes.</summary>
    private static readonly TimeSpan LongDelay = TimeSpan.FromSeconds(35);

    public static async Task<DrillResult> RunAsync(DrillOptions options, TextWriter log, CancellationToken ct)
    {
        var result = new DrillResult("flaky-provider", options);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);

        // A send may now last the clients' whole timeout: the sweep must not take it for one a crash left behind meanwhile.
        await using var system = await DrillSystem.StartAsync(options.Rows, log, ct, new Dictionary<string, string> { ["PushGov__Sending__StuckAfter"] = "00:01:30" });
        var drops = BirthDrops.Generate(options.Seed, options.Rows);
        var refused = Refused(drops, options.Seed);
        system.Acs.Faults = new FakeFaults(options.Seed) { LongDelay = LongDelay, Refused = refused };
        system.Domestic.Faults = new FakeFaults(options.Seed) { LongDelay = LongDelay, Refused = refused };
        var tenant = await system.CreateLiveTenantAsync(ct);
        var staffKey = await DrillApi.CreateKeyAsync(system, tenant, ApiRole.Staff, ct);
        system.Host.Start();

        await KillDrill.DropAllButBirthsAsync(system, tenant, drops, ct);
        var start = system.Elapsed;
        await system.PutAsync(tenant, "resident-changes", "resident-changes.csv", drops.Births, ct);
        var run = await system.SettledAsync(tenant, since, ct);
        var took = system.Elapsed - start;
        await system.LogAsync($"settled: {run.Cases.Count} cases, {run.Messages.Count} messages");

        using var api = new DrillApi(system.Host.BaseAddress!, 4);
        var escalated = await api.EscalationsAsync(tenant, staffKey, ct);
        var toRefused = run.Messages.Where(m => refused.Contains(m.To)).ToList();
        var deliverable = run.Messages.Where(m => !refused.Contains(m.To)).ToList();
        var cases = run.Cases.ToDictionary(c => c.CaseId, StringComparer.Ordinal);
        foreach (var m in toRefused)
        {
            if (!m.Status.IsFailed())
            {
                result.Problem($"message {m.MessageId} to a recipient the provider always refuses ended {m.Status.ToWireName()}, not failed");
            }

            if (!escalated.Contains(m.CaseId))
            {
                result.Problem($"case {m.CaseId}, whose message {m.MessageId} can never be delivered, is not on the staff's list of escalations (it is {(cases.TryGetValue(m.CaseId, out var c) ? c.State : "missing")})");
            }
        }

        foreach (var m in deliverable.Where(m => DrillSystem.IsProvider(m.Provider) && m.Status.IsFailed()))
        {
            result.Problem($"lost: message {m.MessageId} ({m.Provider}) ended {m.Status.ToWireName()} though its provider recovers: {m.LastError}");
        }

        var (problems, keys, repeated) = system.CheckEachTakenOnce([.. deliverable.Where(m => !m.Status.IsFailed())]);
        foreach (var problem in problems)
        {
            result.Problem(problem);
        }

        result.Figure(string.Create(CultureInfo.InvariantCulture, $"drop: {options.Rows} households (births drop {options.Rows} rows; contacts {drops.Contacts.Count(c => c == '\n') - 1} rows, {refused.Count} of them refused for good), seed {options.Seed}"));
        result.Figure($"faults of the fake ACS (SMS and e-mail): {Describe(system.Acs.Faults)}");
        result.Figure($"faults of the fake domestic SMS provider: {Describe(system.Domestic.Faults)}");
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"settled in {took.TotalSeconds:F1} s: {run.Cases.Count} cases, {run.Messages.Count} messages ({run.Sent} through providers), {run.Messages.Sum(m => m.Attempts)} send attempts"));
        result.Figure($"to refused recipients: {toRefused.Count} messages, {toRefused.Count(m => m.Status.IsFailed())} failed; their cases on the staff's escalations: {toRefused.Select(m => m.CaseId).Distinct().Count(escalated.Contains)} of {toRefused.Select(m => m.CaseId).Distinct().Count()} (escalations listed: {escalated.Count})");
        result.Figure($"at the providers: {keys} messages, {problems.Count(p => p.StartsWith("lost", StringComparison.Ordinal)) + result.Problems.Count(p => p.StartsWith("lost", StringComparison.Ordinal))} lost, {problems.Count(p => p.StartsWith("duplicate", StringComparison.Ordinal))} duplicated; {repeated} keys sent more than once and recognised by key");
        result.Machine(system);
        return result;
    }

    /// <summary>About one contact address in 20 (at least one), from the seed: the provider refuses them on every attempt.</summary>
    private static HashSet<string> Refused(BirthDrops drops, int seed)
    {
        var random = new Random(seed);
        var addresses = drops.Contacts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[2]).ToList();
        var refused = addresses.Where(_ => random.Next(20) == 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (refused.Count == 0 && addresses.Count > 0)
        {
            refused.Add(addresses[random.Next(addresses.Count)]);
        }

        return refused;
    }

    private static string Describe(FakeFaults? faults)
    {
        var counts = faults?.Counts ?? new Dictionary<FakeFault, int>();
        return string.Join(", ", Enum.GetValues<FakeFault>().Select(f => $"{Name(f)} {counts.GetValueOrDefault(f)}"));
    }

    private static string Name(FakeFault fault) => fault switch
    {
        FakeFault.Throttled => "429 with Retry-After",
        FakeFault.ServerError => "503",
        FakeFault.SlowServerError => "503 after 35 s",
        FakeFault.AnswerDropped => "taken, connection dropped",
        FakeFault.AnswerTimedOut => "taken, answer held past the timeout",
        _ => "refused recipient",
    };
}
