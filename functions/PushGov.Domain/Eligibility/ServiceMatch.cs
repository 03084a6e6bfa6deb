namespace PushGov.Domain.Eligibility;

/// <summary>One condition of a service's rule as it was evaluated, with the values it saw (for "why did I get this?").</summary>
public sealed record ReasonStep(string Condition, bool Holds, string Detail);

/// <summary>
/// A service a life event makes someone eligible for: who is told, by when, how much to mention, and why.
/// </summary>
public sealed record ServiceMatch
{
    public required string EventId { get; init; }

    public required string ServiceId { get; init; }

    /// <summary>
    /// The part of the service this match is about when a service has several (基礎支援金 "basic" and 加算支援金
    /// "additional"; the 後期高齢者 "insured" and their "dependant-spouse"), each with its own recipients, deadline and
    /// amount; null for a single-part service. Additive member added by the eligibility work.
    /// </summary>
    public string? Part { get; init; }

    /// <summary>The residents who receive the message (the claimant, not necessarily the person of the event).</summary>
    public required IReadOnlyList<string> RecipientIds { get; init; }

    public DateOnly? Deadline { get; init; }

    public long? AmountYen { get; init; }

    public bool NeedsClaim { get; init; }

    public bool UsesTaxData { get; init; }

    /// <summary>True when the service must be handled by a member of staff (escalate at once).</summary>
    public bool NeedsPerson { get; init; }

    /// <summary>The version (validFrom) of the rule that applied.</summary>
    public string? RuleVersion { get; init; }

    public IReadOnlyList<ReasonStep> Reasons { get; init; } = [];
}
