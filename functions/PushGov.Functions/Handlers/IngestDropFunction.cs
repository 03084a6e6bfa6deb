using PushGov.Functions.CustomHandler;
using PushGov.Infrastructure.Drops;

namespace PushGov.Functions.Handlers;

/// <summary>
/// <c>IngestDrop</c>: blob trigger on <c>drops/{tenant}/{dataset}/{name}</c>. The drop is streamed from storage by its
/// path (<c>BlobTrigger</c> in the metadata), not taken from the payload: drops can be gigabytes.
/// A drop with a bad path or content is reported next to it and the invocation succeeds (retrying would not help);
/// storage failures propagate, so the host retries (5 tries, then the blob poison queue).
/// </summary>
public sealed class IngestDropFunction(DropIngestor ingestor) : IFunction
{
    public string Name => "IngestDrop";

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken ct)
    {
        var path = request.MetadataText("BlobTrigger") ?? throw new PermanentInvocationException("The invocation has no BlobTrigger path.");
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var blobName = slash >= 0 && path[..slash] == Infrastructure.Storage.StorageNames.Containers.Drops ? path[(slash + 1)..] : path;
        var result = await ingestor.IngestAsync(blobName, ct);
        var summary = result.Report.RejectedWhole is { } reason
            ? $"rejected: {reason}"
            : $"{result.Report.Accepted}/{result.Report.RowsRead} rows accepted, {result.Events.Count} events{(result.Duplicate ? " (duplicate drop, nothing changed)" : string.Empty)}";
        return new InvocationResponse { Logs = [summary], ReturnValue = new { result.Report.Accepted, result.Report.RowsRead, Events = result.Events.Count, result.Duplicate } };
    }
}
