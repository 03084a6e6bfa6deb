namespace PushGov.Domain.Residents;

/// <summary>How exact a date from the registry is.</summary>
public enum DatePrecision
{
    /// <summary>A real calendar day.</summary>
    Exact,

    /// <summary>A vague date such as 昭和20年頃 or 昭和20年3月上旬: <see cref="RegistryDate.Approximate"/> holds its earliest day.</summary>
    Approximate,

    /// <summary>No usable date: 年月日不詳, or a day no calendar has (平成11年2月29日).</summary>
    Unknown,
}

/// <summary>
/// A date as the registry holds it. The registry allows dates that no calendar has and vague ones;
/// such a date is kept, and nothing that needs an exact day (age events, deadlines) is derived from it.
/// </summary>
public readonly record struct RegistryDate(DatePrecision Precision, DateOnly? Approximate, string Original)
{
    public static RegistryDate Of(DateOnly day) => new(DatePrecision.Exact, day, IsoDate.Format(day));

    /// <summary>The exact day, or null when the date is approximate or unknown.</summary>
    public DateOnly? Exact => Precision == DatePrecision.Exact ? Approximate : null;

    public override string ToString() => Exact?.ToString("yyyy-MM-dd") ?? Original;
}
