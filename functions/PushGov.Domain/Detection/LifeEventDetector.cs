using System.Globalization;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Detection;

public sealed record LifeEventDetectorOptions
{
    /// <summary>
    /// The day detection runs for (the day the drop was taken in), passed in rather than read from a clock.
    /// Used as the date of TAX_NON_TAXABLE events (1 April of the fiscal year when not set), and, with an
    /// <see cref="AgeEventSweep"/>, to emit the age events whose window is already open for residents who
    /// join the registry (転入, a new snapshot row).
    /// </summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>
    /// Whether a registered household member with no 住民税 record for the fiscal year counts as non-taxable
    /// (e.g. a child with no income). Off by default: a household is non-taxable only when every registered
    /// member has a record saying so.
    /// </summary>
    public bool TreatMissingTaxRecordAsNonTaxable { get; init; }
}

/// <summary>
/// Applies typed drop rows, in order, to a <see cref="ResidentView"/> and yields the life events they show:
/// one event per fact, with a stable <see cref="LifeEvent.EventId"/> (<see cref="EventIds"/>); applying the
/// same row again yields nothing new (<see cref="EmittedEvents"/>).
/// <list type="bullet">
/// <item>resident-changes: one event per row of the row's code (BIRTH … DIVORCE); a DEATH row marks the person
/// Deceased and a MOVE_OUT(_ABROAD) row marks them Left, on the change date; both stay in their household.
/// A CORRECTION row yields MARRIAGE (inferred) when it makes the resident and another registered resident
/// 世帯主 and 夫/妻 of one household, and DIVORCE (inferred) when it moves a resident who was such a spouse into a
/// household of their own (as 世帯主) together with children of the old household (the children's rows
/// may come before or after the parent's).</item>
/// <item>residents snapshot (via <see cref="SnapshotDiff"/>): updates the view, no event; a missing resident is marked Left.</item>
/// <item>tax: TAX_NON_TAXABLE once per household and fiscal year when every registered member is non-taxable,
/// decided by <see cref="CompleteTaxDrop"/> once the whole drop is applied.</item>
/// <item>pregnancy: PREGNANCY; disaster: DISASTER_CERTIFIED for the household; contacts: stored, no event.</item>
/// <item>age events come from the <see cref="AgeEventSweep"/> the detector keeps indexed.</item>
/// </list>
/// Not thread-safe: one detector per tenant and drop sequence.
/// </summary>
public sealed partial class LifeEventDetector
{
    private static readonly IReadOnlyDictionary<string, string> EmptyDetails = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    private readonly string tenant;
    private readonly LifeEventDetectorOptions options;
    private readonly EmittedEvents emitted;
    private readonly HashSet<(string ResidentId, int FiscalYear)> taxTouched = [];

    public LifeEventDetector(string tenant, ResidentView view, AgeEventSweep? sweep = null, LifeEventDetectorOptions? options = null, EmittedEvents? emitted = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(view);
        this.tenant = tenant;
        View = view;
        Sweep = sweep;
        this.options = options ?? new LifeEventDetectorOptions();
        this.emitted = emitted ?? new EmittedEvents();
    }

    public ResidentView View { get; }

    public AgeEventSweep? Sweep { get; }

    /// <summary>Applies every row in order and yields the events; a tax drop's household events come after its last row.</summary>
    public IEnumerable<LifeEvent> Detect(IEnumerable<DropRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var events = new List<LifeEvent>(4);
        foreach (var row in rows)
        {
            Apply(row, events);
            foreach (var e in events)
            {
                yield return e;
            }

            events.Clear();
        }

        CompleteTaxDrop(events);
        foreach (var e in events)
        {
            yield return e;
        }
    }

    /// <summary>Applies one row of any dataset, adding the events it shows to <paramref name="events"/>.</summary>
    public void Apply(DropRow row, ICollection<LifeEvent> events)
    {
        switch (row)
        {
            case ResidentChangeRow change:
                Apply(change, events);
                break;
            case ResidentRow resident:
                Apply(resident, events);
                break;
            case TaxRow tax:
                Apply(tax);
                break;
            case PregnancyRow pregnancy:
                Apply(pregnancy, events);
                break;
            case DisasterRow disaster:
                Apply(disaster, events);
                break;
            case ContactRow contact:
                View.Upsert(contact.Record);
                break;
            default:
                throw new ArgumentException($"Unknown row type {row?.GetType().Name}.", nameof(row));
        }
    }

