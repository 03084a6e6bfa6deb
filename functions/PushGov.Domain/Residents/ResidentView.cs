namespace PushGov.Domain.Residents;

/// <summary>Reads the resident and household view: what matching and detection ask of it.</summary>
public interface IResidentViewReader
{
    /// <summary>The person with this 宛名番号, whatever their status, or null when the view has never seen them.</summary>
    Person? GetPerson(string residentId);

    /// <summary>
    /// The household with this 世帯番号 as it stands now, including members who have died or left it
    /// (with their status), and the facts held about its members.
    /// </summary>
    HouseholdSnapshot Snapshot(string householdId);
}

/// <summary>
/// An in-memory resident and household view (住民記録 and the facts other systems hold about residents):
/// persons by 宛名番号, households by 世帯番号 (members, including those who died or left, who stay in the
/// household they were removed from), 住民税 per resident and fiscal year, 妊娠届, 罹災証明 per household
/// and contacts per resident and channel.
/// <para>
/// It is the working set detection runs against: the whole registry in tests and tools, or the
/// households a drop touches, loaded from storage, in the function app. <see cref="ChangedResidents"/>
/// and <see cref="ChangedHouseholds"/> say what to write back. Not thread-safe.
/// </para>
/// <para>
/// Persons are kept compact, so that a view of millions of residents holds few objects for the garbage collector: one
/// struct per person in an array, indexed by an int; ids as 64-bit keys (<see cref="IdKeys"/>); 続柄, nationality and
/// the birth date as written in pools of strings; each household a linked list of its members' indexes (in the order
/// they joined). A view made for detection only keeps nothing else of a person: <see cref="GetPerson"/> and
/// <see cref="Snapshot"/> then give persons without names, kana, postal code, address or 外字. Otherwise the view also
/// keeps each person as given, which <see cref="GetPerson"/> and <see cref="Snapshot"/> return.
/// </para>
/// </summary>
public sealed class ResidentView : IResidentViewReader
{
    private const int None = -1;

    private readonly IdKeys ids = new();
    private readonly StringPool strings = new();
    private readonly KeyIndex personIndex = new();
    private readonly KeyIndex householdIndex = new();
    private readonly Dictionary<string, List<TaxRecord>> tax = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PregnancyRecord>> pregnancies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DisasterCertificate>> disasters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ContactRecord>> contacts = new(StringComparer.Ordinal);
    private readonly HashSet<string> taxDataConsent = new(StringComparer.Ordinal);
    private readonly List<int> changedPersons = [];
    private readonly List<int> changedHouseholdIndexes = [];
    private readonly HashSet<string> changedResidents = new(StringComparer.Ordinal);
    private readonly HashSet<string> changedHouseholds = new(StringComparer.Ordinal);

    private Resident[] residents = new Resident[16];
    private long[] residentKeys = new long[16];
    private Household[] households = new Household[16];
    private long[] householdKeys = new long[16];
    private int householdCount;

    /// <summary>Each person as given, by index; null in a view for detection only.</summary>
    private Person?[]? persons;

    /// <param name="detectionOnly">
    /// True to keep of each person only what detection reads (ids, dates, 続柄, status, sex, nationality), e.g. for
    /// <c>./pushgov detect</c> over a drop of a million new residents; false (the default) to keep whole persons.
    /// </param>
    public ResidentView(bool detectionOnly = false)
    {
        persons = detectionOnly ? null : new Person?[16];
    }

    /// <summary>How many persons the view holds, whatever their status.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Residents whose person, tax, pregnancy or contact data changed since <see cref="ClearChanges"/>. (Person
    /// changes are flagged on the person while rows are applied and gathered into this set when it is read.)
    /// </summary>
    public IReadOnlyCollection<string> ChangedResidents
    {
        get
        {
            foreach (var i in changedPersons)
            {
                changedResidents.Add(ResidentIdOf(i));
                residents[i].Changed = false;
            }

            changedPersons.Clear();
            return changedResidents;
        }
    }

    /// <summary>Households whose membership or 罹災証明 changed since <see cref="ClearChanges"/>.</summary>
    public IReadOnlyCollection<string> ChangedHouseholds
    {
        get
        {
            foreach (var h in changedHouseholdIndexes)
            {
                changedHouseholds.Add(ids.IdOf(householdKeys[h]));
                households[h].Changed = false;
            }

            changedHouseholdIndexes.Clear();
            return changedHouseholds;
        }
    }

