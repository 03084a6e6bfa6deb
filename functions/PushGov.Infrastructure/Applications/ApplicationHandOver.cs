using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using PushGov.Domain.Applications;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Applications;

/// <summary>What handing an application over came to: the application as handed over, and whether this call created it.</summary>
public sealed record HandOver(OneStepApplication Application, bool Created);

/// <summary>
/// Hands one-step applications (申請不要) to the back office in container <see cref="StorageNames.Containers.Applications"/>
/// (format: <see cref="ApplicationFiles"/>). Each step can be repeated after a crash or a second confirmation and comes to
/// the same end:
/// <list type="number">
/// <item>The claim: a row in table <see cref="StorageNames.Tables.Applications"/> keyed by the application id (tenant,
/// case and service), added only if absent. The first confirmation's document wins; a later one gets it back, with its
/// day, so the application lands in one file whatever day it is confirmed again.</item>
/// <item>The JSON file, written only if absent (<c>If-None-Match: *</c>), with the claimed document.</item>
/// <item>The day's CSV, rebuilt (<see cref="RebuildCsvAsync"/>).</item>
/// </list>
/// </summary>
public sealed class ApplicationHandOver(StorageClients storage)
{
    private const int MaxCsvAttempts = 20;

    private TableClient Claims => storage.Table(StorageNames.Tables.Applications);

    private Azure.Storage.Blobs.BlobContainerClient Container => storage.Container(StorageNames.Containers.Applications);

    /// <summary>The application already handed over for this id, or null.</summary>
    public async Task<OneStepApplication?> FindAsync(string tenant, string applicationId, CancellationToken ct)
    {
        var row = await Claims.GetEntityIfExistsAsync<TableEntity>(tenant, applicationId, cancellationToken: ct);
        return row.HasValue ? EntityPayload.Read<OneStepApplication>(row.Value!, "A") : null;
    }

    /// <summary>Hands <paramref name="candidate"/> over, or the application first handed over under its id.</summary>
    public async Task<HandOver> HandOverAsync(OneStepApplication candidate, CancellationToken ct)
    {
        var claim = new TableEntity(candidate.Tenant, candidate.ApplicationId);
        EntityPayload.Write(claim, "A", candidate);
        var created = true;
        try
        {
            await Claims.AddEntityAsync(claim, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            created = false;
        }

        var application = created ? candidate : await FindAsync(candidate.Tenant, candidate.ApplicationId, ct) ?? throw new InvalidOperationException($"Application {candidate.ApplicationId} was claimed but cannot be read.");
        try
        {
            await Container.GetBlobClient(ApplicationFiles.JsonName(application)).UploadAsync(
                BinaryData.FromBytes(ApplicationFiles.Json(application)),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Written by an earlier confirmation: the file is never rewritten.
        }

        await RebuildCsvAsync(application.Tenant, application.ServiceId, application.HandedOverOn, ct);
        return new HandOver(application, created);
    }

    /// <summary>
    /// Rebuilds the day's CSV of a service from that day's JSON files, after every hand-over (a first or a repeated one).
    /// <para>
    /// Why rebuilt rather than appended: the rows are then a function of the files, so a row is never lost (an
    /// application whose CSV step crashed is added by the next hand-over of that day, or by repeating the confirmation)
    /// nor duplicated (a repeated confirmation rebuilds the same rows). Concurrent rebuilds are ordered by the CSV's
    /// ETag, read before the files are listed: a write succeeds only if no other write came between, and the loser
    /// lists again. So the last successful write listed the files after every earlier write, and each file was written
    /// before its own rebuild listed: the CSV holds every file. The cost is one listing and one read per application
    /// of the day and service, on every confirmation: small for a day's 児童手当 or 妊婦 applications of one municipality,
    /// quadratic over a day with thousands (a 非課税世帯 payment campaign), where the batch should be built once by a timer
    /// from the same files instead.
    /// </para>
    /// </summary>
    public async Task RebuildCsvAsync(string tenant, string serviceId, DateOnly day, CancellationToken ct)
    {
        var csv = Container.GetBlobClient(ApplicationFiles.CsvName(tenant, serviceId, day));
        for (var attempt = 1; ; attempt++)
        {
            ETag? etag;
            try
            {
                etag = (await csv.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                etag = null;
            }

            var applications = new List<OneStepApplication>();
            await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, ApplicationFiles.DayPrefix(tenant, serviceId, day), ct))
            {
                var content = await Container.GetBlobClient(blob.Name).DownloadContentAsync(ct);
                applications.Add(ApplicationFiles.Read(content.Value.Content.ToMemory().Span));
            }

            try
            {
                await csv.UploadAsync(
                    BinaryData.FromBytes(ApplicationFiles.Csv(applications)),
                    new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv; charset=utf-8" },
                        Conditions = etag is { } tag ? new BlobRequestConditions { IfMatch = tag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                    },
                    ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxCsvAttempts)
            {
                // Another hand-over rebuilt it in between: list again.
            }
        }
    }
}