    public void Apply(ResidentChangeRow row, ICollection<LifeEvent> events)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(events);
        var index = View.IndexOf(row.Person.ResidentId);
        var before = index < 0 ? null : View.PersonAt(index);
        // The couple a row may make or break: only looked for where a marriage or divorce can show.
        var beforePartner = before is not null && row.ChangeCode is ChangeCode.MARRIAGE or ChangeCode.DIVORCE or ChangeCode.CORRECTION
            ? FindPartner(index)
            : null;
        var after = WithStatus(row, before);
        index = View.Put(after);
        Sweep?.Track(after);
        var moved = before is not null && before.HouseholdId != after.HouseholdId;

        switch (row.ChangeCode)
        {
            case ChangeCode.BIRTH:
                Emit(events, LifeEventKind.BIRTH, after, index, row, Related.Parents);
                break;
            case ChangeCode.DEATH:
                Emit(events, LifeEventKind.DEATH, after, index, row, Related.OtherMembers, wasHead: after.IsHead);
                break;
            case ChangeCode.MOVE_IN:
            case ChangeCode.MOVE_IN_ABROAD:
                var kind = row.ChangeCode == ChangeCode.MOVE_IN ? LifeEventKind.MOVE_IN : LifeEventKind.MOVE_IN_ABROAD;
                Emit(events, kind, after, index, row, Related.OtherMembers);
                if (options.AsOf is { } asOf && Sweep is not null)
                {
                    AddAll(events, Sweep.OpenFor(after, asOf));
                }

                break;
            case ChangeCode.MOVE_OUT:
            case ChangeCode.MOVE_OUT_ABROAD:
                Emit(events, row.ChangeCode == ChangeCode.MOVE_OUT ? LifeEventKind.MOVE_OUT : LifeEventKind.MOVE_OUT_ABROAD, after, index, row, Related.OtherMembers, wasHead: after.IsHead);
                break;
            case ChangeCode.RELOCATION:
                Emit(events, LifeEventKind.RELOCATION, after, index, row, Related.OtherMembers, moved ? before!.HouseholdId : null);
                break;
            case ChangeCode.HOUSEHOLD_SPLIT:
            case ChangeCode.HOUSEHOLD_MERGE:
            case ChangeCode.HOUSEHOLD_CHANGE:
                var householdKind = row.ChangeCode switch
                {
                    ChangeCode.HOUSEHOLD_SPLIT => LifeEventKind.HOUSEHOLD_SPLIT,
                    ChangeCode.HOUSEHOLD_MERGE => LifeEventKind.HOUSEHOLD_MERGE,
                    _ => LifeEventKind.HOUSEHOLD_CHANGE,
                };
                Emit(events, householdKind, after, index, row, Related.OtherMembers, moved ? before!.HouseholdId : null);
                break;
            case ChangeCode.HEAD_CHANGE:
                Emit(events, LifeEventKind.HEAD_CHANGE, after, index, row, Related.OtherMembers, moved ? before!.HouseholdId : null);
                break;
            case ChangeCode.MARRIAGE:
                var spouse = FindPartner(index) ?? beforePartner;
                EmitCouple(events, LifeEventKind.MARRIAGE, after, spouse, row, inferred: false, null);
                break;
            case ChangeCode.DIVORCE:
                EmitCouple(events, LifeEventKind.DIVORCE, after, beforePartner, row, inferred: false, moved ? before!.HouseholdId : null);
                break;
            case ChangeCode.CORRECTION:
                InferFromCorrection(events, row, before, beforePartner, after, index);
                break;
            default:
                break;
        }

