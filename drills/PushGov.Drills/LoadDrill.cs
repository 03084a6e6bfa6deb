using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PushGov.Domain.Cases;
using PushGov.Domain.Tenants;

namespace PushGov.Drills;

/// <summary>
/// <c>load</c>: <see cref="DrillOptions.Clients"/> API clients at once (loopback, at most one connection each) call the
/// host's HTTP API for <see cref="DrillOptions.Seconds"/> seconds while it processes the births drop of
/// <see cref="BirthDrops"/>: preference updates (each client its own residents: the households' second parents, an
/// e-mail address without consent, so nothing is sent to it), preference and case reads, case lists, staff notes and
/// "applied" events, mixed from the seed. No answer may be a 5xx, a missing answer or one the route does not give; the
/// p50 and p99 latency of each route are reported; afterwards every write must be visible: each resident's last address,
/// every note in its case's history, every case an "applied" was accepted for closed.
/// </summary>
public static class LoadDrill
{
    private const int MaxClients = 1000;

    /// <summary>The routes of the mix, with the share of requests (in 100) and the statuses they may answer.</summary>
    private static readonly (string Route, int Share, int[] Expected)[] Mix =
    [
        ("PUT preferences", 30, [200]),
        ("GET preferences", 5, [200]),
        ("GET cases/{id}", 25, [200]),
        ("GET cases", 10, [200]),
        ("POST cases/{id}/notes", 20, [201]),
        ("POST cases/{id}/events/applied", 10, [202, 409]),
    ];

    private sealed record Call(string Route, int Status, TimeSpan Took, string? Error);

    public static async Task<DrillResult> RunAsync(DrillOptions options, TextWriter log, CancellationToken ct)
    {
        var result = new DrillResult("load", options);
        if (options.Clients is < 1 or > MaxClients || options.Seconds < 1)
        {
            result.Problem($"--clients must be 1 to {MaxClients} and --seconds at least 1.");
            return result;
        }

        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var system = await DrillSystem.StartAsync(options.Rows, log, ct);
        var drops = BirthDrops.Generate(options.Seed, options.Rows);
        var tenant = await system.CreateLiveTenantAsync(ct);
        var staff = await DrillApi.CreateKeyAsync(system, tenant, ApiRole.Staff, ct);
        var portal = await DrillApi.CreateKeyAsync(system, tenant, ApiRole.ResidentPortal, ct);
        system.Host.Start();
        await KillDrill.DropAllButBirthsAsync(system, tenant, drops, ct);
        await system.PutAsync(tenant, "resident-changes", "resident-changes.csv", drops.Births, ct);
        await system.UntilAsync(async () => await system.CountCasesAsync(tenant, ct) > 0, "the first case", ct);
        await system.LogAsync($"the births drop is being processed: {options.Clients} clients for {options.Seconds} s");

        using var api = new DrillApi(system.Host.BaseAddress!, options.Clients);
        var parents = drops.Residents.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).Where(f => f[6] == "妻").Select(f => f[0]).ToList();
        var caseIds = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var calls = new ConcurrentQueue<Call>();
        var addresses = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var notes = new ConcurrentQueue<(string CaseId, string Text)>();
        var applied = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(options.Seconds);
        var cpuBefore = system.CpuSeconds();

        async Task ClientAsync(int client)
        {
            var random = new Random(HashCode.Combine(options.Seed, client));
            var own = parents.Where((_, i) => i % options.Clients == client).ToList();
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var route = Pick(random);
                var known = caseIds.Keys.ToList();
                if ((route.StartsWith("POST cases", StringComparison.Ordinal) || route == "GET cases/{id}") && known.Count == 0)
                {
                    route = "GET cases";
                }

                if (route.EndsWith("preferences", StringComparison.Ordinal) && own.Count == 0)
                {
                    route = "GET cases";
                }

                var caseId = known.Count > 0 ? known[random.Next(known.Count)] : string.Empty;
                var resident = own.Count > 0 ? own[random.Next(own.Count)] : string.Empty;
                ApiAnswer answer;
                switch (route)
                {
                    case "PUT preferences":
                        var address = $"load-{client}-{n}@example.jp";
                        answer = await api.SendAsync(HttpMethod.Put, tenant, $"residents/{resident}/preferences", portal, new { language = random.Next(2) == 0 ? "ja" : "en", channels = new[] { new { channel = "email", address, consent = false } } }, ct);
                        if (answer.Status == 200)
                        {
                            addresses[resident] = address;
                        }

                        break;
                    case "GET preferences":
                        answer = await api.SendAsync(HttpMethod.Get, tenant, $"residents/{resident}/preferences", portal, null, ct);
                        break;
                    case "GET cases/{id}":
                        answer = await api.SendAsync(HttpMethod.Get, tenant, $"cases/{caseId}", staff, null, ct);
                        break;
                    case "POST cases/{id}/notes":
                        var text = $"load note {client}-{n}";
                        answer = await api.SendAsync(HttpMethod.Post, tenant, $"cases/{caseId}/notes", staff, new { text }, ct);
                        if (answer.Status == 201)
                        {
                            notes.Enqueue((caseId, text));
                        }

                        break;
                    case "POST cases/{id}/events/applied":
                        answer = await api.SendAsync(HttpMethod.Post, tenant, $"cases/{caseId}/events/applied", portal, new { note = "applied at the counter (load drill)" }, ct);
                        if (answer.Status == 202)
                        {
                            applied[caseId] = 0;
                        }

                        break;
                    default:
                        answer = await api.SendAsync(HttpMethod.Get, tenant, "cases?pageSize=200", staff, null, ct);
                        if (answer is { Status: 200, Body: { } list })
                        {
                            foreach (var c in list.GetProperty("cases").EnumerateArray())
                            {
                                caseIds.TryAdd(c.GetProperty("caseId").GetString()!, 0);
                            }
                        }

                        break;
                }

                calls.Enqueue(new Call(route, answer.Status, answer.Took, answer.Error));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(c => Task.Run(() => ClientAsync(c), ct)));
        var loadTime = clock.Elapsed;
        var cpuAfter = system.CpuSeconds();
        await system.LogAsync($"load over: {calls.Count} requests in {loadTime.TotalSeconds:F1} s; waiting for the cases to settle");
        var run = await system.SettledAsync(tenant, since, ct);

