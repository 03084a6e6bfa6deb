namespace PushGov.Domain.Residents;

/// <summary>Sex as the registry records it.</summary>
public enum Sex
{
    NotStated = 9,
    Male = 1,
    Female = 2,
}

/// <summary>Where a person stands in the registry.</summary>
public enum RegistryStatus
{
    /// <summary>Living and registered in the municipality.</summary>
    Registered,

    /// <summary>Removed by death (死亡による消除).</summary>
    Deceased,

    /// <summary>Removed by moving out (転出による消除) or missing from a newer snapshot.</summary>
    Left,
}

/// <summary>
/// One resident as the resident view holds them (住民記録). Names and addresses are personal data:
/// never log them; use <see cref="ResidentId"/> (宛名番号) in logs.
/// </summary>
public sealed record Person
{
    public required string ResidentId { get; init; }

    public required string HouseholdId { get; init; }

    public required string FamilyName { get; init; }

    public required string GivenName { get; init; }

    public string? FamilyNameKana { get; init; }

    public string? GivenNameKana { get; init; }

    public required RegistryDate BirthDate { get; init; }

    public Sex Sex { get; init; } = Sex.NotStated;

    /// <summary>続柄 to the head of household, as the registry writes it (世帯主, 妻, 夫, 子, …).</summary>
    public required string Relationship { get; init; }

    public string? PostalCode { get; init; }

    public string? Address { get; init; }

    /// <summary>ISO 3166-1 alpha-2 for foreign residents; null for Japanese nationals.</summary>
    public string? Nationality { get; init; }

    public RegistryStatus Status { get; init; } = RegistryStatus.Registered;

    /// <summary>The day the status last changed (death, move-out), when known.</summary>
    public DateOnly? StatusDate { get; init; }

    /// <summary>The day the person moved in (転入), when the registry says so.</summary>
    public DateOnly? MovedInDate { get; init; }

    /// <summary>
    /// The 外字 (CP932 user-defined characters) the drop wrote in this person's name and address, with their codes; null
    /// when there were none. A mapped one appears in the text as the tenant's mapping, an unmapped one as its private-use
    /// code point (U+E000–U+E757), which messages never print (<see cref="Messaging.GaijiNames"/>).
    /// </summary>
    public IReadOnlyList<GaijiUse>? Gaiji { get; init; }

    public bool IsHead => Relationship == Relationships.Head;
}

/// <summary>
/// One 外字 as a drop wrote it: the canonical column, its 1-based character position in the drop's field, its CP932
/// code (e.g. <c>F040</c>) and the text the tenant's 外字 table maps it to (null when unmapped).
/// </summary>
public sealed record GaijiUse(string Column, int Position, string Code, string? MappedTo);

/// <summary>続柄 values the domain reasons about.</summary>
public static class Relationships
{
    public const string Head = "世帯主";
    public const string Wife = "妻";
    public const string Husband = "夫";
    public const string Child = "子";
    public const string Father = "父";
    public const string Mother = "母";
    public const string Grandchild = "孫";

    public static bool IsSpouse(string relationship) => relationship is Wife or Husband or "妻(未届)" or "夫(未届)";

    public static bool IsChild(string relationship) =>
        relationship == Child || relationship.EndsWith('子') && relationship != "養子の妻";
}
