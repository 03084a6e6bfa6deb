using Azure.Storage.Queues;
using PushGov.LocalHost.SampleApp;
using PushGov.Testing;

namespace PushGov.LocalHost.Tests;

[Collection("Azurite")]
public sealed class QueueTests(AzuriteFixture azurite)
{
    /// <summary>The queue as a producer sees it: created by the producer, since the host's listener may not have created it yet.</summary>
    private async Task<QueueClient> QueueAsync(string name)
    {
        var queue = new QueueClient(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    [Fact]
    public async Task A_queue_message_binds_as_a_json_poco_with_its_dequeue_count_and_id_and_is_deleted_once_done()
    {
        var probe = new Probe();
        var name = AzuriteFixture.Unique("work");
        await using var host = await SampleHost.StartAsync(azurite, probe, ["Work"], new Dictionary<string, string?> { ["WorkQueue"] = name }, AzuriteFixture.Unique("h"));
        var queue = await QueueAsync(name);

        await queue.SendMessageAsync("""{"id":"a1","amount":3}""");
        await queue.SendMessageAsync("""{"id":"a2","amount":4}""");

        var events = await Eventually.Events(probe, e => e.Length == 2, "both messages");
        Assert.Equal(["work a1 3 1 True", "work a2 4 1 True"], events.Order(StringComparer.Ordinal));
        await Wait.Eventually(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, n => n == 0, "an empty queue", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Stopping_waits_for_a_running_invocation_which_then_completes_its_message()
    {
        var probe = new Probe();
        var name = AzuriteFixture.Unique("slow");
        await using var host = await SampleHost.StartAsync(azurite, probe, ["Slow"], new Dictionary<string, string?> { ["SlowQueue"] = name }, AzuriteFixture.Unique("h"));
        var queue = await QueueAsync(name);
        await queue.SendMessageAsync("m1");
        await Eventually.Events(probe, e => e.Contains("slow start m1"), "the invocation to start");

        var stopping = host.StopAsync();
        Assert.False(stopping.IsCompleted);
        probe.Gate.SetResult();
        await stopping;

        Assert.Contains("slow done m1", probe.Events);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Stopping_cancels_an_invocation_that_outlasts_the_drain_timeout_and_its_message_stays_queued()
    {
        var probe = new Probe();
        var name = AzuriteFixture.Unique("slow");
        await using var host = await SampleHost.StartAsync(
            azurite, probe, ["Slow"], new Dictionary<string, string?> { ["SlowQueue"] = name }, AzuriteFixture.Unique("h"), TimeSpan.FromMilliseconds(500));
        var queue = await QueueAsync(name);
        await queue.SendMessageAsync("m1");
        await Eventually.Events(probe, e => e.Contains("slow start m1"), "the invocation to start");

        await host.StopAsync();

        Assert.DoesNotContain("slow done m1", probe.Events);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task A_message_whose_function_fails_max_dequeue_count_times_moves_to_the_poison_queue()
    {
        var probe = new Probe();
        var name = AzuriteFixture.Unique("fail");
        await using var host = await SampleHost.StartAsync(azurite, probe, ["AlwaysFails"], new Dictionary<string, string?> { ["FailingQueue"] = name }, AzuriteFixture.Unique("h"));

        await (await QueueAsync(name)).SendMessageAsync("doomed");

        var poison = await QueueAsync(name + "-poison");
        var moved = await Wait.Eventually(
            async () => await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(10)).Value : [],
            m => m.Length > 0, "the poison message", TimeSpan.FromSeconds(60));
        Assert.Equal("doomed", Assert.Single(moved).Body.ToString());
        Assert.Equal(["fail doomed 1", "fail doomed 2", "fail doomed 3", "fail doomed 4", "fail doomed 5"], probe.Events);
        Assert.Equal(0, (await (await QueueAsync(name)).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
