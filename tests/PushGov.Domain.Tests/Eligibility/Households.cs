using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Eligibility;

/// <summary>Builders for households, events and the default matcher used by the eligibility tests.</summary>
internal static class Households
{
    public static readonly ServiceMatcher Default = CatalogLoader.LoadDefault().Compile();

    public static DateOnly D(int y, int m, int d) => new(y, m, d);

    public static Person P(string id, string relationship, DateOnly birth, RegistryStatus status = RegistryStatus.Registered, string? nationality = null, DateOnly? movedIn = null) => new()
    {
        ResidentId = id,
        HouseholdId = "H1",
        FamilyName = "山田",
        GivenName = "太郎",
        BirthDate = RegistryDate.Of(birth),
        Relationship = relationship,
        Status = status,
        Nationality = nationality,
        MovedInDate = movedIn,
    };

    public static HouseholdSnapshot Snap(params Person[] members) => new() { HouseholdId = "H1", Members = members };

    public static HouseholdSnapshot WithTax(this HouseholdSnapshot s, int fiscalYear, bool consent, params (string Id, long Income, bool NonTaxable)[] records) => s with
    {
        Tax = [.. records.Select(r => new TaxRecord(r.Id, fiscalYear, r.Income, r.NonTaxable))],
        TaxDataConsent = consent ? records.Select(r => r.Id).ToHashSet() : new HashSet<string>(),
    };

    public static HouseholdSnapshot WithDisaster(this HouseholdSnapshot s, DamageLevel level, DateOnly certified) => s with
    {
        Disasters = [new DisasterCertificate("R1", "H1", "令和8年豪雨", level, certified)],
    };

    public static LifeEvent Ev(LifeEventKind kind, string subject, DateOnly date, params string[] related) => new()
    {
        Kind = kind,
        Tenant = "401307",
        EventId = $"{kind}-{subject}-{date:yyyyMMdd}",
        ResidentId = subject,
        HouseholdId = "H1",
        EventDate = date,
        Source = new EventSource("resident-changes", 2, "R1"),
        RelatedResidentIds = related,
    };

    public static IReadOnlyList<ServiceMatch> Match(LifeEvent e, HouseholdSnapshot s) => Default.Match(e, s);

    public static ServiceMatch? Find(this IReadOnlyList<ServiceMatch> matches, string serviceId, string? part = null) =>
        matches.SingleOrDefault(m => m.ServiceId == serviceId && m.Part == part);

    public static ServiceMatch Get(this IReadOnlyList<ServiceMatch> matches, string serviceId, string? part = null) =>
        matches.Find(serviceId, part) ?? throw new Xunit.Sdk.XunitException($"no match for {serviceId}/{part}; got {string.Join(", ", matches.Select(m => m.ServiceId + "/" + m.Part))}");

    /// <summary>A married couple (head father born 1990, wife born 1992) with the given children.</summary>
    public static HouseholdSnapshot Family(params Person[] children) =>
        Snap([P("F", Relationships.Head, D(1990, 5, 10)), P("M", Relationships.Wife, D(1992, 8, 20)), .. children]);
}
