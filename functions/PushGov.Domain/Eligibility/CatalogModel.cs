using System.Globalization;
using PushGov.Domain.Detection;

namespace PushGov.Domain.Eligibility;

/// <summary>
/// One service of the catalog: what it is called, what triggers it, how to apply, and its rule versions
/// (the one in force on the event date applies).
/// </summary>
public sealed record ServiceDefinition
{
    public required string Id { get; init; }

    /// <summary>Names by language tag (ja, ja-x-easy, en at least).</summary>
    public required IReadOnlyDictionary<string, string> Names { get; init; }

    public required IReadOnlyList<LifeEventKind> Triggers { get; init; }

    public string? Department { get; init; }

    public string? PortalUrl { get; init; }

    public string? Counter { get; init; }

    /// <summary>True when the resident must claim or report; false when it happens automatically.</summary>
    public bool NeedsClaim { get; init; }

    /// <summary>True when the rule reads 住民税 data, which needs the people's purpose consent.</summary>
    public bool UsesTaxData { get; init; }

    /// <summary>True when a member of staff must handle it.</summary>
    public bool NeedsPerson { get; init; }

    /// <summary>What to do when a condition cannot be evaluated (no consent, no record, inexact dates).</summary>
    public UnknownPolicy WhenUnknown { get; init; } = UnknownPolicy.Tell;

    public string? Note { get; init; }

    /// <summary>
    /// The fields of the prefilled application (<see cref="Applications.ApplicationFields"/>) when the service allows
    /// one-step application (申請不要: the resident confirms an application PushGov fills from the resident view); null
    /// when it does not, and then it never offers one.
    /// </summary>
    public IReadOnlyList<string>? OneStepFields { get; init; }

    /// <summary>Rule versions, ordered by <see cref="ServiceVersion.ValidFrom"/>; they do not overlap.</summary>
    public required IReadOnlyList<ServiceVersion> Versions { get; init; }

    /// <summary>The names in force on <paramref name="day"/>: the version's own when a law renamed the grant, else the service's.</summary>
    public IReadOnlyDictionary<string, string> NamesOn(DateOnly day) => VersionOn(day)?.Names ?? Names;

    /// <summary>The version in force on <paramref name="day"/>, or null.</summary>
    public ServiceVersion? VersionOn(DateOnly day)
    {
        for (var i = Versions.Count - 1; i >= 0; i--)
        {
            var v = Versions[i];
            if (v.ValidFrom <= day)
            {
                return v.ValidTo is null || day <= v.ValidTo ? v : null;
            }
        }

        return null;
    }
}

/// <summary>A rule version, in force from <see cref="ValidFrom"/> to <see cref="ValidTo"/> (inclusive, open when null).</summary>
public sealed record ServiceVersion
{
    public required DateOnly ValidFrom { get; init; }

    public DateOnly? ValidTo { get; init; }

    /// <summary>Names for this version when they differ from the service's (a grant renamed by law).</summary>
    public IReadOnlyDictionary<string, string>? Names { get; init; }

    public Condition? Conditions { get; init; }

    /// <summary>What the version gives: one part for most services; several when parts differ in recipients, deadline or amount.</summary>
    public required IReadOnlyList<ServicePart> Parts { get; init; }

    public string? Note { get; init; }

    public string Version => ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>One part of a service (e.g. 基礎支援金 and 加算支援金), each with its own recipients, deadline and amount.</summary>
public sealed record ServicePart
{
    /// <summary>Null for a service with a single part.</summary>
    public string? Id { get; init; }

    public Condition? Conditions { get; init; }

    public required RecipientRule Recipients { get; init; }

    public DeadlineRule Deadline { get; init; } = DeadlineRule.None;

    public AmountRule? Amount { get; init; }

    /// <summary>Overrides the service's <see cref="ServiceDefinition.NeedsClaim"/> for this part.</summary>
    public bool? NeedsClaim { get; init; }

    public string? Note { get; init; }
}

/// <summary>Roles recipients are drawn from, in the order written.</summary>
public enum RecipientRole
{
    /// <summary>The person of the event.</summary>
    Subject,

