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
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var orderId = AzuriteFixture.Unique("order");

        await queue.SendMessageAsync($$"""{"orderId":"{{orderId}}","waitSeconds":2}""");
        await queue.SendMessageAsync($$"""{"orderId":"{{orderId}}","waitSeconds":2}""");
        await Eventually.Until(() => client.GetInstanceAsync(orderId), i => i is not null, TimeSpan.FromSeconds(30), "the instance");
        var again = await client.ScheduleNewOrchestrationInstanceAsync(OrderFunctions.Workflow, new OrderState(orderId, 0, 2, []), new StartOrchestrationOptions(orderId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(orderId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(orderId, again);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal($"{orderId}#0@True,{orderId}#1@True timed out", done.ReadOutputAs<string>());
        Assert.Equal(2, probe.Events.Count(e => e.StartsWith($"reserve {orderId}#", StringComparison.Ordinal)));
    }
}
