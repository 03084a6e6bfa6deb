using Microsoft.DurableTask.Client;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Applications;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Sending;

namespace PushGov.Functions.Handlers;

/// <summary>
/// Sending: <c>SendMessage</c> (queue trigger on <c>send</c>) sends one message through its provider; <c>Sweep</c> (every
/// minute) re-queues messages stuck after a crash (<see cref="SendingOptions.StuckAfter"/>) and drains the poison queues:
/// <c>send-poison</c>, so a message whose sending failed every retry becomes a technical failure its case is told about
/// (a failure on every channel goes to staff), and <c>webjobs-blobtrigger-poison</c>, so a drop whose ingestion failed
/// every try gets a report that says so on the staff's drops list (<see cref="DropPoison"/>); and it escalates to staff
/// every case whose orchestration failed, restarting it from the escalated state (<see cref="FailedCases"/>); and it
/// finishes one-step application hand-overs a crash interrupted (<see cref="ApplicationHandOver"/>).
/// </summary>
public sealed class SendFunctions(SendWorker worker, SendingOptions options, DropPoison drops, DurableCases cases, FailedCases failedCases, ApplicationHandOver applications, ILogger<SendFunctions> logger)
{
    [Function("SendMessage")]
    public Task SendAsync([QueueTrigger("send", Connection = "AzureWebJobsStorage")] string message, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        cases.Use(client);
        SendQueueMessage queued;
        try
        {
            queued = SendQueueMessage.Parse(message);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            // Retrying cannot help: logged and acknowledged.
            logger.LogWarning("A send message that is not understood was dropped: {Error}", e.Message);
            return Task.CompletedTask;
        }

        return worker.HandleAsync(queued, context.CancellationToken);
    }

    [Function("Sweep")]
    public async Task SweepAsync([TimerTrigger("0 */1 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        cases.Use(client);
        var stuck = await worker.SweepStuckAsync(options.StuckAfter, context.CancellationToken);
        var poisoned = await worker.DrainPoisonAsync(context.CancellationToken);
        var failedDrops = await drops.DrainAsync(context.CancellationToken);
        var failed = await failedCases.EscalateAsync(client, context.CancellationToken);
        var handedOver = await applications.FinishInterruptedAsync(cases, ApplicationHandOver.FinishAfter, context.CancellationToken);
        if (stuck + poisoned + failedDrops + failed + handedOver > 0)
        {
            logger.LogInformation("Sweep: {Stuck} stuck messages re-queued, {Poisoned} poison messages drained to their cases, {FailedDrops} failed drops reported, {FailedCases} failed case orchestrations escalated, {HandedOver} interrupted application hand-overs finished", stuck, poisoned, failedDrops, failed, handedOver);
        }
    }
}
