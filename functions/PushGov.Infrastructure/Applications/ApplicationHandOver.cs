using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Applications;
using PushGov.Domain.Cases;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Applications;

/// <summary>What handing an application over came to: the application as handed over, and whether this call created it.</summary>
public sealed record HandOver(OneStepApplication Application, bool Created);

/// <summary>
/// Hands one-step applications (申請不要) to the back office in container <see cref="StorageNames.Containers.Applications"/>
/// (format: <see cref="ApplicationFiles"/>) and tells the case the resident applied. Each step can be repeated after a
/// crash or a second confirmation and comes to the same end:
/// <list type="number">
/// <item>The pending mark: a row in partition <see cref="PendingPartition"/> of table
/// <see cref="StorageNames.Tables.Applications"/> (RowKey <c>{tenant}|{applicationId}</c>, with the resident's actor tag
/// and when it was marked), written before the claim and deleted only after the last step.</item>
/// <item>The claim: a row in table <see cref="StorageNames.Tables.Applications"/> keyed by the application id (tenant,
/// case and service), added only if absent. The first confirmation's document wins; a later one gets it back, with its
/// day, so the application lands in one file whatever day it is confirmed again.</item>
/// <item>The JSON file, written only if absent (<c>If-None-Match: *</c>), with the claimed document.</item>
/// <item>The day's CSV, rebuilt (<see cref="RebuildCsvAsync"/>).</item>
/// <item>The <c>applied</c> event to the case (a closed case refuses it, which changes nothing), then the mark deleted.</item>
/// </list>
/// A crash anywhere after the mark leaves the mark: <see cref="FinishInterruptedAsync"/> (the <c>Sweep</c> timer, every
/// minute) takes the marks older than <see cref="FinishAfter"/> and repeats the steps from the JSON file on (a mark with
/// no claim, a crash before the claim, is only deleted: nothing was handed over and the resident was not told it was). So
/// every claimed application reaches its day's CSV and its case without the resident doing anything, and the sweep reads
/// only the marks of hand-overs not finished, never the claims.
/// </summary>
public sealed class ApplicationHandOver(StorageClients storage, TimeProvider clock, ILogger<ApplicationHandOver> logger)
{
    /// <summary>The partition of the pending marks: not a tenant id (ids have no <c>~</c>), so never a tenant's claims.</summary>
    public const string PendingPartition = "~pending";

    /// <summary>How old a pending mark is before the sweep takes its hand-over as interrupted and finishes it.</summary>
    public static readonly TimeSpan FinishAfter = TimeSpan.FromMinutes(1);

    private const int MaxCsvAttempts = 20;

    private TableClient Claims => storage.Table(StorageNames.Tables.Applications);

    private Azure.Storage.Blobs.BlobContainerClient Container => storage.Container(StorageNames.Containers.Applications);

    /// <summary>The application already handed over for this id, or null.</summary>
    public async Task<OneStepApplication?> FindAsync(string tenant, string applicationId, CancellationToken ct)
    {
        var row = await Claims.GetEntityIfExistsAsync<TableEntity>(tenant, applicationId, cancellationToken: ct);
        return row.HasValue ? EntityPayload.Read<OneStepApplication>(row.Value!, "A") : null;
    }

    /// <summary>
    /// Hands <paramref name="candidate"/> over, or the application first handed over under its id, and tells its case
    /// that the resident (<paramref name="actor"/>) applied.
    /// </summary>
    public async Task<HandOver> HandOverAsync(OneStepApplication candidate, string actor, ICaseInbox inbox, CancellationToken ct)
    {
        var handOver = await ClaimAsync(candidate, actor, ct);
        await FinishAsync(handOver.Application, actor, inbox, ct);
        return handOver;
    }

