namespace PushGov.Domain.Residents;

/// <summary>住民税 assessment of one resident for one fiscal year (年度).</summary>
public sealed record TaxRecord(string ResidentId, int FiscalYear, long TaxableIncomeYen, bool NonTaxable);

/// <summary>妊娠届: a notification of pregnancy.</summary>
public sealed record PregnancyRecord(string RecordId, string ResidentId, DateOnly NotifiedDate, DateOnly ExpectedDeliveryDate);

/// <summary>罹災証明: a disaster damage certificate for a household.</summary>
public sealed record DisasterCertificate(string RecordId, string HouseholdId, string DisasterName, DamageLevel DamageLevel, DateOnly CertifiedDate);

/// <summary>Damage levels of a 罹災証明, most severe first.</summary>
public enum DamageLevel
{
    /// <summary>全壊</summary>
    Total,

    /// <summary>大規模半壊</summary>
    LargeScaleHalf,

    /// <summary>中規模半壊</summary>
    MediumScaleHalf,

    /// <summary>半壊</summary>
    Half,

    /// <summary>準半壊</summary>
    QuasiHalf,

    /// <summary>一部損壊</summary>
    Partial,
}

/// <summary>Contact channels.</summary>
public enum Channel
{
    Sms,
    Email,
    Post,

    /// <summary>The municipality's LINE official account; the address is the LINE user id (set only by the account link).</summary>
    Line,
}

/// <summary>
/// A contact address and the resident's consent to be contacted proactively on it.
/// <see cref="Address"/> is personal data: never log it in clear.
/// </summary>
public sealed record ContactRecord(
    string ResidentId,
    Channel Channel,
    string Address,
    string? Language,
    bool Consent,
    DateTimeOffset ConsentedAt,
    string Source);

/// <summary>
/// Everything matching needs to know about the people an event concerns, read from the resident view at
/// one moment: the household (including members who have died or left, with their status), and the facts
/// held about each member. Matching is a pure function of a <see cref="Detection.LifeEvent"/> and this snapshot.
/// </summary>
public sealed record HouseholdSnapshot
{
    public required string HouseholdId { get; init; }

    public required IReadOnlyList<Person> Members { get; init; }

    public IReadOnlyList<TaxRecord> Tax { get; init; } = [];

    public IReadOnlyList<PregnancyRecord> Pregnancies { get; init; } = [];

    public IReadOnlyList<DisasterCertificate> Disasters { get; init; } = [];

    /// <summary>Residents who have given purpose consent for the use of their tax data (see the consent issue).</summary>
    public IReadOnlySet<string> TaxDataConsent { get; init; } = new HashSet<string>();

    /// <summary>
    /// The channel each resident who chose one prefers (the portal's <c>preferredChannel</c>): tried before the tenant's
    /// channel order while the resident has consented to it (<see cref="Cases.RecipientResolver.ChannelOrderFor"/>).
    /// </summary>
    public IReadOnlyDictionary<string, Channel> PreferredChannels { get; init; } = new Dictionary<string, Channel>();

    public Person? Find(string residentId) => Members.FirstOrDefault(m => m.ResidentId == residentId);
}

/// <summary>
/// Damage levels by name: the Japanese name a 罹災証明 and the catalog write (全壊 …), or the English enum name. The one
/// mapping that drops, the catalog and condition explanations read.
/// </summary>
public static class DamageLevels
{
    /// <summary>The Japanese names, most severe first, for error messages: "全壊, 大規模半壊, …, 準半壊 or 一部損壊".</summary>
    public static string Listed { get; } =
        string.Join(", ", Enum.GetValues<DamageLevel>()[..^1].Select(Japanese)) + " or " + Japanese(Enum.GetValues<DamageLevel>()[^1]);

    public static string Japanese(DamageLevel level) => level switch
    {
        DamageLevel.Total => "全壊",
        DamageLevel.LargeScaleHalf => "大規模半壊",
        DamageLevel.MediumScaleHalf => "中規模半壊",
        DamageLevel.Half => "半壊",
        DamageLevel.QuasiHalf => "準半壊",
        DamageLevel.Partial => "一部損壊",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown damage level."),
    };

    /// <summary>Reads a Japanese name exactly or an English enum name in any case; false for anything else.</summary>
    public static bool TryParse(string text, out DamageLevel level)
    {
        foreach (var l in Enum.GetValues<DamageLevel>())
        {
            if (text == Japanese(l) || string.Equals(text, l.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                level = l;
                return true;
            }
        }

        level = default;
        return false;
    }
}
