using PushGov.Domain.Messaging.Pacing;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Messaging.Pacing;

public class PacingPlannerTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);
    private static readonly DateTimeOffset TenAm = new(2026, 11, 23, 10, 0, 0, Jst);

    private static List<PendingMessage> Backlog(int count, Channel channel = Channel.Sms, DateOnly? deadline = null) =>
        Enumerable.Range(0, count).Select(i => new PendingMessage($"m{i:D6}", channel, deadline)).ToList();

    /// <summary>Every window of <paramref name="window"/> holds at most <paramref name="limit"/> sends (times sorted).</summary>
    internal static void AssertAtMost(int limit, TimeSpan window, IReadOnlyList<DateTimeOffset> sorted)
    {
        for (var i = limit; i < sorted.Count; i++)
        {
            // limit + 1 consecutive sends must span at least the window.
            Assert.True(sorted[i] - sorted[i - limit] >= window, $"sends {i - limit}..{i} fall within {window}");
        }
    }

    private static DateOnly TokyoDay(DateTimeOffset t) => DateOnly.FromDateTime(t.ToOffset(Jst).DateTime);

    [Fact]
    public void Ten_thousand_sms_never_exceed_200_in_any_60_seconds()
    {
        var plan = new PacingPlanner(PacingPolicy.Default).Plan(Backlog(10_000), TenAm).ToList();
        var times = plan.Select(p => p.NotBefore).ToList();

        Assert.Equal(10_000, plan.Count);
        Assert.Equal(Backlog(10_000).Select(m => m.MessageId), plan.Select(p => p.MessageId));
        Assert.Equal(times.Order(), times);
        AssertAtMost(200, TimeSpan.FromSeconds(60), times);

        // The limit is used exactly: 200 sends a minute, 50 minutes of sends.
        Assert.Equal(200, times.Count(t => t == TenAm));
        Assert.Equal(TenAm.AddMinutes(49), times[^1]);
        Assert.All(times.GroupBy(t => t), g => Assert.Equal(200, g.Count()));
    }

    [Fact]
    public void Sms_planned_near_21_00_wait_for_08_00_the_next_morning()
    {
        var start = new DateTimeOffset(2026, 11, 23, 20, 30, 0, Jst);

        var times = new PacingPlanner(PacingPolicy.Default).Plan(Backlog(10_000), start).Select(p => p.NotBefore).ToList();

        Assert.Equal(6_000, times.Count(t => t < start.AddMinutes(30)));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, Jst), times[6_000]);
        Assert.DoesNotContain(times, QuietHours.Default.IsQuiet);
        AssertAtMost(200, TimeSpan.FromSeconds(60), times);
    }

    [Fact]
    public void A_daily_cap_spreads_the_backlog_to_the_next_days()
    {
        var policy = PacingPolicy.Default with
        {
            Channels = [new ChannelPacing { Channel = Channel.Sms, Limits = [RateLimitRule.PerMinute(200)], QuietHours = QuietHours.Default, DailyCap = 1_000 }],
        };

        var times = new PacingPlanner(policy).Plan(Backlog(2_500), TenAm).Select(p => p.NotBefore).ToList();
        var perDay = times.GroupBy(TokyoDay).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(new Dictionary<DateOnly, int> { [new(2026, 11, 23)] = 1_000, [new(2026, 11, 24)] = 1_000, [new(2026, 11, 25)] = 500 }, perDay);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, Jst), times[1_000]);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 0, 0, Jst), times[2_000]);
    }

    [Fact]
    public void A_tenant_daily_cap_counts_every_channel()
    {
        var policy = PacingPolicy.Default with { TenantDailyCap = 100 };
        var backlog = Backlog(80, Channel.Sms).Concat(Backlog(80, Channel.Post)).ToList();

        var plan = new PacingPlanner(policy).Plan(backlog, TenAm).ToList();

        Assert.Equal(100, plan.Count(p => TokyoDay(p.NotBefore) == new DateOnly(2026, 11, 23)));
        Assert.Equal(60, plan.Count(p => TokyoDay(p.NotBefore) == new DateOnly(2026, 11, 24)));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, Jst), plan.Where(p => p.Channel == Channel.Post).Max(p => p.NotBefore));
    }

    [Fact]
    public void Email_holds_30_a_minute_and_100_an_hour_together()
    {
        var times = new PacingPlanner(PacingPolicy.Default).Plan(Backlog(250, Channel.Email), TenAm).Select(p => p.NotBefore).ToList();

        AssertAtMost(30, TimeSpan.FromMinutes(1), times);
        AssertAtMost(100, TimeSpan.FromHours(1), times);
        Assert.Equal(30, times.Count(t => t == TenAm));
        Assert.Equal(TenAm.AddMinutes(3), times[99]);
        Assert.Equal(TenAm.AddHours(1), times[100]);
        Assert.Equal(TenAm.AddHours(2).AddMinutes(1), times[^1]);
    }

    [Fact]
    public void Email_is_not_held_by_quiet_hours_unless_configured()
    {
        var night = new DateTimeOffset(2026, 11, 23, 23, 0, 0, Jst);

        var plan = new PacingPlanner(PacingPolicy.Default).Plan(Backlog(1, Channel.Email), night).Single();

        Assert.Equal(night, plan.NotBefore);
    }

    [Fact]
    public void Minimum_spacing_smooths_a_burst()
    {
        var policy = PacingPolicy.Default with
        {
            Channels = [new ChannelPacing { Channel = Channel.Sms, Limits = [RateLimitRule.PerMinute(200)], MinSpacing = TimeSpan.FromMilliseconds(300) }],
        };

        var times = new PacingPlanner(policy).Plan(Backlog(400), TenAm).Select(p => p.NotBefore).ToList();

        Assert.Equal(TenAm.AddMilliseconds(300), times[1]);
        Assert.Equal(TenAm.AddMilliseconds(300 * 399), times[^1]);
        AssertAtMost(200, TimeSpan.FromSeconds(60), times);
    }

    [Fact]
    public void A_mass_event_of_100000_households_is_spread_over_days_in_order_within_every_limit()
    {
        var policy = PacingPolicy.Default with { TenantDailyCap = 30_000 };
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, Jst);
        var backlog = Enumerable.Range(0, 100_000)
            .Select(i => new PendingMessage($"m{i:D6}", Channel.Sms, i < 40_000 ? new DateOnly(2026, 11, 23) : new DateOnly(2026, 11, 30)))
            .ToList();

        var plan = new PacingPlanner(policy).Plan(backlog, start).ToList();
        var times = plan.Select(p => p.NotBefore).ToList();

        Assert.Equal(backlog.Select(m => m.MessageId), plan.Select(p => p.MessageId));
        Assert.Equal(times.Order(), times);
        AssertAtMost(200, TimeSpan.FromSeconds(60), times);
        Assert.DoesNotContain(times, QuietHours.Default.IsQuiet);
        Assert.Equal([30_000, 30_000, 30_000, 10_000], times.GroupBy(TokyoDay).Select(g => g.Count()));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 49, 0, Jst), times[^1]);

        // Deadlines the pace cannot meet are flagged, not hidden: 40,000 are due on day one, which holds 30,000.
        Assert.Equal(Enumerable.Range(30_000, 10_000).Select(i => $"m{i:D6}"), plan.Where(p => p.LateForDeadline).Select(p => p.MessageId));
    }

    [Fact]
    public void A_zero_daily_cap_is_refused()
    {
        var policy = PacingPolicy.Default with { TenantDailyCap = 0 };

        Assert.Throws<ArgumentOutOfRangeException>(() => new PacingPlanner(policy));
    }
}
