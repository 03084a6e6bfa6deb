using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Cronos;
using PushGov.Functions.CustomHandler;
using PushGov.Infrastructure.Storage;

namespace PushGov.Functions.TriggerHost;

public sealed class TriggerHostOptions
{
    /// <summary>Runs the local trigger host. On by default with <c>UseDevelopmentStorage=true</c>; off under the Functions host.</summary>
    public bool? Enabled { get; set; }

    /// <summary>How often the blob container is listed for new drops.</summary>
    public TimeSpan BlobPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The id under which receipts and locks are kept (the Functions host uses its host id the same way).</summary>
    public string HostId { get; set; } = "pushgov-local";

    /// <summary>Where host.json and the function folders are; default: next to the executable.</summary>
    public string? ScriptRoot { get; set; }
}

/// <summary>
/// The local stand-in for the Functions host's triggers, on Azurite (or any storage account). It reads
/// <c>host.json</c> and every <c>{Name}/function.json</c> and, like the Functions host:
/// <list type="bullet">
/// <item>blob triggers: lists the container, keeps a receipt per blob version (ETag) in <c>azure-webjobs-hosts</c>
/// so each version is processed once across any number of instances (a lease on the receipt), 5 tries, then a
/// message on <c>webjobs-blobtrigger-poison</c>;</item>
/// <item>queue triggers: batches with a visibility timeout, the dequeue count, and <c>{queue}-poison</c> after
/// <c>maxDequeueCount</c> failures;</item>
/// <item>timer triggers: NCRONTAB schedules with seconds, one instance at a time (a blob lease per timer).</item>
/// </list>
/// It calls the same <see cref="FunctionDispatcher"/> the custom-handler endpoint calls, with the same payload shape.
/// </summary>
public sealed partial class LocalTriggerHost(
    FunctionDispatcher dispatcher,
    StorageClients storage,
    TriggerHostOptions options,
    ILogger<LocalTriggerHost> logger,
    TimeProvider clock) : BackgroundService
{
    private const int MaxBlobTries = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var root = options.ScriptRoot ?? AppContext.BaseDirectory;
        var host = HostSettings.Load(Path.Combine(root, "host.json"));
        var functions = FunctionDefinition.LoadAll(root);
        await storage.EnsureCreatedAsync(stoppingToken);

        var loops = new List<Task>();
        foreach (var function in functions)
        {
            if (!dispatcher.Exists(function.Name) || function.Trigger is not { } trigger)
            {
                continue;
            }

            loops.Add(trigger.Type switch
            {
                "queueTrigger" => RunQueueAsync(function, trigger, host, stoppingToken),
                "blobTrigger" => RunBlobAsync(function, trigger, stoppingToken),
                "timerTrigger" => RunTimerAsync(function, trigger, stoppingToken),
                _ => Task.CompletedTask, // HTTP triggers are served by the app itself
            });
        }

        logger.LogInformation("Local trigger host running {Count} functions from {Root}", loops.Count, root);
        await Task.WhenAll(loops);
    }

    // ---- queues ---------------------------------------------------------------------------------------------

    private async Task RunQueueAsync(FunctionDefinition function, BindingDefinition trigger, HostSettings host, CancellationToken ct)
    {
        var queue = storage.Queue(trigger.QueueName ?? throw new InvalidOperationException($"{function.Name}: queueTrigger without queueName."));
        var poison = storage.Queue(Infrastructure.Storage.StorageNames.Queues.Poison(queue.Name));
        var idle = TimeSpan.FromMilliseconds(100);
        while (!ct.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await queue.ReceiveMessagesAsync(host.BatchSize, TimeSpan.FromMinutes(5), ct)).Value;
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Queue {Queue} unreachable: {Error}", queue.Name, e.Message);
                await Delay(TimeSpan.FromSeconds(2), ct);
                continue;
            }

            if (batch.Length == 0)
            {
                await Delay(idle, ct);
                idle = TimeSpan.FromMilliseconds(Math.Min(host.MaxPollingInterval.TotalMilliseconds, idle.TotalMilliseconds * 2));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(100);
            await Task.WhenAll(batch.Select(m => ProcessQueueMessageAsync(function, trigger, queue, poison, m, host, ct)));
        }
    }

    private async Task ProcessQueueMessageAsync(FunctionDefinition function, BindingDefinition trigger, QueueClient queue, QueueClient poison, QueueMessage message, HostSettings host, CancellationToken ct)
    {
        var request = new InvocationRequest
        {
            Data = new() { [trigger.Name] = JsonSerializer.SerializeToElement(message.Body.ToString()) },
            Metadata = new()
            {
                ["DequeueCount"] = JsonSerializer.SerializeToElement(message.DequeueCount),
                ["Id"] = JsonSerializer.SerializeToElement(message.MessageId),
                ["InsertionTime"] = JsonSerializer.SerializeToElement(message.InsertedOn),
                ["ExpirationTime"] = JsonSerializer.SerializeToElement(message.ExpiresOn),
                ["NextVisibleTime"] = JsonSerializer.SerializeToElement(message.NextVisibleOn),
                ["PopReceipt"] = JsonSerializer.SerializeToElement(message.PopReceipt),
                ["sys"] = Sys(function.Name, "QueueTrigger"),
            },
        };

        try
        {
            await dispatcher.InvokeAsync(function.Name, request, ct);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "{Function} failed on message {MessageId} (dequeue count {Count})", function.Name, message.MessageId, message.DequeueCount);
            try
            {
                if (message.DequeueCount >= host.MaxDequeueCount)
                {
                    await poison.SendMessageAsync(message.Body.ToString(), ct);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    logger.LogWarning("Message {MessageId} moved to {Poison}", message.MessageId, poison.Name);
                }
                else
                {
                    // Backoff between retries: host.json's visibilityTimeout (at least 1 s), doubled per failed try, at most 5 minutes.
                    var first = host.VisibilityTimeout > TimeSpan.FromSeconds(1) ? host.VisibilityTimeout : TimeSpan.FromSeconds(1);
                    var backoff = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, first.Ticks * (1L << (int)Math.Min(10, message.DequeueCount - 1))));
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: backoff, cancellationToken: ct);
                }
            }
            catch (RequestFailedException inner)
            {
                logger.LogWarning("Could not release message {MessageId}: {Error}", message.MessageId, inner.Message);
            }
        }
    }

    // ---- blobs ----------------------------------------------------------------------------------------------

    private async Task RunBlobAsync(FunctionDefinition function, BindingDefinition trigger, CancellationToken ct)
    {
        var pattern = BlobPathPattern.Parse(trigger.Path ?? throw new InvalidOperationException($"{function.Name}: blobTrigger without path."));
        var container = storage.Container(pattern.Container);
        var receipts = storage.Container(Infrastructure.Storage.StorageNames.Containers.Hosts);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, pattern.Prefix, ct))
                {
                    if (pattern.Match(blob.Name) is { } values)
                    {
                        await ProcessBlobAsync(function, trigger, container, receipts, blob, values, ct);
                    }
                }
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Container {Container} unreachable: {Error}", container.Name, e.Message);
            }

            await Delay(options.BlobPollingInterval, ct);
        }
    }

    private async Task ProcessBlobAsync(FunctionDefinition function, BindingDefinition trigger, BlobContainerClient container, BlobContainerClient receipts, BlobItem blob, IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        var etag = blob.Properties.ETag?.ToString().Trim('"') ?? "none";
        var receipt = receipts.GetBlobClient($"blobreceipts/{options.HostId}/{function.Name}/{etag}/{container.Name}/{blob.Name}");
        var metadata = await ReadReceiptAsync(receipt, ct);
        if (metadata is not null && metadata.ContainsKey("completed"))
        {
            return;
        }

        if (metadata is null)
        {
            try
            {
                await receipt.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // another instance made it first
            }
        }

        var lease = receipt.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(TimeSpan.FromSeconds(60), cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return; // another instance is processing this blob version
        }

        var conditions = new BlobRequestConditions { LeaseId = lease.LeaseId };
        using var renew = new Timer(_ => _ = lease.RenewAsync(cancellationToken: CancellationToken.None), null, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
        try
        {
            metadata = await ReadReceiptAsync(receipt, ct) ?? [];
            if (metadata.ContainsKey("completed"))
            {
                return;
            }

            var tries = (metadata.TryGetValue("tries", out var t) && int.TryParse(t, out var n) ? n : 0) + 1;
            metadata["tries"] = tries.ToString();
            await receipt.SetMetadataAsync(metadata, conditions, ct);

            var request = BlobRequest(function, trigger, container, blob, values);
            try
            {
                await dispatcher.InvokeAsync(function.Name, request, ct);
                metadata["completed"] = clock.GetUtcNow().ToString("o");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "{Function} failed on blob {Blob} (try {Try} of {Max})", function.Name, blob.Name, tries, MaxBlobTries);
                if (tries >= MaxBlobTries)
                {
                    var poison = JsonSerializer.Serialize(new { FunctionId = function.Name, BlobType = "BlockBlob", ContainerName = container.Name, BlobName = blob.Name, ETag = etag });
                    await storage.Queue(Infrastructure.Storage.StorageNames.Queues.BlobPoison).SendMessageAsync(poison, ct);
                    metadata["completed"] = "poisoned";
                }
            }

            await receipt.SetMetadataAsync(metadata, conditions, ct);
        }
        finally
        {
            try
            {
                await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException)
            {
                // expired already
            }
        }
    }

    private InvocationRequest BlobRequest(FunctionDefinition function, BindingDefinition trigger, BlobContainerClient container, BlobItem blob, IReadOnlyDictionary<string, string> values)
    {
        // The blob's content is not put into Data: drops can be gigabytes. The function streams it from BlobTrigger
        // (the Functions host passes the same metadata; see IngestDropFunction).
        var metadata = values.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value));
        metadata["BlobTrigger"] = JsonSerializer.SerializeToElement($"{container.Name}/{blob.Name}");
        metadata["Uri"] = JsonSerializer.SerializeToElement(container.GetBlobClient(blob.Name).Uri.ToString());
        metadata["Properties"] = JsonSerializer.SerializeToElement(new { ETag = blob.Properties.ETag?.ToString(), Length = blob.Properties.ContentLength });
        metadata["sys"] = Sys(function.Name, "BlobTrigger");
        return new InvocationRequest { Data = new() { [trigger.Name] = JsonSerializer.SerializeToElement<string?>(null) }, Metadata = metadata };
    }

    private static async Task<Dictionary<string, string>?> ReadReceiptAsync(BlobClient receipt, CancellationToken ct)
    {
        try
        {
            var props = await receipt.GetPropertiesAsync(cancellationToken: ct);
            return new Dictionary<string, string>(props.Value.Metadata, StringComparer.OrdinalIgnoreCase);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    // ---- timers ---------------------------------------------------------------------------------------------

    private async Task RunTimerAsync(FunctionDefinition function, BindingDefinition trigger, CancellationToken ct)
    {
        var expression = CronExpression.Parse(trigger.Schedule ?? throw new InvalidOperationException($"{function.Name}: timerTrigger without schedule."), CronFormat.IncludeSeconds);
        var lockBlob = storage.Container(Infrastructure.Storage.StorageNames.Containers.Hosts).GetBlobClient($"locks/{options.HostId}/{function.Name}");
        DateTimeOffset? last = null;
        while (!ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = expression.GetNextOccurrence(now, TimeZoneInfo.Utc) ?? now.AddDays(1);
            await Delay(next - now, ct);
            if (ct.IsCancellationRequested)
            {
                return;
            }

            var lease = lockBlob.GetBlobLeaseClient();
            try
            {
                try
                {
                    await lockBlob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    // exists
                }

                await lease.AcquireAsync(TimeSpan.FromSeconds(60), cancellationToken: ct);
            }
            catch (RequestFailedException)
            {
                continue; // another instance runs this timer now
            }
            catch (HttpRequestException e)
            {
                logger.LogWarning("Timer {Function}: storage unreachable: {Error}", function.Name, e.Message);
                continue;
            }

            try
            {
                var timer = new { Schedule = new { AdjustForDST = true }, ScheduleStatus = new { Last = last, Next = expression.GetNextOccurrence(next, TimeZoneInfo.Utc), LastUpdated = now }, IsPastDue = clock.GetUtcNow() - next > TimeSpan.FromMinutes(1) };
                await dispatcher.InvokeAsync(function.Name, new InvocationRequest { Data = new() { [trigger.Name] = JsonSerializer.SerializeToElement(timer) }, Metadata = new() { ["sys"] = Sys(function.Name, "TimerTrigger") } }, ct);
                last = next;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "Timer {Function} failed", function.Name);
            }
            finally
            {
                try
                {
                    await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
                }
                catch (RequestFailedException)
                {
                    // expired already
                }
            }
        }
    }

    private JsonElement Sys(string function, string method) =>
        JsonSerializer.SerializeToElement(new { MethodName = function, UtcNow = clock.GetUtcNow(), RandGuid = Guid.NewGuid(), Trigger = method });

    private async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, clock, ct);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}

/// <summary>A blob trigger path such as <c>drops/{tenant}/{dataset}/{name}</c>: the container, then named segments.</summary>
public sealed partial record BlobPathPattern(string Container, string Prefix, Regex Regex, IReadOnlyList<string> Names)
{
    public static BlobPathPattern Parse(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? path : path[..slash];
        var rest = slash < 0 ? string.Empty : path[(slash + 1)..];
        var names = new List<string>();
        var regex = "^" + Placeholder().Replace(Regex.Escape(rest).Replace(@"\{", "{", StringComparison.Ordinal), m =>
        {
            names.Add(m.Groups[1].Value);
            return $"(?<{m.Groups[1].Value}>[^/]+)";
        }) + "$";
        var brace = rest.IndexOf('{', StringComparison.Ordinal);
        return new BlobPathPattern(container, brace < 0 ? rest : rest[..brace], new Regex(regex, RegexOptions.CultureInvariant), names);
    }

    public IReadOnlyDictionary<string, string>? Match(string blobName)
    {
        var m = Regex.Match(blobName);
        return m.Success ? Names.ToDictionary(n => n, n => m.Groups[n].Value) : null;
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
