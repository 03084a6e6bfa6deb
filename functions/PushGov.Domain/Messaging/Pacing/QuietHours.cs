namespace PushGov.Domain.Messaging.Pacing;

/// <summary>
/// Hours in which a channel sends nothing, by the local clock (default 21:00–08:00 in Asia/Tokyo). The quiet
/// period runs from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive) and crosses midnight when
/// <see cref="Start"/> is later than <see cref="End"/>; equal times mean no quiet hours.
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    /// <summary>21:00–08:00.</summary>
    public static QuietHours Default { get; } = new(new TimeOnly(21, 0), new TimeOnly(8, 0));

    public TimeZoneInfo TimeZone { get; init; } = JapanTime.Tokyo;

    public bool IsQuiet(DateTimeOffset instant)
    {
        var time = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);
        return Start < End
            ? time >= Start && time < End
            : Start > End && (time >= Start || time < End);
    }

    /// <summary><paramref name="now"/> when it is not quiet, otherwise the end of the quiet period it falls in.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset now)
    {
        if (!IsQuiet(now))
        {
            return now;
        }

        var local = TimeZoneInfo.ConvertTime(now, TimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);

        // Across midnight, the evening part ends tomorrow morning; otherwise the period ends today.
        var endDay = Start > End && time >= Start ? day.AddDays(1) : day;
        return JapanTime.At(endDay, End, TimeZone);
    }

    public DateTimeOffset NextAllowed(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return NextAllowed(clock.GetUtcNow());
    }
}
