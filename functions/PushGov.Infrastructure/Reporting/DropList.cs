using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using PushGov.Domain.Drops;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Reporting;

/// <summary>A rejection reason of a drop and how many listed rows gave it.</summary>
public sealed record ReasonCount(string Reason, long Rows);

/// <summary>
/// One drop a tenant placed: where it is, when it arrived, and what its report says (null fields while it waits for
/// ingest). <see cref="TopReasons"/> groups the listed rejected rows by reason (no personal data: reasons never hold any).
/// </summary>
public sealed record DropSummary(
    string Dataset,
    string Name,
    DateTimeOffset ReceivedAt,
    long Bytes,
    string? UploadedBy,
    bool Reported,
    long? RowsRead,
    long? Accepted,
    long? RejectedCount,
    long? WarningCount,
    string? RejectedWhole,
    int? Events,
    IReadOnlyList<ReasonCount> TopReasons);

/// <summary>
/// The drops of one tenant in a time range, newest first, each with its report: the blobs under
/// <c>drops/{tenant}/</c> (never another tenant's prefix), their reports in <c>drop-reports</c> and the events each
/// ingest started (table <c>drops</c>, the tenant's partition).
/// </summary>
public sealed class DropList(StorageClients storage)
{
    /// <summary>The most drops one listing returns (the newest).</summary>
    public const int MaxDrops = 500;

    private const int MaxReasons = 10;

    public async Task<IReadOnlyList<DropSummary>> ListAsync(string tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        var blobs = new List<BlobItem>();
        await foreach (var blob in storage.Container(StorageNames.Containers.Drops).GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, tenant + "/", ct))
        {
            var at = blob.Properties.CreatedOn ?? blob.Properties.LastModified ?? DateTimeOffset.MinValue;
            if (at >= from && at < to)
            {
                blobs.Add(blob);
            }
        }

        var newest = blobs.OrderByDescending(b => b.Properties.CreatedOn).Take(MaxDrops).ToList();
        var events = await EventsByBlobAsync(tenant, ct);
        var reports = storage.Container(StorageNames.Containers.DropReports);
        var summaries = new DropSummary?[newest.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, newest.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var blob = newest[i];
            var parts = blob.Name.Split('/');
            if (parts.Length != 3)
            {
                return;
            }

            DropReport? report = null;
            try
            {
                var content = await reports.GetBlobClient(blob.Name + ".report.json").DownloadContentAsync(token);
                report = DropReport.FromJson(content.Value.Content.ToString());
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }

            summaries[i] = new DropSummary(
                parts[1],
                parts[2],
                blob.Properties.CreatedOn ?? DateTimeOffset.MinValue,
                blob.Properties.ContentLength ?? 0,
                blob.Metadata.TryGetValue("uploadedby", out var by) ? by : null,
                report is not null,
                report?.RowsRead,
                report?.Accepted,
                report?.RejectedCount,
                report?.WarningCount,
                report?.RejectedWhole,
                events.TryGetValue(blob.Name, out var n) ? n : null,
                report is null ? [] : report.Rejected.GroupBy(r => r.Column is null ? r.Message : $"{r.Column}: {r.Message}")
                    .Select(g => new ReasonCount(g.Key, g.LongCount())).OrderByDescending(r => r.Rows).ThenBy(r => r.Reason, StringComparer.Ordinal).Take(MaxReasons).ToList());
        });
        return summaries.OfType<DropSummary>().ToList();
    }

    /// <summary>Events each completed ingest started, by blob name (one partition read).</summary>
    private async Task<Dictionary<string, int>> EventsByBlobAsync(string tenant, CancellationToken ct)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var table = storage.Table(StorageNames.Tables.Drops);
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), select: ["Blob", "Events", "Status"], cancellationToken: ct))
        {
            if (e.GetString("Status") == "completed" && e.GetString("Blob") is { } blob && e.GetInt32("Events") is { } n)
            {
                map[blob] = n;
            }
        }

        return map;
    }
}
