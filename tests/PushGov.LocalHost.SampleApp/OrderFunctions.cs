using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace PushGov.LocalHost.SampleApp;

/// <summary>The state an order workflow carries from one round to the next (ContinueAsNew).</summary>
public sealed record OrderState(string OrderId, int Round, int WaitSeconds, IReadOnlyList<string> Reserved);

/// <summary>What starts an order workflow from a queue.</summary>
public sealed record OrderRequest(string OrderId, int WaitSeconds);

/// <summary>
/// A durable workflow: two rounds of an activity joined by ContinueAsNew, then an approval event or a durable timer,
/// whichever comes first. Started from HTTP or from a queue through [DurableClient].
/// </summary>
public sealed class OrderFunctions(Probe probe)
{
    public const string Workflow = "OrderWorkflow";

    [Function("StartOrder")]
    public static async Task<IResult> StartOrderAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{orderId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client, string orderId)
    {
        var waitSeconds = int.TryParse(request.Query["wait"], out var seconds) ? seconds : 300;
        var id = await client.ScheduleNewOrchestrationInstanceAsync(
            Workflow, new OrderState(orderId, 0, waitSeconds, []), new StartOrchestrationOptions(orderId));
        return Results.Accepted($"/api/orders/{id}", new { id });
    }

    [Function("OrderStatus")]
    public static async Task<IResult> OrderStatusAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/{orderId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client, string orderId)
    {
        var instance = await client.GetInstanceAsync(orderId, getInputsAndOutputs: true);
        return instance is null
            ? Results.NotFound()
            : Results.Ok(new { status = instance.RuntimeStatus.ToString(), output = instance.SerializedOutput });
    }

    [Function("QueueOrder")]
    public static async Task QueueOrderAsync([QueueTrigger("%OrderQueue%")] OrderRequest order, [DurableClient] DurableTaskClient client)
    {
        await client.ScheduleNewOrchestrationInstanceAsync(
            Workflow, new OrderState(order.OrderId, 0, order.WaitSeconds, []), new StartOrchestrationOptions(order.OrderId));
    }

    [Function(Workflow)]
    public static async Task<string> RunWorkflowAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var state = context.GetInput<OrderState>()!;
        var reserved = await context.CallActivityAsync<string>("ReserveStock", state.OrderId + "#" + state.Round);
        state = state with { Round = state.Round + 1, Reserved = [.. state.Reserved, reserved] };
        if (state.Round < 2)
        {
            context.ContinueAsNew(state);
            return "continued";
        }

        using var cancel = new CancellationTokenSource();
        var approval = context.WaitForExternalEvent<string>("Approve", cancel.Token);
        var timeout = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(state.WaitSeconds), cancel.Token);
        var first = await Task.WhenAny(approval, timeout);
        cancel.Cancel();
        var outcome = first == approval ? "approved by " + approval.Result : "timed out";
        return string.Join(",", state.Reserved) + " " + outcome;
    }

    /// <summary>An orchestration whose one activity holds until the test opens the probe's gate.</summary>
    [Function("HoldWorkflow")]
    public static Task<string> RunHoldWorkflowAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        context.CallActivityAsync<string>("HoldStock", context.InstanceId);

    [Function("HoldStock")]
    public async Task<string> HoldStockAsync([ActivityTrigger] string instanceId)
    {
        probe.Record($"hold {instanceId}");
        await probe.Gate.Task;
        return instanceId;
    }

    [Function("ReserveStock")]
    public string ReserveStock([ActivityTrigger] string line, FunctionContext context)
    {
        probe.Record($"reserve {line}");
        return $"{line}@{context.InvocationId.Length > 0}";
    }
}