    public IEnumerable<Person> Persons
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                yield return PersonAt(i);
            }
        }
    }

    public void ClearChanges()
    {
        foreach (var i in changedPersons)
        {
            residents[i].Changed = false;
        }

        foreach (var h in changedHouseholdIndexes)
        {
            households[h].Changed = false;
        }

        changedPersons.Clear();
        changedHouseholdIndexes.Clear();
        changedResidents.Clear();
        changedHouseholds.Clear();
    }

    public Person? GetPerson(string residentId)
    {
        var i = IndexOf(residentId);
        return i == None ? null : PersonAt(i);
    }

    /// <summary>The 宛名番号 of everyone the household holds, including members who died or left it.</summary>
    public IReadOnlyList<string> MembersOf(string householdId)
    {
        var h = HouseholdIndexOf(householdId);
        if (h == None || households[h].Count == 0)
        {
            return [];
        }

        var members = new string[households[h].Count];
        var n = 0;
        for (var i = households[h].First; i != None; i = residents[i].Next)
        {
            members[n++] = ResidentIdOf(i);
        }

        return members;
    }

    /// <summary>
    /// Puts the person as given into the view. When their household changed, they leave the old
    /// household's member list and join the new one's.
    /// </summary>
    /// <returns>The person as the view held them before, or null when they are new to it.</returns>
    public Person? Upsert(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var before = GetPerson(person.ResidentId);
        Put(person);
        return before;
    }

    /// <summary>Sets a known person's registry status (death, move-out); false when the view does not hold them.</summary>
    public bool SetStatus(string residentId, RegistryStatus status, DateOnly? statusDate)
    {
        var i = IndexOf(residentId);
        if (i == None)
        {
            return false;
        }

        ref var r = ref residents[i];
        var day = DayOf(statusDate);
        if (r.Status != (byte)status || r.StatusDay != day)
        {
            r.Status = (byte)status;
            r.StatusDay = day;
            if (persons is not null)
            {
                persons[i] = persons[i]! with { Status = status, StatusDate = statusDate };
            }

            MarkChanged(i);
        }

        return true;
    }

    /// <summary>Records a 住民税 assessment, replacing the one for the same resident and fiscal year.</summary>
    public void Upsert(TaxRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var list = ListFor(tax, record.ResidentId);
        var i = list.FindIndex(t => t.FiscalYear == record.FiscalYear);
        if (i >= 0)
        {
            list[i] = record;
        }
        else
        {
            list.Add(record);
        }

        changedResidents.Add(record.ResidentId);
    }

    public TaxRecord? GetTax(string residentId, int fiscalYear)
    {
        if (tax.TryGetValue(residentId, out var list))
        {
            foreach (var record in list)
            {
                if (record.FiscalYear == fiscalYear)
                {
                    return record;
                }
            }
        }

        return null;
    }

    /// <summary>Records a 妊娠届, replacing one with the same record id.</summary>
    public void Upsert(PregnancyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var list = ListFor(pregnancies, record.ResidentId);
        var i = list.FindIndex(p => p.RecordId == record.RecordId);
        if (i >= 0)
        {
            list[i] = record;
        }
        else
        {
            list.Add(record);
        }

        changedResidents.Add(record.ResidentId);
    }

    public IReadOnlyList<PregnancyRecord> PregnanciesOf(string residentId) =>
        pregnancies.TryGetValue(residentId, out var list) ? list : [];

    /// <summary>Records a 罹災証明 for its household, replacing one with the same record id.</summary>
    public void Upsert(DisasterCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var list = ListFor(disasters, certificate.HouseholdId);
        var i = list.FindIndex(d => d.RecordId == certificate.RecordId);
        if (i >= 0)
        {
            list[i] = certificate;
        }
        else
        {
            list.Add(certificate);
        }

        changedHouseholds.Add(certificate.HouseholdId);
    }

    public IReadOnlyList<DisasterCertificate> DisastersOf(string householdId) =>
        disasters.TryGetValue(householdId, out var list) ? list : [];

    /// <summary>
    /// Records a contact, one per resident and channel. The newer one wins (by <see cref="ContactRecord.ConsentedAt"/>),
    /// so an older drop does not override a choice the resident made later.
    /// </summary>
    /// <returns>True when the contact was taken.</returns>
    public bool Upsert(ContactRecord contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var list = ListFor(contacts, contact.ResidentId);
        var i = list.FindIndex(c => c.Channel == contact.Channel);
        if (i >= 0)
        {
            if (list[i].ConsentedAt > contact.ConsentedAt)
            {
                return false;
            }

            list[i] = contact;
        }
        else
        {
            list.Add(contact);
        }

        changedResidents.Add(contact.ResidentId);
        return true;
    }

    public ContactRecord? GetContact(string residentId, Channel channel)
    {
        if (contacts.TryGetValue(residentId, out var list))
        {
            foreach (var contact in list)
            {
                if (contact.Channel == channel)
                {
                    return contact;
                }
            }
        }

        return null;
    }

    public IReadOnlyList<ContactRecord> ContactsOf(string residentId) =>
        contacts.TryGetValue(residentId, out var list) ? list : [];

    /// <summary>Records whether the resident consented to the use of their tax data for push services.</summary>
    public void SetTaxDataConsent(string residentId, bool consent)
    {
        var changed = consent ? taxDataConsent.Add(residentId) : taxDataConsent.Remove(residentId);
        if (changed)
        {
            changedResidents.Add(residentId);
        }
    }

    public HouseholdSnapshot Snapshot(string householdId)
    {
        var h = HouseholdIndexOf(householdId);
        var members = new List<Person>(h == None ? 0 : households[h].Count);
        var taxRecords = new List<TaxRecord>();
        var pregnancyRecords = new List<PregnancyRecord>();
        var consent = new HashSet<string>(StringComparer.Ordinal);
        for (var i = h == None ? None : households[h].First; i != None; i = residents[i].Next)
        {
            var person = PersonAt(i);
            var id = person.ResidentId;
            members.Add(person);
            if (tax.TryGetValue(id, out var t))
            {
                taxRecords.AddRange(t);
            }

            if (pregnancies.TryGetValue(id, out var p))
            {
                pregnancyRecords.AddRange(p);
            }

            if (taxDataConsent.Contains(id))
            {
                consent.Add(id);
            }
        }

        return new HouseholdSnapshot
        {
            HouseholdId = householdId,
            Members = members,
            Tax = taxRecords,
            Pregnancies = pregnancyRecords,
            Disasters = [.. DisastersOf(householdId)],
            TaxDataConsent = consent,
        };
    }

    /// <summary>The person's index in the view, or -1 when the view does not hold them.</summary>
    internal int IndexOf(string residentId) =>
        ids.TryGetKey(residentId, out var key) ? personIndex.Find(key, residentKeys) : None;

    /// <summary>The household's index in the view, or -1 when the view does not hold it.</summary>
    internal int HouseholdIndexOf(string householdId) =>
        ids.TryGetKey(householdId, out var key) ? householdIndex.Find(key, householdKeys) : None;

    /// <summary>
    /// Puts the person as given into the view (see <see cref="Upsert(Person)"/>) and returns their index, without
    /// making the person as they were before.
    /// </summary>
    internal int Put(Person person)
    {
        var household = HouseholdFor(person.HouseholdId);
        var key = ids.KeyOf(person.ResidentId);
        var i = personIndex.Find(key, residentKeys);
        if (i == None)
        {
            i = Count;
            Append(ref residents, ref residentKeys, personIndex, i, new Resident { Household = None, Next = None }, key);
            if (persons is not null)
            {
                persons = Grown(persons, Count + 1);
            }

            Count++;
        }

        ref var r = ref residents[i];
        var before = r.Household;
        r.Relationship = strings.Add(person.Relationship);
        r.Nationality = person.Nationality is null ? None : strings.Add(person.Nationality);
        r.BirthPrecision = (byte)person.BirthDate.Precision;
        r.BirthDay = DayOf(person.BirthDate.Approximate);
        r.BirthOriginal = person.BirthDate.Original is null ? None : strings.Add(person.BirthDate.Original);
        r.Sex = (byte)person.Sex;
        r.Status = (byte)person.Status;
        r.StatusDay = DayOf(person.StatusDate);
        r.MovedInDay = DayOf(person.MovedInDate);
        if (persons is not null)
        {
            persons[i] = person;
        }

        MarkChanged(i);
        if (before != household)
        {
            if (before != None)
            {
                Unlink(i, before);
                MarkHouseholdChanged(before);
            }

            Link(i, household);
            MarkHouseholdChanged(household);
        }

        return i;
    }

    /// <summary>The person at the index: as given, or, in a view for detection only, as the view keeps them.</summary>
    internal Person PersonAt(int i)
    {
        if (persons is not null)
        {
            return persons[i]!;
        }

        ref readonly var r = ref residents[i];
        return new Person
        {
            ResidentId = ids.IdOf(residentKeys[i]),
            HouseholdId = ids.IdOf(householdKeys[r.Household]),
            FamilyName = string.Empty,
            GivenName = string.Empty,
            BirthDate = new RegistryDate((DatePrecision)r.BirthPrecision, DateOf(r.BirthDay), r.BirthOriginal == None ? null! : strings[r.BirthOriginal]),
            Sex = (Sex)r.Sex,
            Relationship = strings[r.Relationship],
            Nationality = r.Nationality == None ? null : strings[r.Nationality],
            Status = (RegistryStatus)r.Status,
            StatusDate = DateOf(r.StatusDay),
            MovedInDate = DateOf(r.MovedInDay),
        };
    }

    internal string ResidentIdOf(int i) => persons is not null ? persons[i]!.ResidentId : ids.IdOf(residentKeys[i]);

    internal int HouseholdOf(int i) => residents[i].Household;

    internal RegistryStatus StatusOf(int i) => (RegistryStatus)residents[i].Status;

    /// <summary>続柄 to the head of household (世帯主, 妻, 夫, 子, …).</summary>
    internal string RelationshipOf(int i) => strings[residents[i].Relationship];

    /// <summary>The first member of the household (in the order they joined), or -1 when it has none.</summary>
    internal int FirstMember(int household) => household == None ? None : households[household].First;

    /// <summary>The member after this one in their household, or -1 after the last.</summary>
    internal int NextMember(int i) => residents[i].Next;

    /// <summary>How many members the household holds, including those who died or left.</summary>
    internal int MemberCount(int household) => household == None ? 0 : households[household].Count;

    private int HouseholdFor(string householdId)
    {
        var key = ids.KeyOf(householdId);
        var h = householdIndex.Find(key, householdKeys);
        if (h == None)
        {
            h = householdCount++;
            Append(ref households, ref householdKeys, householdIndex, h, new Household { First = None, Last = None }, key);
        }

        return h;
    }

    private void Link(int i, int household)
    {
        ref var h = ref households[household];
        residents[i].Household = household;
        residents[i].Next = None;
        if (h.Last == None)
        {
            h.First = i;
        }
        else
        {
            residents[h.Last].Next = i;
        }

        h.Last = i;
        h.Count++;
    }

    private void Unlink(int i, int household)
    {
        ref var h = ref households[household];
        var previous = None;
        for (var m = h.First; m != i; m = residents[m].Next)
        {
            previous = m;
        }

        var next = residents[i].Next;
        if (previous == None)
        {
            h.First = next;
        }
        else
        {
            residents[previous].Next = next;
        }

        if (h.Last == i)
        {
            h.Last = previous;
        }

        h.Count--;
    }

    private void MarkChanged(int i)
    {
        if (!residents[i].Changed)
        {
            residents[i].Changed = true;
            changedPersons.Add(i);
        }
    }

    private void MarkHouseholdChanged(int household)
    {
        if (!households[household].Changed)
        {
            households[household].Changed = true;
            changedHouseholdIndexes.Add(household);
        }
    }

    /// <summary>Puts an entry and its key at <paramref name="at"/> (the next index) of their arrays, grown as needed, and into the index.</summary>
    private static void Append<T>(ref T[] entries, ref long[] keys, KeyIndex index, int at, T entry, long key)
    {
        entries = Grown(entries, at + 1);
        keys = Grown(keys, at + 1);
        entries[at] = entry;
        keys[at] = key;
        index.Add(at, keys);
    }

    private static T[] Grown<T>(T[] array, int size)
    {
        if (size > array.Length)
        {
            Array.Resize(ref array, Math.Max(size, array.Length * 2));
        }

        return array;
    }

    private static int DayOf(DateOnly? date) => date?.DayNumber ?? None;

    private static DateOnly? DateOf(int day) => day == None ? null : DateOnly.FromDayNumber(day);

    private static List<T> ListFor<T>(Dictionary<string, List<T>> map, string key)
    {
        ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        return list ??= new List<T>(2);
    }

    /// <summary>What the view keeps of one person (with their id's key in another array): no reference to trace, 36 bytes.</summary>
    private struct Resident
    {
        public int Household;
        public int Next;
        public int Relationship;
        public int Nationality;
        public int BirthOriginal;
        public int BirthDay;
        public int StatusDay;
        public int MovedInDay;
        public byte BirthPrecision;
        public byte Sex;
        public byte Status;
        public bool Changed;
    }

    /// <summary>One household (with its id's key in another array): the linked list of its members.</summary>
    private struct Household
    {
        public int First;
        public int Last;
        public int Count;
        public bool Changed;
    }
}
