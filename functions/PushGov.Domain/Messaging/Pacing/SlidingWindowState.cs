using System.Globalization;
using System.Text;

namespace PushGov.Domain.Messaging.Pacing;

/// <summary>
/// A sliding window's state, as the send pacer (Infrastructure/Notifications/Sending/SendPacer) keeps it: the recent reserved slots
/// (Unix milliseconds, oldest first, no more than the largest limit needs) and the count of the current local day. Small enough to keep in one
/// table row and update with an ETag; <see cref="ToCompactString"/> / <see cref="Parse"/> give a short text form
/// (200 entries a minute apart from each other fit in a few kilobytes).
/// </summary>
public sealed record SlidingWindowState(IReadOnlyList<long> RecentUnixMs, DateOnly? Day = null, int DayCount = 0)
{
    public static SlidingWindowState Empty { get; } = new([]);

    private const string FormatVersion = "v1";

    /// <summary><c>v1|2026-11-22|37|1795000000000,250,250,…</c>: the first time in full, then differences.</summary>
    public string ToCompactString()
    {
        var text = new StringBuilder(FormatVersion).Append('|')
            .Append(Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('|')
            .Append(DayCount.ToString(CultureInfo.InvariantCulture)).Append('|');
        long previous = 0;
        for (var i = 0; i < RecentUnixMs.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append((RecentUnixMs[i] - previous).ToString(CultureInfo.InvariantCulture));
            previous = RecentUnixMs[i];
        }

        return text.ToString();
    }

    public static SlidingWindowState Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('|');
        if (parts.Length != 4 || parts[0] != FormatVersion)
        {
            throw new FormatException("Not a v1 sliding-window state.");
        }

        DateOnly? day = parts[1].Length == 0 ? null : DateOnly.ParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var count = int.Parse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture);
        var recent = new List<long>();
        long previous = 0;
        foreach (var delta in parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            previous += long.Parse(delta, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            recent.Add(previous);
        }

        return new SlidingWindowState(recent, day, count);
    }
}