    /// <summary>
    /// The first half of a hand-over: the pending mark, the claim and the JSON file. What is left (<see cref="FinishAsync"/>)
    /// is done by the same call or, after a crash, by <see cref="FinishInterruptedAsync"/>.
    /// </summary>
    public async Task<HandOver> ClaimAsync(OneStepApplication candidate, string actor, CancellationToken ct)
    {
        var mark = new TableEntity(PendingPartition, PendingKey(candidate.Tenant, candidate.ApplicationId))
        {
            ["Tenant"] = candidate.Tenant,
            ["ApplicationId"] = candidate.ApplicationId,
            ["Actor"] = actor,
            ["Since"] = clock.GetUtcNow(),
        };
        await Claims.UpsertEntityAsync(mark, TableUpdateMode.Replace, ct);

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
        await WriteJsonAsync(application, ct);
        return new HandOver(application, created);
    }

    /// <summary>
    /// Finishes every hand-over whose pending mark is older than <paramref name="olderThan"/> (the sweep passes
    /// <see cref="FinishAfter"/>): JSON file if absent, the day's CSV, <c>applied</c> to the case, mark deleted. Finishing
    /// one twice changes nothing. Returns how many claimed applications it finished.
    /// </summary>
    public async Task<int> FinishInterruptedAsync(ICaseInbox inbox, TimeSpan olderThan, CancellationToken ct)
    {
        var before = clock.GetUtcNow() - olderThan;
        var finished = 0;
        var failed = 0;
        await foreach (var mark in Claims.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PendingPartition} and Since le {before}"), cancellationToken: ct))
        {
            try
            {
                var application = await FindAsync(mark.GetString("Tenant"), mark.GetString("ApplicationId"), ct);
                if (application is null)
                {
                    await UnmarkAsync(mark.GetString("Tenant"), mark.GetString("ApplicationId"), ct);
                    continue;
                }

                await WriteJsonAsync(application, ct);
                await FinishAsync(application, mark.GetString("Actor"), inbox, ct);
                finished++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One mark that fails (storage, a case that cannot be told) must not hold back the others: it stays and
                // is tried again on the next sweep. The type only: a message may quote data.
                failed++;
                logger.LogWarning("Sweep: finishing an interrupted one-step application hand-over failed ({ErrorType}); it is tried again next time", e.GetType().Name);
            }
        }

        if (finished + failed > 0)
        {
            logger.LogWarning("Sweep: {Finished} interrupted one-step application hand-overs finished, {Failed} left for the next sweep", finished, failed);
        }

        return finished;
    }

    private static string PendingKey(string tenant, string applicationId) => tenant + "|" + applicationId;

    /// <summary>The second half of a hand-over: the day's CSV, <c>applied</c> to the case, the pending mark deleted.</summary>
    private async Task FinishAsync(OneStepApplication application, string actor, ICaseInbox inbox, CancellationToken ct)
    {
        await RebuildCsvAsync(application.Tenant, application.ServiceId, application.HandedOverOn, ct);

        // The case closes as applied (a closed case refuses it, which changes nothing: the application is handed over).
        await inbox.SendAsync(application.Tenant, application.CaseId, new ExternalEvent(ExternalEvent.Applied, Note: $"one-step application {application.ApplicationId} ({application.ServiceId})") { Actor = actor }, ct);
        await UnmarkAsync(application.Tenant, application.ApplicationId, ct);
    }

    private async Task UnmarkAsync(string tenant, string applicationId, CancellationToken ct) =>
        await Claims.DeleteEntityAsync(PendingPartition, PendingKey(tenant, applicationId), ETag.All, ct);

    private async Task WriteJsonAsync(OneStepApplication application, CancellationToken ct)
    {
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
    }

    /// <summary>
    /// Rebuilds the day's CSV of a service from that day's JSON files, after every hand-over (a first or a repeated one).
    /// <para>
    /// Why rebuilt rather than appended: the rows are then a function of the files, so a row is never lost (an
    /// application whose CSV step crashed is added by the sweep that finishes its hand-over, or earlier by the next
    /// hand-over of that day)
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
