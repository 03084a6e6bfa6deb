using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost.Triggers;

/// <summary>
/// A timer trigger from its NCRONTAB schedule (six fields, seconds first; five fields are read as minutes first; a
/// TimeSpan such as 00:05:00 is a fixed interval), in UTC or the WEBSITE_TIME_ZONE setting. Like the Functions host,
/// only the instance that holds the lease on <c>azure-webjobs-hosts/locks/{hostId}/{functionId}.Listener</c> runs the
/// schedule, and <c>timers/{hostId}/{functionId}/status</c> keeps Last/Next, so an occurrence missed while no instance
/// held the lease runs once, late, with IsPastDue. RunOnStartup is not supported.
/// </summary>
internal sealed class TimerTriggerListener(
    FunctionInvoker function, string schedule, TimeZoneInfo timeZone, BlobServiceClient blobs, string hostId, TimeSpan leaseRetry,
    IServiceProvider services, ILogger logger)
    : TriggerListener(logger)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    private readonly Func<DateTime, DateTime?> _next = Parse(schedule, timeZone);

    public static Func<DateTime, DateTime?> Parse(string schedule, TimeZoneInfo timeZone)
    {
        if (TimeSpan.TryParse(schedule, System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return after => after + interval;
        }

        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var cron = CronExpression.Parse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        return after => cron.GetNextOccurrence(after, timeZone);
    }

    protected override async Task PollAsync(CancellationToken stopping)
    {
        var hosts = blobs.GetBlobContainerClient(BlobTriggerListener.HostsContainer);
        await hosts.CreateIfNotExistsAsync(cancellationToken: stopping);
        var lockBlob = hosts.GetBlockBlobClient($"locks/{hostId}/{function.HostFunctionId}.Listener");
        var status = hosts.GetBlockBlobClient($"timers/{hostId}/{function.HostFunctionId}/status");
        try
        {
            await lockBlob.UploadAsync(new MemoryStream(), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, stopping);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }

        var lease = lockBlob.GetBlobLeaseClient();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: stopping);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                await DelayAsync(leaseRetry, stopping);
                continue;
            }

            using var lost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var renewing = RenewAsync(lease, lost);
            try
            {
                await RunScheduleAsync(status, lost.Token);
            }
            finally
            {
                await lost.CancelAsync();
                await renewing;
                try
                {
                    // Released on a graceful stop, so another instance takes the schedule over at once.
                    await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
                }
                catch (RequestFailedException)
                {
                }
            }
        }
    }

    /// <summary>Runs occurrences while this instance holds the lease (until <paramref name="holding"/> is cancelled).</summary>
    private async Task RunScheduleAsync(BlockBlobClient statusBlob, CancellationToken holding)
    {
        var status = await ReadStatusAsync(statusBlob, holding);
        var now = DateTime.UtcNow;
        var next = status?.Next ?? _next(now);
        while (next is { } occurrence && !holding.IsCancellationRequested)
        {
            var wait = occurrence - DateTime.UtcNow;
            if (wait > TimeSpan.Zero && !await DelayAsync(wait, holding))
            {
                return;
            }

            now = DateTime.UtcNow;
            var info = new TimerInfo
            {
                IsPastDue = now - occurrence > TimeSpan.FromSeconds(1),
                ScheduleStatus = new ScheduleStatus { Last = status?.Last ?? default, Next = occurrence, LastUpdated = status?.LastUpdated ?? default },
            };
            try
            {
                await function.InvokeAsync(services, new TriggerInput { Bind = (_, _) => ValueTask.FromResult<object?>(info) }, InvocationToken);
            }
            catch (Exception e)
            {
                Logger.LogError(e, "Timer function {Function} failed at its {Occurrence:O} occurrence.", function.Name, occurrence);
            }

            now = DateTime.UtcNow;
            status = new TimerStatus(occurrence, _next(now > occurrence ? now : occurrence) ?? DateTime.MaxValue, now);
            await statusBlob.UploadAsync(BinaryData.FromObjectAsJson(status).ToStream(), new BlobUploadOptions(), CancellationToken.None);
            next = status.Next == DateTime.MaxValue ? null : status.Next;
        }
    }

    private static async Task<TimerStatus?> ReadStatusAsync(BlockBlobClient statusBlob, CancellationToken cancellationToken)
    {
        try
        {
            return (await statusBlob.DownloadContentAsync(cancellationToken)).Value.Content.ToObjectFromJson<TimerStatus>();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task RenewAsync(BlobLeaseClient lease, CancellationTokenSource lost)
    {
        while (await DelayAsync(LeaseDuration / 3, lost.Token))
        {
            try
            {
                await lease.RenewAsync(cancellationToken: lost.Token);
            }
            catch (RequestFailedException e)
            {
                Logger.LogWarning(e, "Timer {Function} lost its lease.", function.Name);
                await lost.CancelAsync();
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The schedule status blob, as the Functions host keeps it.</summary>
    private sealed record TimerStatus(DateTime Last, DateTime Next, DateTime LastUpdated);
}
