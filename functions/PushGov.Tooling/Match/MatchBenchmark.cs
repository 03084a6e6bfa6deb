using System.Diagnostics;
using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;

namespace PushGov.Tooling.Match;

/// <summary>Throughput of <see cref="ServiceMatcher.Match"/> over a generated in-memory set of (event, snapshot) pairs.</summary>
public sealed record MatchBenchResult(int Pairs, int Rounds, long Matches, TimeSpan Elapsed, long AllocatedBytes, bool WithReasons)
{
    public double EventsPerSecond => Pairs * (double)Rounds / Elapsed.TotalSeconds;

    public double MatchesPerSecond => Matches / Elapsed.TotalSeconds;

    public double MicrosecondsPerEvent => Elapsed.TotalMilliseconds * 1000 / (Pairs * (double)Rounds);

    public double BytesPerEvent => AllocatedBytes / (Pairs * (double)Rounds);

    public override string ToString() =>
        $"{(WithReasons ? "match + read reasons" : "match")}: {Pairs:N0} events x {Rounds} rounds: {Matches:N0} matches in {Elapsed.TotalSeconds:F2} s = {EventsPerSecond:N0} events/s, {MatchesPerSecond:N0} matches/s, {MicrosecondsPerEvent:F2} µs/event, {BytesPerEvent:N0} B allocated/event";
}

/// <summary>
/// Generates a deterministic mix of life events and household snapshots (births, deaths, moves, marriages,
/// divorces, 65/75, pregnancies, school entry, disasters, tax) and times matching over them.
/// </summary>
public static class MatchBenchmark
{
    private static readonly LifeEventKind[] Mix =
    [
        LifeEventKind.MOVE_IN, LifeEventKind.MOVE_IN, LifeEventKind.MOVE_IN, LifeEventKind.MOVE_OUT, LifeEventKind.MOVE_OUT,
        LifeEventKind.RELOCATION, LifeEventKind.RELOCATION, LifeEventKind.BIRTH, LifeEventKind.DEATH, LifeEventKind.DEATH,
        LifeEventKind.MARRIAGE, LifeEventKind.DIVORCE, LifeEventKind.AGE_65, LifeEventKind.AGE_75, LifeEventKind.PREGNANCY,
        LifeEventKind.SCHOOL_ENTRY, LifeEventKind.DISASTER_CERTIFIED, LifeEventKind.TAX_NON_TAXABLE, LifeEventKind.MOVE_IN_ABROAD,
        LifeEventKind.HOUSEHOLD_SPLIT,
    ];

    public static IReadOnlyList<(LifeEvent Event, HouseholdSnapshot Snapshot)> Generate(int count, int seed = 42)
    {
        var random = new Random(seed);
        var pairs = new List<(LifeEvent, HouseholdSnapshot)>(count);
        var day = new DateOnly(2026, 4, 1);
        for (var i = 0; i < count; i++)
        {
            var kind = Mix[random.Next(Mix.Length)];
            var date = day.AddDays(random.Next(365));
            var hh = $"H{i:D8}";
            var members = new List<Person>();
            var headBirth = kind switch
            {
                LifeEventKind.AGE_65 => date.AddYears(-65).AddDays(1),
                LifeEventKind.AGE_75 => date.AddYears(-75).AddDays(1),
                _ => date.AddYears(-25 - random.Next(50)).AddDays(-random.Next(365)),
            };
            var status = kind == LifeEventKind.DEATH ? RegistryStatus.Deceased : kind == LifeEventKind.MOVE_OUT ? RegistryStatus.Left : RegistryStatus.Registered;
            members.Add(Person(hh, 0, Relationships.Head, headBirth, status));
            if (random.Next(3) > 0 && kind != LifeEventKind.DIVORCE)
            {
                members.Add(Person(hh, 1, Relationships.Wife, headBirth.AddDays(random.Next(-2000, 2000)), RegistryStatus.Registered));
            }

            var children = kind is LifeEventKind.BIRTH or LifeEventKind.SCHOOL_ENTRY or LifeEventKind.DIVORCE ? 1 + random.Next(3) : random.Next(4) == 0 ? random.Next(1, 4) : 0;
            for (var c = 0; c < children; c++)
            {
                var birth = kind == LifeEventKind.BIRTH && c == children - 1 ? date
                    : kind == LifeEventKind.SCHOOL_ENTRY && c == 0 ? date.AddYears(-6).AddDays(-random.Next(300))
                    : date.AddDays(-random.Next(1, 20 * 365));
                members.Add(Person(hh, 2 + c, Relationships.Child, birth, RegistryStatus.Registered));
            }

            var subject = kind switch
            {
                LifeEventKind.BIRTH => members[^1].ResidentId,
                LifeEventKind.SCHOOL_ENTRY => members[members.Count - children].ResidentId,
                _ => members[0].ResidentId,
            };
            var tax = random.Next(2) == 0
                ? members.Select(m => new TaxRecord(m.ResidentId, 2025, random.Next(4) == 0 ? 0 : random.Next(6_000_000), random.Next(4) == 0)).ToList()
                : [];
            var snapshot = new HouseholdSnapshot
            {
                HouseholdId = hh,
                Members = members,
                Tax = tax,
                TaxDataConsent = random.Next(2) == 0 ? members.Select(m => m.ResidentId).ToHashSet() : new HashSet<string>(),
                Disasters = kind == LifeEventKind.DISASTER_CERTIFIED
                    ? [new DisasterCertificate($"D{i}", hh, "bench", (DamageLevel)random.Next(6), date)]
                    : [],
            };
            var related = kind == LifeEventKind.MARRIAGE && members.Count > 1 ? new[] { members[1].ResidentId } : [];
            pairs.Add((new LifeEvent
            {
                Kind = kind,
                Tenant = "401307",
                EventId = $"E{i:D8}",
                ResidentId = subject,
                HouseholdId = hh,
                EventDate = date,
                Source = new EventSource("resident-changes", i + 2),
                RelatedResidentIds = related,
            }, snapshot));
        }

        return pairs;
    }

    /// <summary>
    /// Matches every pair <paramref name="rounds"/> times after one warm-up round; single-threaded. With
    /// <paramref name="withReasons"/>, every match's reason trace is also built (as writing them out would).
    /// </summary>
    public static MatchBenchResult Run(ServiceMatcher matcher, IReadOnlyList<(LifeEvent Event, HouseholdSnapshot Snapshot)> pairs, int rounds = 3, bool withReasons = false)
    {
        foreach (var (e, s) in pairs)
        {
            matcher.Match(e, s);
        }

        long steps = 0;
        long matches = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            foreach (var (e, s) in pairs)
            {
                var found = matcher.Match(e, s);
                matches += found.Count;
                if (withReasons)
                {
                    foreach (var m in found)
                    {
                        steps += m.Reasons.Count;
                    }
                }
            }
        }

        watch.Stop();
        GC.KeepAlive(steps);
        return new MatchBenchResult(pairs.Count, rounds, matches, watch.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, withReasons);
    }

    private static Person Person(string hh, int n, string relationship, DateOnly birth, RegistryStatus status) => new()
    {
        ResidentId = $"{hh}-{n}",
        HouseholdId = hh,
        FamilyName = "試験",
        GivenName = "太郎",
        BirthDate = RegistryDate.Of(birth),
        Relationship = relationship,
        Status = status,
    };
}
