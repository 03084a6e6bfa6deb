using System.Globalization;
using PushGov.Domain.Ages;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Applications;

/// <summary>The fields a catalog service's one-step application (申請不要) can have (<c>oneStep: {fields: […]}</c>).</summary>
public static class ApplicationFields
{
    /// <summary>Who applies: the resident the link was given to (always part of an application).</summary>
    public const string Applicant = "applicant";

    /// <summary>The children of the applicant's household up to the 31 March after they attain 18 (児童手当法 3条).</summary>
    public const string Children = "children";

    /// <summary>The applicant's household: 世帯番号, its head and how many are registered in it.</summary>
    public const string Household = "household";

    /// <summary>
    /// Whether the applicant has registered a 公金受取口座 (public-funds receiving account), never the account itself.
    /// The drops' contract (shared/spec/data-drops.md) has no field for it, so PushGov cannot know:
    /// it writes <see cref="Unknown"/> and the page asks the resident to confirm the account at the counter.
    /// </summary>
    public const string PublicFundsAccount = "publicFundsAccount";

    /// <summary>The value of <see cref="PublicFundsAccount"/> while no drop carries the registration.</summary>
    public const string Unknown = "unknown";

    public static readonly IReadOnlySet<string> All = new SortedSet<string>(StringComparer.Ordinal) { Applicant, Children, Household, PublicFundsAccount };
}

/// <summary>A person as an application names them: 宛名番号, name (kanji and kana), date of birth as the registry has it, 続柄.</summary>
public sealed record ApplicationPerson(
    string ResidentId,
    string FamilyName,
    string GivenName,
    string? FamilyNameKana,
    string? GivenNameKana,
    string BirthDate,
    string Relationship)
{
    public static ApplicationPerson Of(Person p) =>
        new(p.ResidentId, p.FamilyName, p.GivenName, p.FamilyNameKana, p.GivenNameKana, p.BirthDate.ToString(), p.Relationship);
}

/// <summary>The applicant's household: its 世帯番号, its head (null when the registry names none) and how many are registered in it.</summary>
public sealed record ApplicationHousehold(string HouseholdId, ApplicationPerson? Head, int Members);

/// <summary>
/// An application filled from the resident view for a service whose catalog entry allows one-step application: only the
/// fields the catalog lists are set (<see cref="Fields"/>), the others are null. No address, no contact details, no
/// account number.
/// </summary>
public sealed record PrefilledApplication(
    string ServiceId,
    IReadOnlyList<string> Fields,
    ApplicationPerson Applicant,
    IReadOnlyList<ApplicationPerson>? Children,
    ApplicationHousehold? Household,
    string? PublicFundsAccount)
{
    /// <summary>
    /// The application <paramref name="service"/> offers <paramref name="residentId"/> on <paramref name="today"/>
    /// (Asia/Tokyo), filled from their household as the resident view holds it; null when the service does not allow
    /// one-step application or the resident is not a registered member of <paramref name="household"/>.
    /// </summary>
    public static PrefilledApplication? For(ServiceDefinition? service, string residentId, IReadOnlyList<Person> household, DateOnly today)
    {
        if (service?.OneStepFields is not { } fields
            || household.FirstOrDefault(p => p.ResidentId == residentId && p.Status == RegistryStatus.Registered) is not { } applicant)
        {
            return null;
        }

        var registered = household.Where(p => p.Status == RegistryStatus.Registered).ToList();
        var children = registered
            .Where(p => Relationships.IsChild(p.Relationship) && p.BirthDate.Exact is { } birth && birth <= today && today <= LegalAge.EndOfFiscalYearAfterAge(birth, 18))
            .OrderBy(p => p.BirthDate.Exact)
            .ThenBy(p => p.ResidentId, StringComparer.Ordinal)
            .Select(ApplicationPerson.Of)
            .ToList();
        var head = registered.FirstOrDefault(p => p.IsHead);
        return new PrefilledApplication(
            service.Id,
            fields,
            ApplicationPerson.Of(applicant),
            fields.Contains(ApplicationFields.Children) ? children : null,
            fields.Contains(ApplicationFields.Household) ? new ApplicationHousehold(applicant.HouseholdId, head is null ? null : ApplicationPerson.Of(head), registered.Count) : null,
            fields.Contains(ApplicationFields.PublicFundsAccount) ? ApplicationFields.Unknown : null);
    }

    /// <summary>The children's names for one cell or line: 「山田 太郎（2026-11-02）、…」.</summary>
    public string ChildrenText() =>
        string.Join("、", (Children ?? []).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.FamilyName} {c.GivenName}（{c.BirthDate}）")));
}