    /// <summary>The head of household (世帯主).</summary>
    Head,

    /// <summary>The head's spouse.</summary>
    HeadSpouse,

    /// <summary>The subject's spouse.</summary>
    SubjectSpouse,

    /// <summary>Adult head and head's spouse.</summary>
    Guardians,

    /// <summary>Every registered member 18 or over.</summary>
    Adults,

    /// <summary>The event's related residents.</summary>
    Related,
}

/// <summary>
/// Each <see cref="RecipientRole"/> as the catalog writes it: the names the loader reads, its error messages list and the
/// match reasons show.
/// </summary>
internal static class RecipientRoles
{
    private static readonly (RecipientRole Role, string Name)[] Names =
    [
        (RecipientRole.Subject, "subject"),
        (RecipientRole.Head, "head"),
        (RecipientRole.HeadSpouse, "headSpouse"),
        (RecipientRole.SubjectSpouse, "subjectSpouse"),
        (RecipientRole.Guardians, "guardians"),
        (RecipientRole.Adults, "adults"),
        (RecipientRole.Related, "related"),
    ];

    /// <summary>"subject, head, …, related": for error messages.</summary>
    public static string Listed { get; } = string.Join(", ", Names.Select(n => n.Name));

    public static string Name(RecipientRole role) => Array.Find(Names, n => n.Role == role).Name;

    public static bool TryParse(string name, out RecipientRole role)
    {
        var i = Array.FindIndex(Names, n => n.Name == name);
        role = i < 0 ? default : Names[i].Role;
        return i >= 0;
    }
}

/// <summary>
/// Who receives the message. The dead never do; a newborn never does; a minor does only when
/// <see cref="AllowMinors"/>; a member who has left does only when they are the subject of the event.
/// </summary>
public sealed record RecipientRule
{
    public required IReadOnlyList<RecipientRole> From { get; init; }

    /// <summary>True: the first person found (in role order); false: everyone found.</summary>
    public bool First { get; init; }

    public bool AllowMinors { get; init; }

    /// <summary>A condition each candidate must meet (<c>who: candidate</c>).</summary>
    public Condition? Where { get; init; }
}

public enum DeadlineKind
{
    None,
    Days,
    Months,
    Years,

    /// <summary>The first given month-day on or after the event date (<c>next 11-30</c>; <c>fiscal-year-end</c> = next 03-31).</summary>
    NextMonthDay,

    /// <summary>
    /// The last given month-day before the event date (<c>last 11-30</c>): for an event dated when something starts,
    /// such as SCHOOL_ENTRY on the 1 April of entry, whose preparation is due the November before.
    /// </summary>
    LastMonthDay,

    /// <summary>A fixed date set by the tenant.</summary>
    Fixed,
}

/// <summary>When the resident must act by: <c>none</c>, <c>+15d</c>, <c>+13mo</c>, <c>+2y</c>, <c>fiscal-year-end</c>, <c>next 11-30</c>, <c>last 11-30</c>, or a date.</summary>
public sealed record DeadlineRule(DeadlineKind Kind, int Count = 0, int Month = 0, int Day = 0, DateOnly? Date = null, string Text = "none")
{
    public static readonly DeadlineRule None = new(DeadlineKind.None);

    public DateOnly? For(DateOnly eventDate)
    {
        switch (Kind)
        {
            case DeadlineKind.Days:
                return eventDate.AddDays(Count);
            case DeadlineKind.Months:
                return eventDate.AddMonths(Count);
            case DeadlineKind.Years:
                return eventDate.AddYears(Count);
            case DeadlineKind.NextMonthDay:
                var candidate = new DateOnly(eventDate.Year, Month, Math.Min(Day, DateTime.DaysInMonth(eventDate.Year, Month)));
                var next = candidate >= eventDate ? candidate : new DateOnly(eventDate.Year + 1, Month, Math.Min(Day, DateTime.DaysInMonth(eventDate.Year + 1, Month)));
                return next.AddYears(Count);
            case DeadlineKind.LastMonthDay:
                var thisYear = new DateOnly(eventDate.Year, Month, Math.Min(Day, DateTime.DaysInMonth(eventDate.Year, Month)));
                return thisYear < eventDate ? thisYear : new DateOnly(eventDate.Year - 1, Month, Math.Min(Day, DateTime.DaysInMonth(eventDate.Year - 1, Month)));
            case DeadlineKind.Fixed:
                return Date;
            default:
                return null;
        }
    }

