using PushGov.Testing;

namespace PushGov.Infrastructure.Tests.Testing;

public sealed class WaitTests
{
    [Fact]
    public async Task Eventually_returns_once_the_condition_holds()
    {
        var polls = 0;

        await Wait.Eventually(() => Task.FromResult(++polls == 3), "the third poll");

        Assert.Equal(3, polls);
    }

    [Fact]
    public async Task Eventually_fails_at_the_deadline_saying_what_it_waited_for()
    {
        var e = await Assert.ThrowsAsync<TimeoutException>(() => Wait.Eventually(() => Task.FromResult(false), "the impossible", TimeSpan.FromMilliseconds(300)));

        Assert.Contains("for the impossible", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consistently_fails_as_soon_as_the_condition_stops_holding()
    {
        var polls = 0;

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.Consistently(() => Task.FromResult(++polls < 3), "quiet", TimeSpan.FromSeconds(30)));

        Assert.Equal(3, polls);
        Assert.Contains("Expected quiet to hold", e.Message, StringComparison.Ordinal);
    }
}
