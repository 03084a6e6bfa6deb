using PushGov.Domain.Messaging.Pacing;
using PushGov.Infrastructure.Notifications.Sending;

namespace PushGov.Infrastructure.Tests.Notifications.Sending;

public sealed class SlotBookTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_backlog_of_10000_at_200_a_minute_gets_exactly_200_in_every_60_second_window()
    {
        var slots = new List<long>();
        var rules = new[] { RateLimitRule.PerMinute(200) };
        var granted = new List<long>();
        for (var i = 0; i < 10_000; i++)
        {
            granted.Add(SlotBook.Reserve(slots, rules, Start, Start, quiet: null).ToUnixTimeMilliseconds());
        }

        granted.Sort();
        Assert.Equal(200, SlotBook.MaxInWindow(granted, TimeSpan.FromMinutes(1)));
        // Every 60 s window, checked directly: starting at each slot, the slots before it plus 60 s.
        var lo = 0;
        for (var hi = 0; hi < granted.Count; hi++)
        {
            while (granted[hi] - granted[lo] >= 60_000)
            {
                lo++;
            }

            Assert.True(hi - lo + 1 <= 200, $"window ending at slot {hi} holds {hi - lo + 1}");
        }

        // Tight: 50 bursts of 200, one minute apart, so the last goes out 49 minutes after the first.
        Assert.Equal(TimeSpan.FromMinutes(49), TimeSpan.FromMilliseconds(granted[^1] - granted[0]));
    }

    [Fact]
    public void Slots_reserved_out_of_order_never_overfill_any_window()
    {
        var random = new Random(7);
        var slots = new List<long>();
        var rules = new[] { new RateLimitRule(20, TimeSpan.FromSeconds(10)), new RateLimitRule(50, TimeSpan.FromMinutes(1)) };
        var granted = new List<long>();
        var now = Start;
        for (var i = 0; i < 2_000; i++)
        {
            now = now.AddMilliseconds(random.Next(0, 400));
            var from = now.AddSeconds(random.Next(0, 600)); // some ask for later (quiet hours, Retry-After)
            var at = SlotBook.Reserve(slots, rules, from, now);
            Assert.True(at >= from);
            granted.Add(at.ToUnixTimeMilliseconds());
        }

        granted.Sort();
        Assert.InRange(SlotBook.MaxInWindow(granted, TimeSpan.FromSeconds(10)), 1, 20);
        Assert.InRange(SlotBook.MaxInWindow(granted, TimeSpan.FromMinutes(1)), 1, 50);
    }

    [Fact]
    public void Quiet_hours_move_a_slot_to_the_end_of_the_quiet_period()
    {
        var slots = new List<long>();
        var tenPm = new DateTimeOffset(2026, 11, 24, 22, 0, 0, TimeSpan.FromHours(9));

        var at = SlotBook.Reserve(slots, [RateLimitRule.PerMinute(200)], tenPm, tenPm, QuietHours.Default);

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.FromHours(9)), at);
    }
}
