using System.Globalization;
using PushGov.Domain.Ages;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Detection;

/// <summary>When the notice window of each age milestone opens.</summary>
public sealed record AgeEventSweepOptions
{
    /// <summary>Days before the day 65 is attained (65歳に達した日) on which AGE_65 is emitted.</summary>
    public int Age65LeadDays { get; init; } = 30;

    /// <summary>Days before the day 75 is attained on which AGE_75 is emitted.</summary>
    public int Age75LeadDays { get; init; } = 30;

    /// <summary>Month and day, in the year before entry, on which SCHOOL_ENTRY is emitted (1 September: 就学時健康診断 is held by 30 November).</summary>
    public int SchoolEntryOpensMonth { get; init; } = 9;

    public int SchoolEntryOpensDay { get; init; } = 1;
}

/// <summary>One key range of the age-sweep index to read: a partition and an inclusive row-key range.</summary>
public sealed record AgeSweepQuery(LifeEventKind Kind, string PartitionKey, string RowKeyFrom, string RowKeyTo);

/// <summary>
/// Emits AGE_65, AGE_75 and SCHOOL_ENTRY once per resident and milestone, on the day the milestone's notice
/// window opens (<see cref="AgeEventSweepOptions"/>), following the legal age rule (<see cref="LegalAge"/>).
/// Only residents who are registered and have an exact birth date are indexed: an approximate or unknown
/// birth date (昭和20年頃, 年月日不詳, 平成11年2月29日) never yields an age event.
/// <para>
/// A daily sweep does not scan everyone: residents are indexed by birth date, and the sweep for day D
/// reads only the birth dates whose window opens on D (a handful of dates; every birth date in a school
/// year once a year on the opening day of SCHOOL_ENTRY). <see cref="Sweep"/> takes a range of days to catch
/// up on days missed.
/// </para>
/// <para>
/// Key scheme for a table-backed index (see <see cref="PartitionKey"/>, <see cref="RowKey"/>,
/// <see cref="QueriesFor"/>): partition key <c>{tenant}-{MMdd of birth}</c>, row key
/// <c>{yyyy of birth}-{宛名番号}</c>. The residents attaining N on day M are born on the anniversary
/// A = M + 1 day, N years earlier: one partition (A's MMdd) and one row-key prefix (A's year − N), i.e. the
/// range <c>[yyyy-, yyyy.)</c> (<c>.</c> sorts right after <c>-</c>). When A is 1 March of a common year the
/// 29 February births of year A − N attain on the same day: partition <c>0229</c> as well. SCHOOL_ENTRY for
/// entry year E reads every partition once: births from 2 April of E − 7 to 1 April of E − 6.
/// </para>
/// </summary>
public sealed class AgeEventSweep
{
    public const string SourceName = "age-sweep";

    private readonly string tenant;
    private readonly AgeEventSweepOptions options;
    private readonly EmittedEvents emitted;
    // One entry per resident indexed, found by their id's key (0 for an entry not in use); residents and households as
    // keys, so that the index holds no object per resident.
    private readonly IdKeys ids = new();
    private readonly KeyIndex index = new();
    private readonly Stack<int> free = new();
    private readonly Dictionary<DateOnly, List<int>> byBirthDate = [];
    private long[] keys = new long[16];
    private Entry[] entries = new Entry[16];
    private int used;

    public AgeEventSweep(string tenant, AgeEventSweepOptions? options = null, EmittedEvents? emitted = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        this.tenant = tenant;
        this.options = options ?? new AgeEventSweepOptions();
        this.emitted = emitted ?? new EmittedEvents();
        if (this.options.Age65LeadDays < 0 || this.options.Age75LeadDays < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Lead days cannot be negative.");
        }

        _ = new DateOnly(2000, this.options.SchoolEntryOpensMonth, this.options.SchoolEntryOpensDay);
    }

    /// <summary>How many residents the index holds.</summary>
    public int Count => used - free.Count;

