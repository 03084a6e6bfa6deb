using System.Globalization;
using System.Runtime.CompilerServices;
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
    private readonly bool synthesizedNewborn;

    public EvaluationContext(LifeEvent lifeEvent, HouseholdSnapshot snapshot)
    {
        Event = lifeEvent;
        Snapshot = snapshot;
        Date = lifeEvent.EventDate;
        Subject = Find(lifeEvent.ResidentId);
        if (Subject is null && lifeEvent.Kind == LifeEventKind.BIRTH)
        {
            // A snapshot read before the birth was applied: the newborn is a child born on the event date.
            Subject = new Person
            {
                ResidentId = lifeEvent.ResidentId,
                HouseholdId = lifeEvent.HouseholdId,
                FamilyName = "",
                GivenName = "",
                BirthDate = RegistryDate.Of(lifeEvent.EventDate),
                Relationship = Relationships.Child,
            };
            synthesizedNewborn = true;
        }
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

    /// <summary>True when reason steps are being written (format detail text only then).</summary>
    public bool Tracing => Trace is not null;

    public void Step(string condition, Truth truth, string detail)
    {
        if (Trace is null)
        {
            return;
        }

        Trace.Add(new ReasonStep(condition, truth == Truth.True, truth == Truth.Unknown ? "unknown: " + detail : detail));
    }

    /// <summary>Writes a step whose detail is an interpolated string, formatted only when tracing.</summary>
    public void Step(string condition, Truth truth, [InterpolatedStringHandlerArgument("")] ref TraceText detail)
    {
        if (Trace is null)
        {
            return;
        }

        Step(condition, truth, detail.ToStringAndClear());
    }

    public Person? Find(string residentId)
    {
        var members = Snapshot.Members;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i].ResidentId == residentId)
            {
                return members[i];
            }
        }

        return null;
    }

    /// <summary>Living members still registered in the household (住民票のある世帯員), in snapshot order.</summary>
    public Person[] Registered => registered ??= ComputeRegistered();

    /// <summary>
    /// Registered members as of the event: the subject of a DEATH counts as gone even in a snapshot read before
    /// the death was applied, and a newborn missing from the snapshot counts as present.
    /// </summary>
    private Person[] ComputeRegistered()
    {
        var members = Snapshot.Members;
        var n = synthesizedNewborn ? 1 : 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (IsRegistered(members[i]))
            {
                n++;
            }
        }

        if (n == members.Count && members is Person[] already)
        {
            return already;
        }

        var result = new Person[n];
        n = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (IsRegistered(members[i]))
            {
                result[n++] = members[i];
            }
        }

        if (synthesizedNewborn)
        {
            result[n] = Subject!;
        }

        return result;
    }

    private bool IsRegistered(Person p) =>
        p.Status == RegistryStatus.Registered && !(Event.Kind == LifeEventKind.DEATH && p.ResidentId == Event.ResidentId);

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
        List<Person>? list = null;
        foreach (var m in Registered)
        {
            if (m.IsHead || Relationships.IsSpouse(m.Relationship) || m.BirthDate.Exact is not { } birth)
            {
                continue;
            }

            if (birth <= Date && Date <= EligibilityAge.MarchEndAfter(birth, upToAge))
            {
                (list ??= new List<Person>(4)).Add(m);
            }
        }

        if (list is null)
        {
            return [];
        }

        list.Sort(static (a, b) =>
        {
            var c = a.BirthDate.Exact!.Value.CompareTo(b.BirthDate.Exact!.Value);
            return c != 0 ? c : string.CompareOrdinal(a.ResidentId, b.ResidentId);
        });
        return [.. list];
    }

    /// <summary>Registered members whose exact birth date is unknown (they cannot be counted as children or adults).</summary>
    public int UndatedMembers
    {
        get
        {
            var n = 0;
            foreach (var m in Registered)
            {
                if (m.BirthDate.Exact is null)
                {
                    n++;
                }
            }

            return n;
        }
    }

    public Person? Head
    {
        get
        {
            foreach (var m in Registered)
            {
                if (m.IsHead)
                {
                    return m;
                }
            }

            return null;
        }
    }

    /// <summary>The head's spouse (妻, 夫, …) living in the household.</summary>
    public Person? HeadSpouse
    {
        get
        {
            foreach (var m in Registered)
            {
                if (Relationships.IsSpouse(m.Relationship))
                {
                    return m;
                }
            }

            return null;
        }
    }

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
            for (var idIndex = 0; idIndex < Event.RelatedResidentIds.Count; idIndex++)
            {
                var id = Event.RelatedResidentIds[idIndex];
                var p = Find(id);
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
    public bool IsGuardian(Person m) => (m.IsHead || Relationships.IsSpouse(m.Relationship)) && AgeOf(m) is null or >= 18;

    public int GuardianCount()
    {
        var n = 0;
        foreach (var m in Registered)
        {
            if (IsGuardian(m))
            {
                n++;
            }
        }

        return n;
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
                for (var tIndex = 0; tIndex < Snapshot.Tax.Count; tIndex++)
                {
                    var t = Snapshot.Tax[tIndex];
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
        for (var tIndex = 0; tIndex < Snapshot.Tax.Count; tIndex++)
        {
            var t = Snapshot.Tax[tIndex];
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
        for (var dIndex = 0; dIndex < Snapshot.Disasters.Count; dIndex++)
        {
            var d = Snapshot.Disasters[dIndex];
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

/// <summary>An interpolated reason detail that is formatted only when the context is tracing.</summary>
[InterpolatedStringHandler]
internal ref struct TraceText
{
    private DefaultInterpolatedStringHandler inner;
    private readonly bool enabled;

    public TraceText(int literalLength, int formattedCount, EvaluationContext ctx, out bool shouldAppend)
    {
        enabled = shouldAppend = ctx.Tracing;
        inner = enabled ? new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture) : default;
    }

    public void AppendLiteral(string value) => inner.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => inner.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => inner.AppendFormatted(value, format);

    public void AppendFormatted(string? value) => inner.AppendFormatted(value);

    public string ToStringAndClear() => enabled ? inner.ToStringAndClear() : "";
}
