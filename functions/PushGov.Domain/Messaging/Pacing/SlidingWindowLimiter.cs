using System.Globalization;
using System.Text;

namespace PushGov.Domain.Messaging.Pacing;

/// <summary>
/// The state of a <see cref="SlidingWindowLimiter"/>: the recent acquisitions (Unix milliseconds, oldest first,
/// no more than the largest limit needs) and the count of the current local day. Small enough to keep in one
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

/// <summary>
/// A sliding-window rate limiter the sender consults before each send: <see cref="TryAcquire(DateTimeOffset, out DateTimeOffset)"/>
/// succeeds only if, with this send, every rule still holds in every window (at most N acquisitions in any
/// span shorter than the window; the log is exact, not an approximation) and the daily cap is not reached;
/// otherwise it says when to try again. The limiter is not thread-safe: keep one per row and save
/// <see cref="State"/> with an ETag after each acquisition.
/// </summary>
public sealed class SlidingWindowLimiter
{
    private readonly RateLimitRule[] rules;
    private readonly int? dailyCap;
    private readonly TimeZoneInfo timeZone;
    private readonly long longestWindowMs;
    private readonly int keep;
    private readonly List<long> recent;
    private DateOnly? day;
    private int dayCount;

    public SlidingWindowLimiter(IReadOnlyList<RateLimitRule> rules, SlidingWindowState? state = null, int? dailyCap = null, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count == 0 && dailyCap is null)
        {
            throw new ArgumentException("A limiter needs a rule or a daily cap.", nameof(rules));
        }

        if (dailyCap <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dailyCap), "A daily cap must be positive.");
        }

        foreach (var rule in rules)
        {
            rule.Validate();
        }

        this.rules = [.. rules];
        this.dailyCap = dailyCap;
        this.timeZone = timeZone ?? JapanTime.Tokyo;
        longestWindowMs = rules.Count == 0 ? 0 : rules.Max(r => (long)r.Window.TotalMilliseconds);
        keep = rules.Count == 0 ? 0 : rules.Max(r => r.Count);
        state ??= SlidingWindowState.Empty;
        recent = [.. state.RecentUnixMs.Order()];
        day = state.Day;
        dayCount = state.DayCount;
    }

    /// <summary>Builds the limiter a channel's pacing describes (its rules and daily cap).</summary>
    public static SlidingWindowLimiter For(ChannelPacing pacing, SlidingWindowState? state = null, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(pacing);
        return new SlidingWindowLimiter(pacing.Limits, state, pacing.DailyCap, timeZone);
    }

    public SlidingWindowState State => new(recent.ToArray(), day, dayCount);

    public bool TryAcquire(TimeProvider clock, out DateTimeOffset retryAt)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return TryAcquire(clock.GetUtcNow(), out retryAt);
    }

    /// <summary>Takes one send at <paramref name="now"/> if every limit allows it; otherwise <paramref name="retryAt"/> is the earliest instant that would.</summary>
    public bool TryAcquire(DateTimeOffset now, out DateTimeOffset retryAt)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        recent.RemoveAll(s => nowMs - s >= longestWindowMs);

        var today = JapanTime.LocalDay(now, timeZone);
        if (day != today)
        {
            day = today;
            dayCount = 0;
        }

        var retryMs = nowMs;
        foreach (var rule in rules)
        {
            var windowMs = (long)rule.Window.TotalMilliseconds;
            var inWindow = recent.Where(s => nowMs - s < windowMs).ToList();
            if (inWindow.Count >= rule.Count)
            {
                // Free again when the send that would make N+1 leaves the window.
                retryMs = Math.Max(retryMs, inWindow[inWindow.Count - rule.Count] + windowMs);
            }
        }

        if (dailyCap is { } cap && dayCount >= cap)
        {
            retryMs = Math.Max(retryMs, JapanTime.At(today.AddDays(1), TimeOnly.MinValue, timeZone).ToUnixTimeMilliseconds());
        }

        if (retryMs > nowMs)
        {
            retryAt = DateTimeOffset.FromUnixTimeMilliseconds(retryMs).ToOffset(now.Offset);
            return false;
        }

        var at = recent.BinarySearch(nowMs);
        recent.Insert(at < 0 ? ~at : at, nowMs);
        if (recent.Count > keep)
        {
            recent.RemoveRange(0, recent.Count - keep);
        }

        dayCount++;
        retryAt = now;
        return true;
    }
}
