namespace PushGov.Domain;

/// <summary>
/// Time in Japan, the one place the zone is found: deadlines, ages, quiet hours, drop days and links run on the resident's
/// clock, 日本標準時 (UTC+9, no daylight saving).
/// </summary>
public static class JapanTime
{
    public static TimeZoneInfo Tokyo { get; } = FindTokyo();

    /// <summary>Today's date in Japan at <paramref name="now"/>.</summary>
    public static DateOnly Today(DateTimeOffset now) => LocalDay(now, Tokyo);

    /// <summary>The local calendar day of an instant in <paramref name="zone"/>.</summary>
    public static DateOnly LocalDay(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The instant a local wall-clock time occurs in <paramref name="zone"/>.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            // A wall-clock time skipped by a daylight-saving jump (never in Japan): take the first valid minute after it.
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static TimeZoneInfo FindTokyo()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Tokyo", TimeSpan.FromHours(9), "Japan Standard Time", "JST");
        }
    }
}
