using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Messaging.Pacing;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Messaging.Pacing;

public class SlidingWindowLimiterTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);
    private static readonly DateTimeOffset TenAm = new(2026, 11, 23, 10, 0, 0, Jst);

    [Fact]
    public void The_201st_send_in_a_minute_waits_until_the_first_leaves_the_window()
    {
        var limiter = new SlidingWindowLimiter([RateLimitRule.PerMinute(200)]);
        for (var i = 0; i < 200; i++)
        {
            Assert.True(limiter.TryAcquire(TenAm.AddMilliseconds(i * 10), out _));
        }

        Assert.False(limiter.TryAcquire(TenAm.AddSeconds(30), out var retryAt));
        Assert.Equal(TenAm.AddMinutes(1), retryAt);
        Assert.False(limiter.TryAcquire(TenAm.AddMinutes(1).AddMilliseconds(-1), out _));
        Assert.True(limiter.TryAcquire(TenAm.AddMinutes(1), out _));
        Assert.False(limiter.TryAcquire(TenAm.AddMinutes(1), out retryAt));
        Assert.Equal(TenAm.AddMinutes(1).AddMilliseconds(10), retryAt);
    }

    [Fact]
    public void A_sender_following_retry_times_holds_200_a_minute_over_10000_sends()
    {
        var clock = new FakeTimeProvider(TenAm);
        var limiter = SlidingWindowLimiter.For(PacingPolicy.Default.For(Channel.Sms));
        var sent = new List<DateTimeOffset>();
        while (sent.Count < 10_000)
        {
            if (limiter.TryAcquire(clock, out var retryAt))
            {
                sent.Add(clock.GetUtcNow());
                clock.Advance(TimeSpan.FromMilliseconds(50));
            }
            else
            {
                clock.SetUtcNow(retryAt);
            }

            Assert.True(limiter.State.RecentUnixMs.Count <= 200);
        }

        PacingPlannerTests.AssertAtMost(200, TimeSpan.FromSeconds(60), sent);
        Assert.Equal(TenAm.AddMinutes(49).AddMilliseconds(199 * 50), sent[^1]);
    }

    [Fact]
    public void Email_limits_of_30_a_minute_and_100_an_hour_hold_together()
    {
        var limiter = SlidingWindowLimiter.For(PacingPolicy.Default.For(Channel.Email));
        var now = TenAm;
        var sent = new List<DateTimeOffset>();
        while (sent.Count < 250)
        {
            if (limiter.TryAcquire(now, out var retryAt))
            {
                sent.Add(now);
            }
            else
            {
                now = retryAt;
            }
        }

        PacingPlannerTests.AssertAtMost(30, TimeSpan.FromMinutes(1), sent);
        PacingPlannerTests.AssertAtMost(100, TimeSpan.FromHours(1), sent);
        Assert.Equal(TenAm.AddHours(1), sent[100]);
    }

    [Fact]
    public void The_state_survives_a_round_trip_through_a_table_row()
    {
        var limiter = new SlidingWindowLimiter([RateLimitRule.PerMinute(3)], dailyCap: 10);
        Assert.True(limiter.TryAcquire(TenAm, out _));
        Assert.True(limiter.TryAcquire(TenAm.AddSeconds(1), out _));
        Assert.True(limiter.TryAcquire(TenAm.AddSeconds(2.5), out _));

        var compact = limiter.State.ToCompactString();
        var json = JsonSerializer.Serialize(limiter.State);
        var fromCompact = new SlidingWindowLimiter([RateLimitRule.PerMinute(3)], SlidingWindowState.Parse(compact), dailyCap: 10);
        var fromJson = new SlidingWindowLimiter([RateLimitRule.PerMinute(3)], JsonSerializer.Deserialize<SlidingWindowState>(json), dailyCap: 10);

        Assert.Equal($"v1|2026-11-23|3|{TenAm.ToUnixTimeMilliseconds()},1000,1500", compact);
        Assert.False(fromCompact.TryAcquire(TenAm.AddSeconds(10), out var retryAt));
        Assert.Equal(TenAm.AddMinutes(1), retryAt);
        Assert.False(fromJson.TryAcquire(TenAm.AddSeconds(10), out retryAt));
        Assert.Equal(TenAm.AddMinutes(1), retryAt);
        Assert.Equal(3, fromJson.State.DayCount);
    }

    [Fact]
    public void A_daily_cap_defers_to_midnight_in_tokyo()
    {
        var limiter = new SlidingWindowLimiter([RateLimitRule.PerMinute(200)], dailyCap: 2);
        Assert.True(limiter.TryAcquire(TenAm, out _));
        Assert.True(limiter.TryAcquire(TenAm.AddMinutes(5), out _));

        Assert.False(limiter.TryAcquire(TenAm.AddMinutes(10), out var retryAt));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, Jst), retryAt);
        Assert.True(limiter.TryAcquire(retryAt, out _));
        Assert.Equal(new DateOnly(2026, 11, 24), limiter.State.Day);
        Assert.Equal(1, limiter.State.DayCount);
    }

    [Fact]
    public void The_state_keeps_only_what_the_largest_limit_needs()
    {
        var limiter = new SlidingWindowLimiter([RateLimitRule.PerMinute(5)]);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(limiter.TryAcquire(TenAm.AddSeconds(i * 15), out _));
        }

        Assert.Equal(4, limiter.State.RecentUnixMs.Count);
        Assert.Equal(TenAm.AddSeconds(19 * 15).ToUnixTimeMilliseconds(), limiter.State.RecentUnixMs[^1]);
    }
}
