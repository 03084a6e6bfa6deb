using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;

namespace PushGov.Bench;

/// <summary>
/// <c>./pushgov bench detect</c>: throughput and memory of the detector and of snapshot diffing on synthetic rows built in
/// memory (no file, no parsing: P1 measures the whole pipeline from a file), and the event-id hash against SHA-256.
/// </summary>
public sealed class DetectionBenchmark(TextWriter output, int rows = 1_000_000, int residents = 3_800_000)
{
    private const string Tenant = "141003";

    /// <summary>Households the change rows fall in: 15 % of the rows (150,000 for a million).</summary>
    private int Households => Math.Max(1, rows / 20 * 3);

    /// <summary>The change rows built in memory first, so the time is detection alone (after a warm-up on a tenth of them).</summary>
    public void DetectionInMemory()
    {
        var built = SyntheticChanges(rows, Households).ToArray();
        Measure($"warm-up {built.Length / 10:N0} rows", built.AsSpan(0, built.Length / 10).ToArray());
        Measure($"{rows:N0} rows in memory", built);
    }

    /// <summary>The change rows streamed as a reader would yield them.</summary>
    public void DetectionStreamed()
    {
        // Streamed as a reader would yield them: memory is the view's, not the rows'; the generator's own cost is measured apart.
        var (wall, cpu) = Time(() =>
        {
            long n = 0;
            foreach (var _ in SyntheticChanges(rows, Households))
            {
                n++;
            }
        });
        output.WriteLine($"generating {rows:N0} rows alone: {wall.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU");
        Measure($"{rows:N0} rows streamed (incl. generating)", SyntheticChanges(rows, Households));
    }

    /// <summary>As many event ids as rows: XxHash128 (what <see cref="EventIds"/> uses) against SHA-256 with the string it would hash.</summary>
    public void EventIdHash()
    {
        var n = rows;
        var sw = Stopwatch.StartNew();
        UInt128 x = 0;
        for (var i = 0; i < n; i++)
        {
            x ^= EventIds.Hash(Tenant, LifeEventKind.RELOCATION, "12345678901234" + (i % 1000), new DateOnly(2026, 11, 1), "R" + i);
        }

        var xxh = sw.Elapsed;
        sw.Restart();
        var acc = 0;
        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < n; i++)
        {
            var text = $"{Tenant}|RELOCATION|12345678901234{i % 1000}|2026-11-01|R{i}";
            SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
            acc ^= digest[0];
        }

