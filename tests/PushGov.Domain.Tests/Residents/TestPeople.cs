using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Residents;

/// <summary>Builds persons for tests; names and addresses are made up.</summary>
internal static class TestPeople
{
    public static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static Person Make(
        string id,
        string household,
        string relationship = Relationships.Head,
        string birth = "1980-05-10",
        string address = "横浜市中区本町1-1",
        string familyName = "山田",
        Sex sex = Sex.NotStated) => new()
        {
            ResidentId = id,
            HouseholdId = household,
            FamilyName = familyName,
            GivenName = "太郎",
            BirthDate = RegistryDate.Of(D(birth)),
            Relationship = relationship,
            Address = address,
            Sex = sex,
        };

    public static Person WithBirth(Person person, DatePrecision precision, string original) =>
        person with { BirthDate = new RegistryDate(precision, precision == DatePrecision.Approximate ? D("1945-01-01") : null, original) };
}
