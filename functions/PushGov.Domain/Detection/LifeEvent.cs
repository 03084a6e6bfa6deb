namespace PushGov.Domain.Detection;

/// <summary>The kinds of life event PushGov detects.</summary>
public enum LifeEventKind
{
    BIRTH,
    DEATH,
    MOVE_IN,
    MOVE_IN_ABROAD,
    MOVE_OUT,
    MOVE_OUT_ABROAD,
    RELOCATION,
    HOUSEHOLD_SPLIT,
    HOUSEHOLD_MERGE,
    HOUSEHOLD_CHANGE,
    HEAD_CHANGE,
    MARRIAGE,
    DIVORCE,
    AGE_65,
    AGE_75,
    SCHOOL_ENTRY,
    PREGNANCY,
    TAX_NON_TAXABLE,
    DISASTER_CERTIFIED,
}

/// <summary>Where a fact came from: the dataset and the 1-based line of the row in the drop (the header is line 1).</summary>
public sealed record EventSource(string Dataset, long Line, string? RecordId = null);

/// <summary>
/// One life event, detected once per fact. <see cref="EventId"/> is stable (derived from the tenant,
/// the kind and the fact), so detecting the same fact again yields the same id and starting its case
/// again is harmless.
/// </summary>
public sealed record LifeEvent
{
    public required LifeEventKind Kind { get; init; }

    public required string Tenant { get; init; }

    public required string EventId { get; init; }

    /// <summary>The person the event is about (the newborn, the deceased, the one who moved, …).</summary>
    public required string ResidentId { get; init; }

    public required string HouseholdId { get; init; }

    public required DateOnly EventDate { get; init; }

    /// <summary>True when the event was inferred (e.g. MARRIAGE from a correction) rather than coded by the source.</summary>
    public bool Inferred { get; init; }

    public required EventSource Source { get; init; }

    /// <summary>Other residents the event concerns (the new spouse, the household left behind, …).</summary>
    public IReadOnlyList<string> RelatedResidentIds { get; init; } = [];

    /// <summary>Small, non-personal facts the event carries (damage level, fiscal year, previous household, …).</summary>
    /// <remarks>Defaults to one shared empty dictionary: no allocation per event that carries no details.</remarks>
    public IReadOnlyDictionary<string, string> Details { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
}
