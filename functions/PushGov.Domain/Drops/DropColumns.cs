namespace PushGov.Domain.Drops;

/// <summary>Canonical column names of the datasets (data-drops.md) and which are required.</summary>
public static class DropColumns
{
    public const string RecordId = "record_id";
    public const string ResidentId = "resident_id";
    public const string HouseholdId = "household_id";
    public const string ChangeCode = "change_code";
    public const string ChangeDate = "change_date";
    public const string NotifiedDate = "notified_date";
    public const string FamilyName = "family_name";
    public const string GivenName = "given_name";
    public const string FamilyNameKana = "family_name_kana";
    public const string GivenNameKana = "given_name_kana";
    public const string BirthDate = "birth_date";
    public const string Sex = "sex";
    public const string Relationship = "relationship";
    public const string PostalCode = "postal_code";
    public const string Address = "address";
    public const string Nationality = "nationality";
    public const string FiscalYear = "fiscal_year";
    public const string TaxableIncome = "taxable_income";
    public const string NonTaxable = "non_taxable";
    public const string ExpectedDeliveryDate = "expected_delivery_date";
    public const string DisasterName = "disaster_name";
    public const string DamageLevel = "damage_level";
    public const string CertifiedDate = "certified_date";
    public const string Channel = "channel";
    public const string Language = "language";
    public const string Consent = "consent";
    public const string ConsentedAt = "consented_at";

    private static readonly (string Name, bool Required)[] PersonColumns =
    [
        (ResidentId, true), (HouseholdId, true), (FamilyName, true), (GivenName, true), (FamilyNameKana, false),
        (GivenNameKana, false), (BirthDate, true), (Sex, false), (Relationship, true), (PostalCode, false),
        (Address, false), (Nationality, false),
    ];

    /// <summary>The canonical columns of <paramref name="dataset"/>, in the order the spec lists them.</summary>
    public static IReadOnlyList<(string Name, bool Required)> Of(Dataset dataset) => dataset switch
    {
        Dataset.ResidentChanges =>
        [
            (RecordId, true), (ResidentId, true), (HouseholdId, true), (ChangeCode, true), (ChangeDate, true), (NotifiedDate, false),
            (FamilyName, true), (GivenName, true), (FamilyNameKana, false), (GivenNameKana, false), (BirthDate, true), (Sex, false),
            (Relationship, true), (PostalCode, false), (Address, false), (Nationality, false),
        ],
        Dataset.Residents => PersonColumns,
        Dataset.Tax => [(ResidentId, true), (FiscalYear, true), (TaxableIncome, true), (NonTaxable, true)],
        Dataset.Pregnancy => [(RecordId, true), (ResidentId, true), (NotifiedDate, true), (ExpectedDeliveryDate, true)],
        Dataset.Disaster => [(RecordId, true), (HouseholdId, true), (DisasterName, true), (DamageLevel, true), (CertifiedDate, true)],
        Dataset.Contacts => [(ResidentId, true), (Channel, true), (Address, true), (Language, false), (Consent, true), (ConsentedAt, true)],
        _ => throw new ArgumentOutOfRangeException(nameof(dataset)),
    };
}