        var sha = sw.Elapsed;
        output.WriteLine($"{n:N0} event-id hashes: XxHash128 {xxh.TotalMilliseconds:F0} ms, SHA-256 (with string building) {sha.TotalMilliseconds:F0} ms ({x.GetHashCode() ^ acc})");
    }

    /// <summary>
    /// A first and a second snapshot of the residents through <see cref="SnapshotDiff"/> (the second without one resident
    /// in 3,800 and with one in 100 moved); false when the counts do not add up.
    /// </summary>
    public bool SnapshotDiffInMemory()
    {
        var n = residents;
        var gone = n / 3800;
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var first = new SnapshotDiff(ResidentFingerprints.Empty);
        var sw = Stopwatch.StartNew();
        long yielded = 0;
        foreach (var _ in first.Compare(SyntheticResidents(n, changeEvery: 0)))
        {
            yielded++;
        }

        var firstTime = sw.Elapsed;
        var fingerprints = first.Current;
        first = null;
        GC.Collect();
        var held = GC.GetTotalMemory(true) - before;
        var blob = fingerprints.Serialize();
        var restored = ResidentFingerprints.Deserialize(blob);
        blob = null;

        sw.Restart();
        var second = new SnapshotDiff(restored);
        long changed = 0;
        foreach (var change in second.Compare(SyntheticResidents(n - gone, changeEvery: 100)))
        {
            changed++;
        }

        var secondTime = sw.Elapsed;
        output.WriteLine($"first snapshot: {n:N0} rows, {yielded:N0} new, {firstTime.TotalSeconds:F1} s ({n / firstTime.TotalSeconds:N0} rows/s)");
        output.WriteLine($"fingerprints held: {held / 1048576.0:F0} MiB; blob {restored.Count:N0} entries");
        output.WriteLine($"second snapshot: {changed:N0} changes ({second.Changed:N0} changed, {second.Missing:N0} missing), {secondTime.TotalSeconds:F1} s ({(n - gone) / secondTime.TotalSeconds:N0} rows/s)");
        output.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        return second.Unchanged + second.Changed == n - gone;
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Time(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        sw.Stop();
        process.Refresh();
        return (sw.Elapsed, process.TotalProcessorTime - cpu);
    }

    private void Measure(string label, IEnumerable<ResidentChangeRow> rows)
    {
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(true);
        var view = new ResidentView();
        var emitted = new EmittedEvents();
        var sweep = new AgeEventSweep(Tenant, null, emitted);
        var detector = new LifeEventDetector(Tenant, view, sweep, null, emitted);
        var events = new List<LifeEvent>(8);
        var counts = new long[Enum.GetValues<LifeEventKind>().Length];
        long n = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var (wall, cpu) = Time(() =>
        {
            foreach (var row in rows)
            {
                n++;
                detector.Apply(row, events);
                foreach (var e in events)
                {
                    counts[(int)e.Kind]++;
                }

                events.Clear();
            }
        });
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var total = counts.Sum();
        GC.Collect();
        var retained = GC.GetTotalMemory(true) - heapBefore;
        output.WriteLine($"{label}: {n:N0} rows, {wall.TotalMilliseconds:F0} ms wall = {n / wall.TotalSeconds:N0} rows/s; {cpu.TotalMilliseconds:F0} ms CPU = {n / cpu.TotalSeconds:N0} rows/CPU-s; {total:N0} events; {allocated / (double)n:F0} B allocated/row; GCs gen0 {GC.CollectionCount(0) - gen0} gen2 {GC.CollectionCount(2) - gen2}; retained (view, index, emitted ids) {retained / 1048576.0:F0} MiB for {view.Count:N0} persons; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        output.WriteLine("  " + string.Join(", ", Enum.GetValues<LifeEventKind>().Where(k => counts[(int)k] > 0).Select(k => $"{k} {counts[(int)k]:N0}")));
        GC.KeepAlive(detector);
    }

    /// <summary>A plausible mix of changes over a city of <paramref name="households"/> households (seeded, so every run is the same).</summary>
    private static IEnumerable<ResidentChangeRow> SyntheticChanges(int count, int households)
    {
        var random = new Random(20261122);
        var nextResident = 0;
        var members = new List<Person>[households];
        for (var h = 0; h < households; h++)
        {
            members[h] = [];
        }

        for (var i = 0; i < count; i++)
        {
            var h = random.Next(households);
            var household = members[h];
            var roll = random.Next(100);
            var date = new DateOnly(2026, 4, 1).AddDays(random.Next(200));
            ChangeCode code;
            Person person;
            if (household.Count == 0 || roll < 20)
            {
                code = household.Count == 0 ? ChangeCode.MOVE_IN : roll < 8 ? ChangeCode.BIRTH : ChangeCode.MOVE_IN;
                var relationship = household.Count == 0 ? Relationships.Head : code == ChangeCode.BIRTH ? Relationships.Child : household.Count == 1 ? Relationships.Wife : "同居人";
                var birth = code == ChangeCode.BIRTH ? date : new DateOnly(1940, 1, 1).AddDays(random.Next(25_000));
                person = Person(nextResident++, h, relationship, birth);
                household.Add(person);
            }
            else
            {
                var k = random.Next(household.Count);
                var current = household[k];
                if (roll < 30)
                {
                    code = roll < 25 ? ChangeCode.MOVE_OUT : ChangeCode.DEATH;
                    person = current;
                    household.RemoveAt(k);
                }
                else if (roll < 75)
                {
                    code = ChangeCode.RELOCATION;
                    person = current with { Address = "横浜市中区本町" + random.Next(1000) };
                    household[k] = person;
                }
                else if (roll < 85)
                {
                    code = ChangeCode.HOUSEHOLD_CHANGE;
                    var target = random.Next(households);
                    person = current with { HouseholdId = HouseholdId(target), Relationship = "同居人" };
                    household.RemoveAt(k);
                    members[target].Add(person);
                }
                else if (roll < 95)
                {
                    code = ChangeCode.CORRECTION;
                    person = current with { GivenNameKana = "タロウ" + random.Next(10) };
                    household[k] = person;
                }
                else
                {
                    code = ChangeCode.HEAD_CHANGE;
                    person = current with { Relationship = Relationships.Head };
                    household[k] = person;
                }
            }

            yield return new ResidentChangeRow(i + 2, "C" + i, code, date, null, person);
        }
    }

    private static IEnumerable<ResidentRow> SyntheticResidents(int count, int changeEvery)
    {
        for (var i = 0; i < count; i++)
        {
            var person = Person(i, i / 3, i % 3 == 0 ? Relationships.Head : Relationships.Child, new DateOnly(1940, 1, 1).AddDays(i % 30_000));
            if (changeEvery > 0 && i % changeEvery == 0)
            {
                person = person with { Address = "横浜市西区2-2" };
            }

            yield return new ResidentRow(i + 2, person);
        }
    }

    private static Person Person(int resident, int household, string relationship, DateOnly birth) => new()
    {
        ResidentId = (100_000_000_000_000L + resident).ToString(System.Globalization.CultureInfo.InvariantCulture),
        HouseholdId = HouseholdId(household),
        FamilyName = "山田",
        GivenName = "太郎",
        FamilyNameKana = "ヤマダ",
        GivenNameKana = "タロウ",
        BirthDate = RegistryDate.Of(birth),
        Sex = Sex.Male,
        Relationship = relationship,
        PostalCode = "2310017",
        Address = "横浜市中区本町1-1",
    };

    private static string HouseholdId(int household) =>
        (900_000_000_000_000L + household).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