        foreach (var call in calls.Where(c => c.Status >= 500 || c.Status == 0 || !Mix.First(m => m.Route == c.Route).Expected.Contains(c.Status)).GroupBy(c => (c.Route, c.Status)))
        {
            result.Problem($"{call.Key.Route}: {call.Count()} answers {(call.Key.Status == 0 ? "missing" : call.Key.Status.ToString(CultureInfo.InvariantCulture))}{(call.First().Error is { } e ? $" ({e})" : string.Empty)}");
        }

        // Every write visible afterwards, read through the API as a portal would.
        var checks = 0;
        foreach (var (resident, address) in addresses)
        {
            checks++;
            var answer = await api.SendAsync(HttpMethod.Get, tenant, $"residents/{resident}/preferences", portal, null, ct);
            var stored = answer.Body?.GetProperty("channels").EnumerateArray().FirstOrDefault(c => c.GetProperty("channel").GetString() == "email");
            var seen = stored is { ValueKind: JsonValueKind.Object } s ? s.GetProperty("address").GetString() : null;
            if (seen != address)
            {
                result.Problem($"lost: the last preference update of resident {resident} set {address}; the API answers {seen ?? $"no e-mail address (HTTP {answer.Status})"}");
            }
        }

        var cases = run.Cases.ToDictionary(c => c.CaseId, StringComparer.Ordinal);
        foreach (var byCase in notes.GroupBy(n => n.CaseId))
        {
            checks++;
            var answer = await api.SendAsync(HttpMethod.Get, tenant, $"cases/{byCase.Key}", staff, null, ct);
            var history = answer.Body?.GetProperty("history").EnumerateArray().Where(h => h.GetProperty("cause").GetString() == "note").Select(h => h.GetProperty("detail").GetString()).ToHashSet(StringComparer.Ordinal) ?? [];
            var missing = byCase.Where(n => !history.Contains(n.Text)).ToList();
            if (missing.Count > 0)
            {
                result.Problem($"lost: {missing.Count} of {byCase.Count()} notes accepted for case {byCase.Key} are not in its history (HTTP {answer.Status}): {string.Join(", ", missing.Take(5).Select(n => n.Text))}");
            }
        }

        foreach (var caseId in applied.Keys)
        {
            checks++;
            if (!cases.TryGetValue(caseId, out var c) || c.State != CaseState.Closed)
            {
                result.Problem($"lost: an 'applied' was accepted (202) for case {caseId}, which is {(c is null ? "missing" : c.State.ToString())}, not closed");
            }
        }

        var (problems, keys, repeated) = system.CheckEachTakenOnce(run.Messages);
        foreach (var problem in problems)
        {
            result.Problem(problem);
        }

        result.Figure(string.Create(CultureInfo.InvariantCulture, $"drop: {options.Rows} households (births drop {options.Rows} rows), seed {options.Seed}; {options.Clients} clients (loopback, one connection each) for {options.Seconds} s while it was processed"));
        result.Figure(string.Create(CultureInfo.InvariantCulture, $"{calls.Count} requests in {loadTime.TotalSeconds:F1} s ({calls.Count / loadTime.TotalSeconds:F1}/s); 5xx: {calls.Count(c => c.Status >= 500)}, no answer: {calls.Count(c => c.Status == 0)}; host CPU {cpuAfter.Host - cpuBefore.Host:F1} s, Azurite {cpuAfter.Azurite - cpuBefore.Azurite:F1} s during the load"));
        result.Figure("route                            requests  statuses                 p50 ms    p99 ms");
        foreach (var (route, _, _) in Mix)
        {
            var of = calls.Where(c => c.Route == route).ToList();
            var times = of.Select(c => c.Took.TotalMilliseconds).Order().ToList();
            var statuses = string.Join(' ', of.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
            result.Figure(string.Create(CultureInfo.InvariantCulture, $"{route,-32} {of.Count,8}  {statuses,-22} {Percentile(times, 0.50),8:F0}  {Percentile(times, 0.99),8:F0}"));
        }

        result.Figure($"writes accepted: {addresses.Count} residents' preferences (last of each), {notes.Count} notes on {notes.Select(n => n.CaseId).Distinct().Count()} cases, 'applied' on {applied.Count} cases; {checks} checked afterwards through the API and the case table");
        result.Figure($"settled: {run.Cases.Count} cases ({run.Cases.Count(c => c.State == CaseState.Closed)} closed), {run.Messages.Count} messages; at the providers: {keys} messages, {problems.Count(p => p.StartsWith("lost", StringComparison.Ordinal))} lost, {problems.Count(p => p.StartsWith("duplicate", StringComparison.Ordinal))} duplicated");
        result.Machine(system);
        return result;
    }

    private static string Pick(Random random)
    {
        var draw = random.Next(100);
        foreach (var (route, share, _) in Mix)
        {
            if (draw < share)
            {
                return route;
            }

            draw -= share;
        }

        return Mix[^1].Route;
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Round(p * (sorted.Count - 1))];
}