    /// <summary>
    /// Indexes the person when they are registered and their birth date is exact; otherwise removes them.
    /// Call it for every person the view takes (snapshot rows, change rows).
    /// </summary>
    public void Track(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (person.Status != RegistryStatus.Registered || person.BirthDate.Exact is not { } birth)
        {
            Untrack(person.ResidentId);
            return;
        }

        var key = ids.KeyOf(person.ResidentId);
        var household = ids.KeyOf(person.HouseholdId);
        var e = index.Find(key, keys);
        if (e >= 0)
        {
            if (entries[e].Birth == birth)
            {
                entries[e].Household = household;
                return;
            }

            Remove(e);
        }

        if (!byBirthDate.TryGetValue(birth, out var born))
        {
            byBirthDate[birth] = born = new List<int>(4);
        }

        if (!free.TryPop(out e))
        {
            e = used++;
            if (e == keys.Length)
            {
                Array.Resize(ref keys, keys.Length * 2);
                Array.Resize(ref entries, entries.Length * 2);
            }
        }

        keys[e] = key;
        entries[e] = new Entry(birth, born.Count, household);
        index.Add(e, keys);
        born.Add(e);
    }

    public void Untrack(string residentId)
    {
        if (ids.TryGetKey(residentId, out var key) && index.Find(key, keys) is var e and >= 0)
        {
            Remove(e);
        }
    }

    private void Remove(int e)
    {
        index.Remove(e, keys);
        keys[e] = 0;
        free.Push(e);
        var entry = entries[e];
        var born = byBirthDate[entry.Birth];

        // Swap-remove: the last resident born that day takes the leaver's place, so a removal costs O(1).
        var last = born.Count - 1;
        if (entry.Position != last)
        {
            var moved = born[last];
            born[entry.Position] = moved;
            entries[moved].Position = entry.Position;
        }

        born.RemoveAt(last);
        if (born.Count == 0)
        {
            byBirthDate.Remove(entry.Birth);
        }
    }