        if (moved)
        {
            OnHouseholdChanged(events, before!, after);
        }
    }

    /// <summary>
    /// Applies a snapshot row: the view takes the person as the snapshot has them; no event but the age events whose
    /// window is open for a resident new to the view.
    /// </summary>
    /// <returns>The person as the view now has them (registered, with the 転入 date kept when the row has none).</returns>
    public Person Apply(ResidentRow row, ICollection<LifeEvent> events)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(events);
        var index = View.IndexOf(row.Person.ResidentId);
        var before = index < 0 ? null : View.PersonAt(index);
        var after = row.Person with
        {
            Status = RegistryStatus.Registered,
            StatusDate = null,
            MovedInDate = row.Person.MovedInDate ?? before?.MovedInDate,
        };
        View.Put(after);
        Sweep?.Track(after);
        if (before is null && options.AsOf is { } asOf && Sweep is not null)
        {
            AddAll(events, Sweep.OpenFor(after, asOf));
        }

        return after;
    }

    /// <summary>Applies one difference of a snapshot: new and changed rows as <see cref="Apply(ResidentRow, ICollection{LifeEvent})"/>, a missing resident marked Left.</summary>
    /// <returns>The person a new or changed row gives, as the view now has them; null for a missing resident.</returns>
    public Person? Apply(SnapshotChange change, ICollection<LifeEvent> events)
    {
        if (change.Row is { } row)
        {
            return Apply(row, events);
        }

        MarkLeft(change.ResidentId);
        return null;
    }

    /// <summary>
    /// Marks a resident who is missing from a newer snapshot as Left (the snapshot does not say whether they
    /// died or moved, so no DEATH or MOVE_OUT event; the change rows say that). The status date is
    /// <see cref="LifeEventDetectorOptions.AsOf"/>, when given.
    /// </summary>
    public void MarkLeft(string residentId)
    {
        var person = View.GetPerson(residentId);
        if (person is { Status: RegistryStatus.Registered })
        {
            View.SetStatus(residentId, RegistryStatus.Left, options.AsOf);
        }

        Sweep?.Untrack(residentId);
    }

    /// <summary>Records a 住民税 assessment; the household decision waits for <see cref="CompleteTaxDrop"/>.</summary>
    public void Apply(TaxRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        View.Upsert(row.Record);
        taxTouched.Add((row.Record.ResidentId, row.Record.FiscalYear));
    }

    /// <summary>
    /// After a tax drop's rows are applied: TAX_NON_TAXABLE for each household of a resident in the drop, once per
    /// household and fiscal year, when every registered member is non-taxable for that year.
    /// </summary>
    public void CompleteTaxDrop(ICollection<LifeEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (taxTouched.Count == 0)
        {
            return;
        }

        var decided = new HashSet<(string HouseholdId, int FiscalYear)>();
        var touched = new List<(string ResidentId, int FiscalYear)>(taxTouched);
        touched.Sort((a, b) =>
        {
            var c = a.FiscalYear.CompareTo(b.FiscalYear);
            return c != 0 ? c : string.CompareOrdinal(a.ResidentId, b.ResidentId);
        });
        taxTouched.Clear();
        foreach (var (residentId, fiscalYear) in touched)
        {
            if (View.GetPerson(residentId) is not { Status: RegistryStatus.Registered } person
                || !decided.Add((person.HouseholdId, fiscalYear)))
            {
                continue;
            }

            var members = RegisteredMembers(person.HouseholdId);
            var allNonTaxable = members.Count > 0;
            foreach (var member in members)
            {
                var record = View.GetTax(member.ResidentId, fiscalYear);
                if (record is null ? !options.TreatMissingTaxRecordAsNonTaxable : !record.NonTaxable)
                {
                    allNonTaxable = false;
                    break;
                }
            }

            if (!allNonTaxable)
            {
                continue;
            }

            var head = HeadOf(members) ?? members[0];
            var date = options.AsOf ?? new DateOnly(fiscalYear, 4, 1);

            // The fact is the household's status for the year, whatever day it was seen on: the date is not part of the id.
            var hash = EventIds.Hash(tenant, LifeEventKind.TAX_NON_TAXABLE, EventIds.HouseholdSubject(person.HouseholdId), new DateOnly(fiscalYear, 4, 1), null);
            if (!emitted.TryAdd(hash))
            {
                continue;
            }

            events.Add(new LifeEvent
            {
                Kind = LifeEventKind.TAX_NON_TAXABLE,
                Tenant = tenant,
                EventId = EventIds.Format(LifeEventKind.TAX_NON_TAXABLE, hash),
                ResidentId = head.ResidentId,
                HouseholdId = person.HouseholdId,
                EventDate = date,
                Source = new EventSource(DatasetNames.Tax, 0),
                RelatedResidentIds = Others(members, head.ResidentId),
                Details = new Dictionary<string, string>(1, StringComparer.Ordinal)
                {
                    ["fiscalYear"] = fiscalYear.ToString(CultureInfo.InvariantCulture),
                },
            });
        }
    }

    /// <summary>Records a 妊娠届 and yields PREGNANCY; the household is the resident's in the view, or empty when the view does not know them.</summary>
    public void Apply(PregnancyRow row, ICollection<LifeEvent> events)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(events);
        var record = row.Record;
        View.Upsert(record);
        var hash = EventIds.Hash(tenant, LifeEventKind.PREGNANCY, record.ResidentId, record.NotifiedDate, record.RecordId);
        if (!emitted.TryAdd(hash))
        {
            return;
        }

        var index = View.IndexOf(record.ResidentId);
        var person = index < 0 ? null : View.PersonAt(index);
        events.Add(new LifeEvent
        {
            Kind = LifeEventKind.PREGNANCY,
            Tenant = tenant,
            EventId = EventIds.Format(LifeEventKind.PREGNANCY, hash),
            ResidentId = record.ResidentId,
            HouseholdId = person?.HouseholdId ?? string.Empty,
            EventDate = record.NotifiedDate,
            Source = new EventSource(DatasetNames.Pregnancy, row.Line, record.RecordId),
            RelatedResidentIds = person is null ? [] : OtherRegisteredMembers(index),
            Details = new Dictionary<string, string>(1, StringComparer.Ordinal)
            {
                ["expectedDeliveryDate"] = record.ExpectedDeliveryDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
        });
    }

    /// <summary>Records a 罹災証明 and yields DISASTER_CERTIFIED about the household (its head when known).</summary>
    public void Apply(DisasterRow row, ICollection<LifeEvent> events)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(events);
        var record = row.Record;
        View.Upsert(record);
        var hash = EventIds.Hash(tenant, LifeEventKind.DISASTER_CERTIFIED, EventIds.HouseholdSubject(record.HouseholdId), record.CertifiedDate, record.RecordId);
        if (!emitted.TryAdd(hash))
        {
            return;
        }

        var members = RegisteredMembers(record.HouseholdId);
        var head = HeadOf(members) ?? (members.Count > 0 ? members[0] : null);
        events.Add(new LifeEvent
        {
            Kind = LifeEventKind.DISASTER_CERTIFIED,
            Tenant = tenant,
            EventId = EventIds.Format(LifeEventKind.DISASTER_CERTIFIED, hash),
            ResidentId = head?.ResidentId ?? string.Empty,
            HouseholdId = record.HouseholdId,
            EventDate = record.CertifiedDate,
            Source = new EventSource(DatasetNames.Disaster, row.Line, record.RecordId),
            RelatedResidentIds = head is null ? [] : Others(members, head.ResidentId),
            Details = new Dictionary<string, string>(2, StringComparer.Ordinal)
            {
                ["damageLevel"] = record.DamageLevel.ToString(),
                ["disasterName"] = record.DisasterName,
            },
        });
    }

    private static Person WithStatus(ResidentChangeRow row, Person? before)
    {
        var person = row.Person;

        // Most rows (転居, 修正 of a registered resident) leave the standing as the row has it: no copy.
        if (row.ChangeCode is not (ChangeCode.DEATH or ChangeCode.MOVE_OUT or ChangeCode.MOVE_OUT_ABROAD or ChangeCode.MOVE_IN or ChangeCode.MOVE_IN_ABROAD)
            && person.Status == (before?.Status ?? RegistryStatus.Registered)
            && person.StatusDate == before?.StatusDate
            && (person.MovedInDate is not null || before?.MovedInDate is null))
        {
            return person;
        }

        return row.ChangeCode switch
        {
            ChangeCode.DEATH => person with { Status = RegistryStatus.Deceased, StatusDate = row.ChangeDate, MovedInDate = person.MovedInDate ?? before?.MovedInDate },
            ChangeCode.MOVE_OUT or ChangeCode.MOVE_OUT_ABROAD => person with { Status = RegistryStatus.Left, StatusDate = row.ChangeDate, MovedInDate = person.MovedInDate ?? before?.MovedInDate },
            ChangeCode.MOVE_IN or ChangeCode.MOVE_IN_ABROAD => person with { Status = RegistryStatus.Registered, StatusDate = null, MovedInDate = row.ChangeDate },
            ChangeCode.BIRTH => person with { Status = RegistryStatus.Registered, StatusDate = null },

            // 修正: the row changes the record, not the person's standing in the registry.
            _ => before is null
                ? person with { Status = RegistryStatus.Registered, StatusDate = null }
                : person with { Status = before.Status, StatusDate = before.StatusDate, MovedInDate = person.MovedInDate ?? before.MovedInDate },
        };
    }

    /// <summary>One event for the row's fact; the related residents and details are worked out only when it is new.</summary>
    private void Emit(ICollection<LifeEvent> events, LifeEventKind kind, Person person, int index, ResidentChangeRow row, Related related, string? previousHouseholdId = null, bool wasHead = false)
    {
        var hash = EventIds.Hash(tenant, kind, person.ResidentId, row.ChangeDate, row.RecordId);
        if (!emitted.TryAdd(hash))
        {
            return;
        }

        events.Add(ChangeEvent(kind, hash, person, row, related == Related.Parents ? Parents(index) : OtherRegisteredMembers(index), Details(previousHouseholdId, wasHead)));
    }

    /// <summary>The event a resident-changes row shows about the person.</summary>
    private LifeEvent ChangeEvent(LifeEventKind kind, UInt128 hash, Person person, ResidentChangeRow row, List<string> related, IReadOnlyDictionary<string, string> details, bool inferred = false) => new()
    {
        Kind = kind,
        Tenant = tenant,
        EventId = EventIds.Format(kind, hash),
        ResidentId = person.ResidentId,
        HouseholdId = person.HouseholdId,
        EventDate = row.ChangeDate,
        Inferred = inferred,
        Source = SourceOf(row),
        RelatedResidentIds = related,
        Details = details,
    };

    private static EventSource SourceOf(ResidentChangeRow row) => new(DatasetNames.ResidentChanges, row.Line, row.RecordId);

    private static IReadOnlyDictionary<string, string> Details(string? previousHouseholdId, bool wasHead)
    {
        if (previousHouseholdId is null && !wasHead)
        {
            return EmptyDetails;
        }

        var details = new Dictionary<string, string>(2, StringComparer.Ordinal);
        if (previousHouseholdId is not null)
        {
            details["previousHouseholdId"] = previousHouseholdId;
        }

        if (wasHead)
        {
            details["wasHead"] = "true";
        }

        return details;
    }

    private static void AddAll(ICollection<LifeEvent> events, IReadOnlyList<LifeEvent> more)
    {
        foreach (var e in more)
        {
            events.Add(e);
        }
    }

    /// <summary>The newborn's parents as the household shows them: its registered head and the head's spouse.</summary>
    private List<string> Parents(int child)
    {
        var parents = new List<string>(2);
        for (var m = View.FirstMember(View.HouseholdOf(child)); m >= 0; m = View.NextMember(m))
        {
            if (m != child && View.StatusOf(m) == RegistryStatus.Registered
                && View.RelationshipOf(m) is Relationships.Head or Relationships.Wife or Relationships.Husband or "妻(未届)" or "夫(未届)")
            {
                parents.Add(View.ResidentIdOf(m));
            }
        }

        return parents;
    }

    /// <summary>The 宛名番号 of the registered members of the person's household but them.</summary>
    private List<string> OtherRegisteredMembers(int index)
    {
        var household = View.HouseholdOf(index);
        var others = new List<string>(View.MemberCount(household));
        for (var m = View.FirstMember(household); m >= 0; m = View.NextMember(m))
        {
            if (m != index && View.StatusOf(m) == RegistryStatus.Registered)
            {
                others.Add(View.ResidentIdOf(m));
            }
        }

        return others;
    }

    private List<Person> RegisteredMembers(string householdId)
    {
        var members = new List<Person>();
        for (var m = View.FirstMember(View.HouseholdIndexOf(householdId)); m >= 0; m = View.NextMember(m))
        {
            if (View.StatusOf(m) == RegistryStatus.Registered)
            {
                members.Add(View.PersonAt(m));
            }
        }

        return members;
    }

    private static Person? HeadOf(List<Person> members)
    {
        foreach (var member in members)
        {
            if (member.IsHead)
            {
                return member;
            }
        }

        return null;
    }

    private static List<string> Others(List<Person> members, string residentId)
    {
        var others = new List<string>(members.Count);
        foreach (var member in members)
        {
            if (member.ResidentId != residentId)
            {
                others.Add(member.ResidentId);
            }
        }

        return others;
    }

    private static class DatasetNames
    {
        public static readonly string ResidentChanges = Dataset.ResidentChanges.Name();
        public static readonly string Tax = Dataset.Tax.Name();
        public static readonly string Pregnancy = Dataset.Pregnancy.Name();
        public static readonly string Disaster = Dataset.Disaster.Name();
    }

    private enum Related
    {
        OtherMembers,
        Parents,
    }

}
