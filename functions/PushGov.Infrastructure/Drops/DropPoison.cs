using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Drops;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Drops;

/// <summary>
/// Drops whose ingestion failed every try: the Functions host (and the local host) moves such a blob to
/// <c>webjobs-blobtrigger-poison</c> after 5 tries and never tries it again. Each one gets a report that says so, in the
/// place of the drop's report, which the API, the drops list and the staff portal read: staff see the failure with its
/// reason and know to upload the file again. A finished report (the drop was ingested after all) is kept. Drained by the
/// <c>Sweep</c> timer.
/// </summary>
public sealed class DropPoison(StorageClients storage, ILogger<DropPoison> logger)
{
    public const string Reason = "Ingestion failed on every try (5); nothing of this drop was applied. Upload the same file again to retry; if it fails again, tell the vendor (the app's log has the error).";

    /// <summary>Reports every poisoned drop; returns how many poison messages were handled.</summary>
    public Task<int> DrainAsync(CancellationToken ct) =>
        QueueDrain.DrainAsync(storage.Queue(StorageNames.Queues.BlobPoison), async text =>
        {
            if (BlobNameOf(text) is not { } blobName)
            {
                logger.LogWarning("A blob poison message that names no drop was dropped");
                return;
            }

            var report = storage.Container(StorageNames.Containers.DropReports).GetBlobClient(DropPath.SafeReportName(blobName));
            if (await report.ExistsAsync(ct) && DropReport.FromJson((await report.DownloadContentAsync(ct)).Value.Content.ToString()).Progress is null)
            {
                return; // finished: the drop was ingested after all
            }

            await report.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(new DropReport { RejectedWhole = Reason }.ToJson())), overwrite: true, ct);
            logger.LogWarning("Drop {Blob} failed on every try: reported for staff", DropPath.SafeReportName(blobName));
        }, ct);

    /// <summary>The drop's blob name (tenant/dataset/file) of a poison message in the host's format, as JSON or Base64 JSON; null when it is not a drop's.</summary>
    public static string? BlobNameOf(string text)
    {
        var json = text.TrimStart().StartsWith('{') ? text : Decode(text);
        if (json is null)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("ContainerName", out var container) && container.GetString() == StorageNames.Containers.Drops
                && root.TryGetProperty("BlobName", out var blob) && blob.GetString() is { Length: > 0 } name
                ? name
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Decode(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text.Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
