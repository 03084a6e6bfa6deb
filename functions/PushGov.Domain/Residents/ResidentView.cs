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
/// </summary>
public sealed class ResidentView : IResidentViewReader
{
    // A person's slot is shared by the person map and their household's member list, so walking a household
    // follows references instead of looking every member up again.
    private readonly Dictionary<string, Slot> persons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Slot>> households = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaxRecord>> tax = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PregnancyRecord>> pregnancies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DisasterCertificate>> disasters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ContactRecord>> contacts = new(StringComparer.Ordinal);
    private readonly HashSet<string> taxDataConsent = new(StringComparer.Ordinal);
    private readonly List<Slot> changedSlots = [];
    private readonly HashSet<string> changedResidents = new(StringComparer.Ordinal);
    private readonly HashSet<string> changedHouseholds = new(StringComparer.Ordinal);

    /// <summary>How many persons the view holds, whatever their status.</summary>
    public int Count => persons.Count;

    /// <summary>
    /// Residents whose person, tax, pregnancy or contact data changed since <see cref="ClearChanges"/>. (Person
    /// changes are flagged on their slot while rows are applied and gathered into this set when it is read.)
    /// </summary>
    public IReadOnlyCollection<string> ChangedResidents
    {
        get
        {
            foreach (var slot in changedSlots)
            {
                changedResidents.Add(slot.Person.ResidentId);
                slot.Changed = false;
            }

            changedSlots.Clear();
            return changedResidents;
        }
    }

    /// <summary>Households whose membership or 罹災証明 changed since <see cref="ClearChanges"/>.</summary>
    public IReadOnlyCollection<string> ChangedHouseholds => changedHouseholds;

    public IEnumerable<Person> Persons => persons.Values.Select(s => s.Person);

    public void ClearChanges()
    {
        foreach (var slot in changedSlots)
        {
            slot.Changed = false;
        }

        changedSlots.Clear();
        changedResidents.Clear();
        changedHouseholds.Clear();
    }

    public Person? GetPerson(string residentId) => persons.TryGetValue(residentId, out var slot) ? slot.Person : null;

    /// <summary>The 宛名番号 of everyone the household holds, including members who died or left it.</summary>
    public IReadOnlyList<string> MembersOf(string householdId)
    {
        if (!households.TryGetValue(householdId, out var members))
        {
            return [];
        }

        var ids = new string[members.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = members[i].Person.ResidentId;
        }

        return ids;
    }

    /// <summary>The household's member slots (including members who died or left), or an empty list; for walking a household without lookups.</summary>
    internal List<Slot> MemberSlots(string householdId) =>
        households.TryGetValue(householdId, out var members) ? members : EmptySlots;

    private static readonly List<Slot> EmptySlots = [];

    /// <summary>
    /// Puts the person as given into the view. When their household changed, they leave the old
    /// household's member list and join the new one's.
    /// </summary>
    /// <returns>The person as the view held them before, or null when they are new to it.</returns>
    public Person? Upsert(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(persons, person.ResidentId, out var existed);
        entry ??= new Slot(person);
        var slot = entry;
        var before = existed ? slot.Person : null;
        slot.Person = person;
        MarkChanged(slot);

        if (before is null || before.HouseholdId != person.HouseholdId)
        {
            if (before is not null && households.TryGetValue(before.HouseholdId, out var old))
            {
                old.Remove(slot);
                if (old.Count == 0)
                {
                    households.Remove(before.HouseholdId);
                }

                changedHouseholds.Add(before.HouseholdId);
            }

            ref var members = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(households, person.HouseholdId, out _);
            members ??= new List<Slot>(4);
            members.Add(slot);
            changedHouseholds.Add(person.HouseholdId);
        }

        return before;
    }

    /// <summary>Sets a known person's registry status (death, move-out); false when the view does not hold them.</summary>
    public bool SetStatus(string residentId, RegistryStatus status, DateOnly? statusDate)
    {
        if (!persons.TryGetValue(residentId, out var slot))
        {
            return false;
        }

        if (slot.Person.Status != status || slot.Person.StatusDate != statusDate)
        {
            slot.Person = slot.Person with { Status = status, StatusDate = statusDate };
            MarkChanged(slot);
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
        var slots = MemberSlots(householdId);
        var members = new List<Person>(slots.Count);
        var taxRecords = new List<TaxRecord>();
        var pregnancyRecords = new List<PregnancyRecord>();
        var consent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in slots)
        {
            var id = slot.Person.ResidentId;
            members.Add(slot.Person);
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

    private void MarkChanged(Slot slot)
    {
        if (!slot.Changed)
        {
            slot.Changed = true;
            changedSlots.Add(slot);
        }
    }

    private static List<T> ListFor<T>(Dictionary<string, List<T>> map, string key)
    {
        ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        return list ??= new List<T>(2);
    }

    /// <summary>Where the view keeps one person; shared by the person map and the household's member list.</summary>
    internal sealed class Slot(Person person)
    {
        public Person Person { get; set; } = person;

        public bool Changed { get; set; }
    }
}
