using System.Net;
using Azure.Storage.Queues;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using PushGov.LocalHost.SampleApp;
using PushGov.Testing;

namespace PushGov.LocalHost.Tests;

[Collection("Azurite")]
public sealed class DurableTests(AzuriteFixture azurite)
{
    private static readonly string[] Functions = ["StartOrder", "OrderStatus", "QueueOrder", OrderFunctions.Workflow, "ReserveStock"];

    private Dictionary<string, string?> Settings(string queue) => new()
    {
        ["OrderQueue"] = queue,
        ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = AzuriteFixture.Unique("hub"),
    };

    [Fact]
    public async Task An_orchestration_started_over_http_runs_its_activities_across_continue_as_new_and_waits_for_an_external_event()
    {
        var probe = new Probe();
        await using var host = await SampleHost.StartAsync(azurite, probe, Functions, Settings(AzuriteFixture.Unique("q")), AzuriteFixture.Unique("h"));
        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var orderId = AzuriteFixture.Unique("order");

        using var started = await http.PostAsync($"/api/orders/{orderId}", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await Eventually.Events(probe, e => e.Contains($"reserve {orderId}#1"), "the second round's activity");
        await client.RaiseEventAsync(orderId, "Approve", "hanako");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(orderId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal($"{orderId}#0@True,{orderId}#1@True approved by hanako", done.ReadOutputAs<string>());
        using var status = await http.GetAsync($"/api/orders/{orderId}");
        Assert.Contains("Completed", await status.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_orchestration_started_from_a_queue_ends_on_its_durable_timer_and_starting_it_twice_is_harmless()
    {
        var probe = new Probe();
        var queueName = AzuriteFixture.Unique("q");
        await using var host = await SampleHost.StartAsync(azurite, probe, Functions, Settings(queueName), AzuriteFixture.Unique("h"));
        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var orderId = AzuriteFixture.Unique("order");

        await queue.SendMessageAsync($$"""{"orderId":"{{orderId}}","waitSeconds":2}""");
        await queue.SendMessageAsync($$"""{"orderId":"{{orderId}}","waitSeconds":2}""");
        await Wait.Eventually(() => client.GetInstanceAsync(orderId), i => i is not null, "the instance", TimeSpan.FromSeconds(30));
        var again = await client.ScheduleNewOrchestrationInstanceAsync(OrderFunctions.Workflow, new OrderState(orderId, 0, 2, []), new StartOrchestrationOptions(orderId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(orderId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(orderId, again);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal($"{orderId}#0@True,{orderId}#1@True timed out", done.ReadOutputAs<string>());
        Assert.Equal(2, probe.Events.Count(e => e.StartsWith($"reserve {orderId}#", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_durable_client_terminates_queries_by_status_and_purges_instances()
    {
        await using var host = await SampleHost.StartAsync(azurite, new Probe(), Functions, Settings(AzuriteFixture.Unique("q")), AzuriteFixture.Unique("h"));
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var (waiting, finished) = (AzuriteFixture.Unique("order"), AzuriteFixture.Unique("order"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await client.ScheduleNewOrchestrationInstanceAsync(OrderFunctions.Workflow, new OrderState(waiting, 0, 300, []), new StartOrchestrationOptions(waiting));
        await client.ScheduleNewOrchestrationInstanceAsync(OrderFunctions.Workflow, new OrderState(finished, 0, 1, []), new StartOrchestrationOptions(finished));
        await client.WaitForInstanceCompletionAsync(finished, timeout.Token);
        await client.WaitForInstanceStartAsync(waiting, timeout.Token);
        await client.TerminateInstanceAsync(waiting, "stopped by a test", timeout.Token);
        var terminated = await client.WaitForInstanceCompletionAsync(waiting, getInputsAndOutputs: true, timeout.Token);
        var completed = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery(Statuses: [OrchestrationRuntimeStatus.Completed])))
        {
            completed.Add(instance.InstanceId);
        }

        var purged = await client.PurgeInstanceAsync(finished, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);
        Assert.Equal("stopped by a test", terminated.ReadOutputAs<string>());
        Assert.Contains(finished, completed);
        Assert.DoesNotContain(waiting, completed);
        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync(finished));
    }

    [Fact]
    public async Task Two_host_instances_on_one_task_hub_share_the_orchestration_work_and_finish_every_instance()
    {
        var (one, two) = (new Probe(), new Probe());
        // One activity at a time per instance: while one instance holds an activity, the other must take the next.
        var settings = new Dictionary<string, string?>(Settings(AzuriteFixture.Unique("q")))
        {
            ["AzureFunctionsJobHost:extensions:durableTask:maxConcurrentActivityFunctions"] = "1",
        };
        var hostId = AzuriteFixture.Unique("h");
        string[] functions = ["HoldWorkflow", "HoldStock"];
        await using var first = await SampleHost.StartAsync(azurite, one, functions, settings, hostId);
        await using var second = await SampleHost.StartAsync(azurite, two, functions, settings, hostId);
        var client = first.Services.GetRequiredService<DurableTaskClient>();

        var ids = new[] { AzuriteFixture.Unique("hold"), AzuriteFixture.Unique("hold") };
        foreach (var id in ids)
        {
            await client.ScheduleNewOrchestrationInstanceAsync("HoldWorkflow", null, new StartOrchestrationOptions(id));
        }

        await Wait.Eventually(() => Task.FromResult((one.Events.Count, two.Events.Count)), n => n.Item1 == 1 && n.Item2 == 1, "one held activity on each instance", TimeSpan.FromSeconds(60));
        one.Gate.SetResult();
        two.Gate.SetResult();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var id in ids)
        {
            var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            Assert.Equal(id, done.ReadOutputAs<string>());
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), one.Events.Concat(two.Events).Select(e => e.Split(' ')[1]).Order(StringComparer.Ordinal));
    }
}
