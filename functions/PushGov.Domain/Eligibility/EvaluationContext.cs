using System.Globalization;
using PushGov.Domain.Detection;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Eligibility;

/// <summary>
/// What one <see cref="ServiceMatcher.Match"/> call knows: the event, the snapshot and facts derived from them
/// lazily and once (registered members, children, spouse). Not thread-safe; one per call.
/// </summary>
internal sealed class EvaluationContext
{
    private Person[]? registered;
    private Person[]? children18;
    private Person[]? childrenOther;
    private int childrenOtherAge = -1;
    private bool spouseResolved;
    private Person? spouse;

    public EvaluationContext(LifeEvent lifeEvent, HouseholdSnapshot snapshot)
    {
        Event = lifeEvent;
        Snapshot = snapshot;
        Date = lifeEvent.EventDate;
        Subject = snapshot.Find(lifeEvent.ResidentId);
    }

    public LifeEvent Event { get; }

    public HouseholdSnapshot Snapshot { get; }

    public DateOnly Date { get; }

    public Person? Subject { get; }

    /// <summary>The person a recipient rule or an amount is being evaluated for.</summary>
    public Person? Candidate { get; set; }

    /// <summary>The child a per-child amount is being evaluated for.</summary>
    public Person? Child { get; set; }

    /// <summary>Where condition steps are written, or null when only the outcome matters.</summary>
    public List<ReasonStep>? Trace { get; set; }

    public void Step(string condition, Truth truth, string detail)
    {
        if (Trace is null)
        {
            return;
        }

        Trace.Add(new ReasonStep(condition, truth == Truth.True, truth == Truth.Unknown ? "unknown: " + detail : detail));
    }

    /// <summary>Living members still registered in the household (住民票のある世帯員), in snapshot order.</summary>
    public Person[] Registered => registered ??= [.. Snapshot.Members.Where(m => m.Status == RegistryStatus.Registered)];

    public int? AgeOf(Person person)
    {
        var birth = person.BirthDate.Exact;
        return birth is { } b ? EligibilityAge.AgeOn(b, Date) : null;
    }

    /// <summary>
    /// Children of the household on the event date: registered members other than the head and spouses whose
    /// exact birth date puts the event date on or before the 31 March after they attain <paramref name="upToAge"/>,
    /// oldest first (ties by resident id), so the index is the child's ordinal minus one.
    /// </summary>
    public Person[] Children(int upToAge)
    {
        if (upToAge == 18)
        {
            return children18 ??= ComputeChildren(18);
        }

        if (childrenOtherAge != upToAge)
        {
            childrenOther = ComputeChildren(upToAge);
            childrenOtherAge = upToAge;
        }

        return childrenOther!;
    }

    private Person[] ComputeChildren(int upToAge)
    {
        var list = new List<Person>();
        foreach (var m in Registered)
        {
            if (m.IsHead || Relationships.IsSpouse(m.Relationship) || m.BirthDate.Exact is not { } birth)
            {
                continue;
            }

            if (birth <= Date && Date <= EligibilityAge.MarchEndAfter(birth, upToAge))
            {
                list.Add(m);
            }
        }

        list.Sort(static (a, b) =>
        {
            var c = a.BirthDate.Exact!.Value.CompareTo(b.BirthDate.Exact!.Value);
            return c != 0 ? c : string.CompareOrdinal(a.ResidentId, b.ResidentId);
        });
        return [.. list];
    }

    /// <summary>Registered members whose exact birth date is unknown (they cannot be counted as children or adults).</summary>
    public int UndatedMembers => Registered.Count(m => m.BirthDate.Exact is null);

    public Person? Head => Registered.FirstOrDefault(m => m.IsHead);

    /// <summary>The head's spouse (妻, 夫, …) living in the household.</summary>
    public Person? HeadSpouse => Registered.FirstOrDefault(m => Relationships.IsSpouse(m.Relationship));

    /// <summary>
    /// The subject's spouse: the first related resident of the event found in the snapshot (a MARRIAGE names the
    /// new spouse), else the head's spouse when the subject is the head, else the head when the subject is a spouse.
    /// </summary>
    public Person? SubjectSpouse
    {
        get
        {
            if (spouseResolved)
            {
                return spouse;
            }

            spouseResolved = true;
            foreach (var id in Event.RelatedResidentIds)
            {
                var p = Snapshot.Find(id);
                if (p is not null && p.Status != RegistryStatus.Deceased)
                {
                    return spouse = p;
                }
            }

            if (Subject is null)
            {
                return null;
            }

            if (Subject.IsHead)
            {
                spouse = HeadSpouse;
            }
            else if (Relationships.IsSpouse(Subject.Relationship))
            {
                spouse = Head;
            }

            return spouse;
        }
    }

    /// <summary>Guardians: the registered head and head's spouse who are adults (18 or over) or of unknown age.</summary>
    public IEnumerable<Person> Guardians()
    {
        foreach (var m in Registered)
        {
            if ((m.IsHead || Relationships.IsSpouse(m.Relationship)) && AgeOf(m) is null or >= 18)
            {
                yield return m;
            }
        }
    }

    /// <summary>The people a condition's <see cref="Who"/> names (null entries for people missing from the snapshot).</summary>
    public IReadOnlyList<Person?> People(Who who) => who switch
    {
        Who.Subject => new[] { Subject },
        Who.Spouse => new[] { SubjectSpouse },
        Who.Couple => new[] { Subject, SubjectSpouse },
        Who.Candidate => new[] { Candidate },
        Who.Child => new[] { Child },
        Who.Head => new[] { Head },
        _ => Registered,
    };

    /// <summary>The fiscal year (年度) the tax facts are read for.</summary>
    public int? FiscalYear(FiscalYearRule rule)
    {
        var eventYear = EligibilityAge.FiscalYearOf(Date);
        switch (rule)
        {
            case FiscalYearRule.Event:
                return eventYear;
            case FiscalYearRule.Previous:
                return eventYear - 1;
            default:
                int? best = null;
                foreach (var t in Snapshot.Tax)
                {
                    if (t.FiscalYear <= eventYear && (best is null || t.FiscalYear > best))
                    {
                        best = t.FiscalYear;
                    }
                }

                return best;
        }
    }

    public TaxRecord? TaxOf(string residentId, int fiscalYear)
    {
        foreach (var t in Snapshot.Tax)
        {
            if (t.FiscalYear == fiscalYear && t.ResidentId == residentId)
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>The certificate the event is about: the one named by the event's record id, else the latest certified on or before the event date.</summary>
    public DisasterCertificate? Certificate()
    {
        DisasterCertificate? best = null;
        foreach (var d in Snapshot.Disasters)
        {
            if (Event.Source.RecordId is { } rid && d.RecordId == rid)
            {
                return d;
            }

            if (d.CertifiedDate <= Date && (best is null || d.CertifiedDate > best.CertifiedDate || (d.CertifiedDate == best.CertifiedDate && d.DamageLevel < best.DamageLevel)))
            {
                best = d;
            }
        }

        return best;
    }

    public static string Yen(long yen) => "¥" + yen.ToString("N0", CultureInfo.InvariantCulture);

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
