using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost.SampleApp;

public sealed record WorkItem(string Id, int Amount);

/// <summary>Queue-triggered functions; queue names come from settings so each test has its own.</summary>
public sealed class QueueFunctions(Probe probe)
{
    [Function("Work")]
    public void Work([QueueTrigger("%WorkQueue%")] WorkItem item, long dequeueCount, string id, FunctionContext context)
    {
        context.GetLogger("Work").LogInformation("Work item {Id}", item.Id);
        probe.Record($"work {item.Id} {item.Amount} {dequeueCount} {!string.IsNullOrEmpty(id)}");
    }

    [Function("Slow")]
    public async Task SlowAsync([QueueTrigger("%SlowQueue%")] string message, CancellationToken cancellationToken)
    {
        probe.Record($"slow start {message}");
        await probe.Gate.Task.WaitAsync(cancellationToken);
        probe.Record($"slow done {message}");
    }

    [Function("AlwaysFails")]
    public void AlwaysFails([QueueTrigger("%FailingQueue%")] string message, long dequeueCount)
    {
        probe.Record($"fail {message} {dequeueCount}");
        throw new InvalidOperationException("This function always fails.");
    }
}
