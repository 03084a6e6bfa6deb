using PushGov.Functions.CustomHandler;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Messaging;

namespace PushGov.Functions.Handlers;

/// <summary><c>AdvanceCase</c>: queue trigger on <c>case-steps</c>; runs one step of a case.</summary>
public sealed class AdvanceCaseFunction(CaseEngine engine) : IFunction
{
    public string Name => "AdvanceCase";

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken ct)
    {
        var message = Parse(request, "message", CaseStepMessage.Parse);
        await engine.HandleAsync(message, ct);
        return new InvocationResponse();
    }

    internal static T Parse<T>(InvocationRequest request, string binding, Func<string, T> parse)
    {
        var text = request.DataText(binding) ?? throw new PermanentInvocationException($"The '{binding}' binding is missing.");
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw new PermanentInvocationException($"The queue message is not understood: {e.Message}");
        }
    }
}

/// <summary><c>SendMessage</c>: queue trigger on <c>send</c>; sends one message through its provider.</summary>
public sealed class SendMessageFunction(SendWorker worker) : IFunction
{
    public string Name => "SendMessage";

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken ct)
    {
        await worker.HandleAsync(AdvanceCaseFunction.Parse(request, "message", SendQueueMessage.Parse), ct);
        return new InvocationResponse();
    }
}

/// <summary>
/// <c>Sweep</c>: timer trigger (every minute). Moves long timers into the queue's reach, re-sends messages stuck
/// after a crash, finishes outboxes a crash left on a case, and drains the poison queues into the staff list.
/// </summary>
public sealed class SweepFunction(CaseEngine engine, CaseStore cases, SendWorker sender, TimeProvider clock, ILogger<SweepFunction> logger) : IFunction
{
    public string Name => "Sweep";

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken ct)
    {
        var timers = await engine.SweepTimersAsync(ct);
        var stuck = await sender.SweepStuckAsync(TimeSpan.FromMinutes(10), ct);
        var poisoned = await engine.DrainPoisonAsync(ct) + await sender.DrainPoisonAsync(ct);
        var outboxes = 0;
        await foreach (var (tenant, caseId) in cases.WithStaleOutboxAsync(clock.GetUtcNow().AddMinutes(-2), ct))
        {
            await engine.FinishOutboxAsync(tenant, caseId, ct);
            outboxes++;
        }

        if (timers + stuck + outboxes + poisoned > 0)
        {
            logger.LogInformation("Sweep: {Timers} timers queued, {Stuck} stuck messages re-queued, {Outboxes} outboxes finished, {Poisoned} poison messages drained to staff", timers, stuck, outboxes, poisoned);
        }

        return new InvocationResponse { Logs = [$"timers={timers} stuck={stuck} outboxes={outboxes} poisoned={poisoned}"] };
    }
}
