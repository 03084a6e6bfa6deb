using PushGov.Domain.Messaging.Pacing;

namespace PushGov.Infrastructure.Notifications.Sending;

/// <summary>
/// Reserves send slots against rate limits, exactly: a slot at <c>t</c> is granted only when, with it, no span shorter
/// than a rule's window holds more than the rule's count of slots (past sends and future reservations alike). Unlike
/// a limiter that answers "may I send now", slots may be reserved in the future and in any
/// order, so a backlog of 10,000 messages takes one reservation each — each message is held until its own slot instead
/// of all of them waking together and contending again. Pure; the row that keeps the slots is <see cref="SendPacer"/>'s.
/// </summary>
public static class SlotBook
{
    /// <summary>
    /// The earliest slot at or after <paramref name="from"/> that keeps every rule (and is outside quiet hours), added to
    /// <paramref name="slots"/> (Unix ms, ascending). Slots older than the longest window before <paramref name="now"/> are
    /// dropped first: they can no longer share a window with a new slot.
    /// </summary>
    public static DateTimeOffset Reserve(List<long> slots, IReadOnlyList<RateLimitRule> rules, DateTimeOffset from, DateTimeOffset now, QuietHours? quiet = null)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count > 0)
        {
            var longest = rules.Max(r => (long)r.Window.TotalMilliseconds);
            var cutoff = now.ToUnixTimeMilliseconds() - longest;
            var old = slots.FindIndex(s => s > cutoff);
            slots.RemoveRange(0, old < 0 ? slots.Count : old);
        }

        var t = from.ToUnixTimeMilliseconds();
        for (var guard = 0; guard < 1_000_000; guard++)
        {
            if (quiet is not null)
            {
                t = quiet.NextAllowed(DateTimeOffset.FromUnixTimeMilliseconds(t)).ToUnixTimeMilliseconds();
            }

            var next = FirstConflictEnd(slots, rules, t);
            if (next is null)
            {
                var at = slots.BinarySearch(t);
                slots.Insert(at < 0 ? ~at : at, t);
                return DateTimeOffset.FromUnixTimeMilliseconds(t).ToOffset(from.Offset);
            }

            t = next.Value;
        }

        throw new InvalidOperationException("No send slot found.");
    }

    /// <summary>The most slots any span shorter than <paramref name="window"/> holds (for checks and benchmarks).</summary>
    public static int MaxInWindow(IReadOnlyList<long> sortedSlots, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(sortedSlots);
        var w = (long)window.TotalMilliseconds;
        var max = 0;
        var start = 0;
        for (var end = 0; end < sortedSlots.Count; end++)
        {
            while (sortedSlots[end] - sortedSlots[start] >= w)
            {
                start++;
            }

            max = Math.Max(max, end - start + 1);
        }

        return max;
    }

    /// <summary>
    /// Null when a slot at <paramref name="t"/> keeps every rule; otherwise a later instant worth trying: the first
    /// point of the earliest over-full run plus the window (that run then no longer fits one window with the new slot).
    /// </summary>
    private static long? FirstConflictEnd(List<long> slots, IReadOnlyList<RateLimitRule> rules, long t)
    {
        long? retry = null;
        var p = slots.BinarySearch(t);
        p = p < 0 ? ~p : p; // slots[..p] are before t (or equal: a slot at the same ms counts as before)
        foreach (var rule in rules)
        {
            var n = rule.Count;
            var w = (long)rule.Window.TotalMilliseconds;

            // Over-full: n slots that, with t, lie in a span shorter than the window. Such a run of n+1 consecutive
            // points holds j slots before t and n-j after it.
            for (var j = Math.Min(n, p); j >= 0; j--)
            {
                var after = n - j;
                if (after > slots.Count - p)
                {
                    continue;
                }

                var first = j == 0 ? t : slots[p - j];
                var last = after == 0 ? t : slots[p + after - 1];
                if (last - first < w)
                {
                    var candidate = first + w;
                    if (candidate <= t)
                    {
                        candidate = t + 1;
                    }

                    retry = retry is null ? candidate : Math.Min(retry.Value, candidate);
                    break; // the run with the earliest first slot decides for this rule
                }
            }
        }

        return retry;
    }
}
