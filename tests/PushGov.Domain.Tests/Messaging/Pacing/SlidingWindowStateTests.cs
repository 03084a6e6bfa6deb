using PushGov.Domain.Messaging.Pacing;

namespace PushGov.Domain.Tests.Messaging.Pacing;

public class SlidingWindowStateTests
{
    private static readonly DateTimeOffset TenAm = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(9));

    [Fact]
    public void The_state_survives_a_round_trip_through_its_compact_text()
    {
        long first = TenAm.ToUnixTimeMilliseconds();
        var state = new SlidingWindowState([first, first + 1000, first + 2500], new DateOnly(2026, 11, 23), 3);

        var compact = state.ToCompactString();
        var back = SlidingWindowState.Parse(compact);

        Assert.Equal($"v1|2026-11-23|3|{first},1000,1500", compact);
        Assert.Equal(state.RecentUnixMs, back.RecentUnixMs);
        Assert.Equal(state.Day, back.Day);
        Assert.Equal(state.DayCount, back.DayCount);
    }

    [Fact]
    public void Text_of_another_format_is_refused() =>
        Assert.Throws<FormatException>(() => SlidingWindowState.Parse("v0|||"));
}
