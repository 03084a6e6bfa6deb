using System.Globalization;
using PushGov.Drills;
using Xunit.Abstractions;

namespace PushGov.Functions.Tests.Crash;

/// <summary>
/// The small, seeded versions of the reliability drills (drills/PushGov.Drills, docs/reliability.md): the local host as a
/// child process on an Azurite of the drill's own, sending for real to the fake ACS and domestic SMS provider. The seed is
/// printed; <c>PUSHGOV_CRASH_SEED</c> replays one. A failure lists every loss, duplicate or difference the drill found.
/// </summary>
public sealed class DrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_host_process_three_times_during_a_drop_ends_like_a_clean_run_with_every_message_taken_once()
    {
        var result = await RunAsync(KillDrill.RunAsync, rows: 300, kills: 3);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task Killing_the_host_process_between_the_chunks_of_a_first_load_ends_with_the_same_residents_as_a_clean_first_load()
    {
        var result = await RunAsync(FirstLoadKillDrill.RunAsync, rows: 300, kills: 2);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task A_drop_uploaded_three_times_and_under_another_name_makes_one_set_of_cases_and_messages()
    {
        var result = await RunAsync(RepeatDrill.RunAsync, rows: 20, kills: 0);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task Malformed_drops_beside_good_ones_are_each_reported_with_their_reason_and_the_good_work_ends_as_it_should()
    {
        var result = await RunAsync(BadDropsDrill.RunAsync, rows: 10, kills: 0);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task Flaky_providers_neither_lose_nor_repeat_a_message_and_the_sends_they_always_refuse_end_on_the_staff_list()
    {
        var result = await RunAsync(FlakyProviderDrill.RunAsync, rows: 15, kills: 0);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task Storage_stopped_for_20_seconds_during_a_drop_and_started_again_ends_like_a_clean_run_without_touching_the_host()
    {
        var result = await RunAsync(StorageRestartDrill.RunAsync, rows: 10, kills: 0);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
    }

    private async Task<DrillResult> RunAsync(Func<DrillOptions, TextWriter, CancellationToken, Task<DrillResult>> drill, int rows, int kills)
    {
        var seed = Environment.GetEnvironmentVariable("PUSHGOV_CRASH_SEED") is { Length: > 0 } given ? int.Parse(given, CultureInfo.InvariantCulture) : Random.Shared.Next(1, 1_000_000);
        output.WriteLine($"seed {seed} (PUSHGOV_CRASH_SEED={seed} replays it)");
        var log = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            var result = await drill(new DrillOptions(rows, kills, seed, $"test, seed {seed}", HugeMegabytes: 8), log, CancellationToken.None);
            output.WriteLine(string.Join("\n", result.Figures));
            return result;
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
    }
}
