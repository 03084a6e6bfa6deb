namespace PushGov.Domain.Eligibility;

/// <summary>
/// The value of a condition: it holds, it does not, or it cannot be evaluated on the data at hand (no tax-data
/// consent, no tax record, a birth date that is not an exact day, a person missing from the snapshot).
/// </summary>
public enum Truth
{
    False,
    True,
    Unknown,
}

/// <summary>What to do with a service whose conditions come out <see cref="Truth.Unknown"/>.</summary>
public enum UnknownPolicy
{
    /// <summary>Tell the resident about the service anyway, without anything the unknown fact decides (e.g. income-based amounts).</summary>
    Tell,

    /// <summary>Do not tell: the service only makes sense when the fact is known.</summary>
    Skip,
}