    /// <summary>
    /// The age events whose window opens on a day from <paramref name="from"/> to <paramref name="to"/>
    /// (inclusive), each once: sweeping a day again yields nothing new.
    /// </summary>
    public IEnumerable<LifeEvent> Sweep(DateOnly from, DateOnly to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            foreach (var e in SweepDay(day))
            {
                yield return e;
            }
        }
    }

    /// <summary>
    /// The age events whose window is open on <paramref name="asOf"/> for one person: for someone who
    /// joins the registry (転入) after a window opened and before its milestone, which no daily sweep will visit again.
    /// </summary>
    public IReadOnlyList<LifeEvent> OpenFor(Person person, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(person);
        var found = new List<LifeEvent>();
        if (person.Status != RegistryStatus.Registered || person.BirthDate.Exact is not { } birth)
        {
            return found;
        }

        foreach (var (kind, age, lead) in AgeMilestones())
        {
            var milestone = LegalAge.DayAgeIsAttained(birth, age);
            if (milestone.AddDays(-lead) <= asOf && asOf <= milestone)
            {
                Emit(found, kind, person.ResidentId, person.HouseholdId, milestone);
            }
        }

        var entry = LegalAge.SchoolEntryDate(birth);
        if (SchoolWindowOpens(entry.Year) <= asOf && asOf < entry)
        {
            Emit(found, LifeEventKind.SCHOOL_ENTRY, person.ResidentId, person.HouseholdId, entry);
        }

        return found;
    }

    /// <summary>Partition key of a resident in a table-backed sweep index: <c>{tenant}-{MMdd of birth}</c>.</summary>
    public static string PartitionKey(string tenant, DateOnly birth) =>
        string.Create(CultureInfo.InvariantCulture, $"{tenant}-{birth.Month:00}{birth.Day:00}");

    /// <summary>Row key of a resident in a table-backed sweep index: <c>{yyyy of birth}-{宛名番号}</c>.</summary>
    public static string RowKey(DateOnly birth, string residentId) =>
        string.Create(CultureInfo.InvariantCulture, $"{birth.Year:0000}-{residentId}");

    /// <summary>The key ranges a table-backed sweep reads for <paramref name="day"/>; the in-memory sweep selects the same residents.</summary>
    public IReadOnlyList<AgeSweepQuery> QueriesFor(DateOnly day)
    {
        var queries = new List<AgeSweepQuery>();
        foreach (var (kind, age, lead) in AgeMilestones())
        {
            var anniversary = day.AddDays(lead + 1);
            var year = anniversary.Year - age;
            queries.Add(YearQuery(kind, tenant, anniversary, year));
            if (anniversary is { Month: 3, Day: 1 } && !DateTime.IsLeapYear(anniversary.Year))
            {
                queries.Add(YearQuery(kind, tenant, new DateOnly(2000, 2, 29), year));
            }
        }

        if (IsSchoolWindowOpening(day, out var entryYear))
        {
            for (var birth = new DateOnly(2000, 1, 1); birth.Year == 2000; birth = birth.AddDays(1))
            {
                var year = birth >= new DateOnly(2000, 4, 2) ? entryYear - 7 : entryYear - 6;
                queries.Add(YearQuery(LifeEventKind.SCHOOL_ENTRY, tenant, birth, year));
            }
        }

        return queries;
    }

    private static AgeSweepQuery YearQuery(LifeEventKind kind, string tenant, DateOnly monthDay, int year) =>
        new(kind, PartitionKey(tenant, monthDay), string.Create(CultureInfo.InvariantCulture, $"{year:0000}-"), string.Create(CultureInfo.InvariantCulture, $"{year:0000}."));

    private List<LifeEvent> SweepDay(DateOnly day)
    {
        var found = new List<LifeEvent>();
        foreach (var (kind, age, lead) in AgeMilestones())
        {
            var milestone = day.AddDays(lead);
            var anniversary = milestone.AddDays(1);
            var year = anniversary.Year - age;
            // A leap-year 29 February anniversary has births only when the birth year is a leap year too.
            if (year >= 1 && !(anniversary is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(year)))
            {
                EmitBorn(found, kind, new DateOnly(year, anniversary.Month, anniversary.Day), milestone);
            }

            // 29 February births attain their age on 28 February of a common year, the day before 1 March.
            if (anniversary is { Month: 3, Day: 1 } && !DateTime.IsLeapYear(anniversary.Year) && DateTime.IsLeapYear(year))
            {
                EmitBorn(found, kind, new DateOnly(year, 2, 29), milestone);
            }
        }

        if (IsSchoolWindowOpening(day, out var entryYear))
        {
            var entry = new DateOnly(entryYear, 4, 1);
            for (var birth = new DateOnly(entryYear - 7, 4, 2); birth <= new DateOnly(entryYear - 6, 4, 1); birth = birth.AddDays(1))
            {
                EmitBorn(found, LifeEventKind.SCHOOL_ENTRY, birth, entry);
            }
        }

        return found;
    }

    private void EmitBorn(List<LifeEvent> found, LifeEventKind kind, DateOnly birth, DateOnly eventDate)
    {
        if (!byBirthDate.TryGetValue(birth, out var born))
        {
            return;
        }

        foreach (var e in born)
        {
            Emit(found, kind, ids.IdOf(keys[e]), ids.IdOf(entries[e].Household), eventDate);
        }
    }

    private void Emit(List<LifeEvent> found, LifeEventKind kind, string residentId, string householdId, DateOnly eventDate)
    {
        var hash = EventIds.Hash(tenant, kind, residentId, eventDate, null);
        if (!emitted.TryAdd(hash))
        {
            return;
        }

        var details = new Dictionary<string, string>(1, StringComparer.Ordinal);
        if (kind == LifeEventKind.SCHOOL_ENTRY)
        {
            details["entryDate"] = IsoDate.Format(eventDate);
        }
        else
        {
            details["age"] = kind == LifeEventKind.AGE_65 ? "65" : "75";
        }

        found.Add(new LifeEvent
        {
            Kind = kind,
            Tenant = tenant,
            EventId = EventIds.Format(kind, hash),
            ResidentId = residentId,
            HouseholdId = householdId,
            EventDate = eventDate,
            Source = new EventSource(SourceName, 0),
            Details = details,
        });
    }

    private bool IsSchoolWindowOpening(DateOnly day, out int entryYear)
    {
        entryYear = day.Year + 1;
        return day.Month == options.SchoolEntryOpensMonth && day.Day == options.SchoolEntryOpensDay;
    }

    private DateOnly SchoolWindowOpens(int entryYear) =>
        new(entryYear - 1, options.SchoolEntryOpensMonth, options.SchoolEntryOpensDay);

    private (LifeEventKind Kind, int Age, int Lead)[] AgeMilestones() =>
        [(LifeEventKind.AGE_65, 65, options.Age65LeadDays), (LifeEventKind.AGE_75, 75, options.Age75LeadDays)];

    // Birth and position first: 16 bytes, not 24 with the padding before a long.
    private record struct Entry(DateOnly Birth, int Position, long Household);
}