    public static bool TryParse(string text, out DeadlineRule rule)
    {
        rule = None;
        var t = text.Trim();
        if (t is "none" or "")
        {
            return true;
        }

        if (t == "fiscal-year-end")
        {
            rule = new DeadlineRule(DeadlineKind.NextMonthDay, 0, 3, 31, Text: t);
            return true;
        }

        if (t == "next-fiscal-year-end")
        {
            rule = new DeadlineRule(DeadlineKind.NextMonthDay, 1, 3, 31, Text: t);
            return true;
        }

        if (t.StartsWith("next ", StringComparison.Ordinal)
            && DateOnly.TryParseExact("2000-" + t[5..].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var md))
        {
            rule = new DeadlineRule(DeadlineKind.NextMonthDay, 0, md.Month, md.Day, Text: t);
            return true;
        }

        if (t.StartsWith("last ", StringComparison.Ordinal)
            && DateOnly.TryParseExact("2000-" + t[5..].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last))
        {
            rule = new DeadlineRule(DeadlineKind.LastMonthDay, 0, last.Month, last.Day, Text: t);
            return true;
        }

        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fixedDate))
        {
            rule = new DeadlineRule(DeadlineKind.Fixed, Date: fixedDate, Text: t);
            return true;
        }

        if (t.StartsWith('+'))
        {
            var (kind, unit) = t.EndsWith("mo", StringComparison.Ordinal) ? (DeadlineKind.Months, 2)
                : t.EndsWith('d') ? (DeadlineKind.Days, 1)
                : t.EndsWith('y') ? (DeadlineKind.Years, 1)
                : (DeadlineKind.None, 0);
            if (kind != DeadlineKind.None
                && int.TryParse(t.AsSpan(1, t.Length - 1 - unit), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n is > 0 and <= 3650)
            {
                rule = new DeadlineRule(kind, n, Text: t);
                return true;
            }
        }

        return false;
    }
}

/// <summary>How often an amount is paid.</summary>
public enum AmountPeriod
{
    Once,
    Month,
}

/// <summary>
/// The amount to mention: the first tier whose condition holds gives the yen (plus per-child additions), then
/// adjustments multiply it (e.g. three quarters for a one-person household). With <see cref="PerChild"/>, the
/// tiers are applied to each child and summed.
/// </summary>
public sealed record AmountRule
{
    public AmountPeriod Period { get; init; } = AmountPeriod.Once;

    /// <summary>True when the figure is a maximum ("up to").</summary>
    public bool UpTo { get; init; }

    public required IReadOnlyList<AmountTier> Tiers { get; init; }

    /// <summary>When set, the tiers are evaluated per child (<c>who: child</c>) and summed.</summary>
    public PerChildScope? PerChild { get; init; }

    /// <summary>The children a per-child amount sums over are those up to the 31 March after this age.</summary>
    public int ChildrenUpToAge { get; init; } = 18;

    public IReadOnlyList<AmountAdjustment> Adjust { get; init; } = [];
}

/// <summary>Which children a per-child amount sums over.</summary>
public enum PerChildScope
{
    /// <summary>The subject when the subject is a child of the household (a birth), else every child.</summary>
    SubjectOrHousehold,

    /// <summary>Every child of the household.</summary>
    Household,
}

/// <summary>One amount tier. A null <see cref="Yen"/> means "no amount to mention".</summary>
public sealed record AmountTier(Condition? When, long? Yen, long PerChild = 0, long PerAdditionalChild = 0);

/// <summary>Multiplies the amount by <see cref="Factor"/> (rounded down to the yen) when the condition holds.</summary>
public sealed record AmountAdjustment(Condition When, decimal Factor);
