using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Messaging.Pacing;

namespace PushGov.Domain.Tests.Messaging.Pacing;

public class QuietHoursTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    private static DateTimeOffset Tokyo(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, Jst);

    [Theory]
    [InlineData(22, 20, 59, 22, 20, 59)]
    [InlineData(22, 21, 0, 23, 8, 0)]
    [InlineData(22, 23, 30, 23, 8, 0)]
    [InlineData(23, 0, 0, 23, 8, 0)]
    [InlineData(23, 2, 15, 23, 8, 0)]
    [InlineData(23, 7, 59, 23, 8, 0)]
    [InlineData(23, 8, 0, 23, 8, 0)]
    [InlineData(23, 12, 0, 23, 12, 0)]
    public void Default_quiet_hours_run_from_21_to_8_across_midnight_in_tokyo(int day, int hour, int minute, int nextDay, int nextHour, int nextMinute)
    {
        Assert.Equal(Tokyo(nextDay, nextHour, nextMinute), QuietHours.Default.NextAllowed(Tokyo(day, hour, minute)));
    }

    [Fact]
    public void Quiet_hours_follow_the_tokyo_clock_whatever_the_offset_of_now()
    {
        // 12:30 UTC is 21:30 in Tokyo.
        var now = new DateTimeOffset(2026, 11, 22, 12, 30, 0, TimeSpan.Zero);

        Assert.True(QuietHours.Default.IsQuiet(now));
        Assert.Equal(Tokyo(23, 8), QuietHours.Default.NextAllowed(now));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.Zero), QuietHours.Default.NextAllowed(now).ToUniversalTime());
    }

    [Fact]
    public void A_fake_clock_moving_through_the_night_is_held_until_eight()
    {
        var clock = new FakeTimeProvider(Tokyo(22, 20, 0));

        Assert.Equal(Tokyo(22, 20), QuietHours.Default.NextAllowed(clock));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Tokyo(23, 8), QuietHours.Default.NextAllowed(clock));
        clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(Tokyo(23, 8), QuietHours.Default.NextAllowed(clock));
        clock.Advance(TimeSpan.FromHours(6));
        Assert.Equal(Tokyo(23, 8), QuietHours.Default.NextAllowed(clock));
    }

    [Fact]
    public void Quiet_hours_within_one_day_are_configurable()
    {
        var lunch = new QuietHours(new TimeOnly(12, 0), new TimeOnly(13, 0));

        Assert.Equal(Tokyo(22, 11, 59), lunch.NextAllowed(Tokyo(22, 11, 59)));
        Assert.Equal(Tokyo(22, 13), lunch.NextAllowed(Tokyo(22, 12, 30)));
        Assert.Equal(Tokyo(22, 23), lunch.NextAllowed(Tokyo(22, 23)));
    }

    [Fact]
    public void Equal_start_and_end_mean_no_quiet_hours()
    {
        var none = new QuietHours(new TimeOnly(0, 0), new TimeOnly(0, 0));

        Assert.False(none.IsQuiet(Tokyo(22, 3)));
        Assert.Equal(Tokyo(22, 3), none.NextAllowed(Tokyo(22, 3)));
    }
}
