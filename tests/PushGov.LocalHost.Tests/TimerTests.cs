using PushGov.LocalHost.SampleApp;
using PushGov.Testing;

namespace PushGov.LocalHost.Tests;

[Collection("Azurite")]
public sealed class TimerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_timer_runs_on_its_schedule_and_of_two_host_instances_only_one_runs_each_occurrence_until_it_stops()
    {
        var (one, two) = (new Probe(), new Probe());
        var hostId = AzuriteFixture.Unique("h");
        var settings = new Dictionary<string, string?> { ["TickSchedule"] = "*/1 * * * * *" };
        var first = await SampleHost.StartAsync(azurite, one, ["Tick"], settings, hostId);
        await using var second = await SampleHost.StartAsync(azurite, two, ["Tick"], settings, hostId);
        try
        {
            await Wait.Eventually(() => Task.FromResult(one.Events.Count + two.Events.Count), n => n >= 4, "four ticks", TimeSpan.FromSeconds(30));
            Assert.True(one.Events.IsEmpty || two.Events.IsEmpty, "Both instances ran the timer at once.");
            var (holder, other) = one.Events.IsEmpty ? (second, one) : (first, two);
            await holder.StopAsync();
            var before = other.Events.Count;
            await Wait.Eventually(() => Task.FromResult(other.Events.Count), n => n >= before + 2, "the other instance's ticks", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await first.DisposeAsync();
        }

        var occurrences = one.Events.Concat(two.Events).Select(e => e.Split(' ')[1]).ToList();
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count());
    }
}
