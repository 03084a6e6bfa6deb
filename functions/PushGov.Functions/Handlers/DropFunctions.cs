using Microsoft.DurableTask.Client;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Drops;

namespace PushGov.Functions.Handlers;

/// <summary>
/// <c>IngestDrop</c>: blob trigger on <c>drops/{tenant}/{dataset}/{name}</c> (Event Grid source, as Flex Consumption
/// requires). The drop is read as a stream (never whole in memory) and one case orchestration is started per detected
/// event. A drop with a bad path or content is reported next to it and the invocation succeeds (retrying would not help);
/// storage failures propagate, so the host retries (5 tries, then <c>webjobs-blobtrigger-poison</c>).
/// </summary>
public sealed class DropFunctions(DropIngestor ingestor, DurableCases cases, ILogger<DropFunctions> logger)
{
    [Function("IngestDrop")]
    public async Task IngestAsync(
        [BlobTrigger("drops/{tenant}/{dataset}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] Stream drop,
        string tenant,
        string dataset,
        string name,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        cases.Use(client);
        var result = await ingestor.IngestAsync($"{tenant}/{dataset}/{name}", drop, context.CancellationToken);
        if (result.Report.RejectedWhole is { } reason)
        {
            logger.LogWarning("Drop rejected: {Reason}", reason);
        }
        else
        {
            logger.LogInformation("Drop: {Accepted}/{Read} rows accepted, {Events} events{Duplicate}", result.Report.Accepted, result.Report.RowsRead, result.Events.Count, result.Duplicate ? " (duplicate drop, nothing changed)" : string.Empty);
        }
    }
}
