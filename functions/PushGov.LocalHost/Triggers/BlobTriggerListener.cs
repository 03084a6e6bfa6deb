using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost.Triggers;

/// <summary>
/// A blob trigger. In Azure, Event Grid tells the host about new blobs; locally the container is listed every
/// <see cref="LocalHostOptions.BlobPollingInterval"/>. Each blob version (ETag) gets a receipt in
/// <c>azure-webjobs-hosts/blobreceipts/{hostId}/{functionId}/{etag}/{container}/{blob}</c>, as the Functions host keeps
/// them; a lease on the receipt lets exactly one instance run a version at a time, and the receipt's metadata counts
/// the tries (<c>Tries</c>, and <c>Incomplete</c> until done). After maxDequeueCount failed tries a message in the
/// Functions host's format goes to <c>webjobs-blobtrigger-poison</c> and the version is not tried again.
/// </summary>
internal sealed class BlobTriggerListener : TriggerListener
{
    public const string PoisonQueue = "webjobs-blobtrigger-poison";
    public const string HostsContainer = "azure-webjobs-hosts";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    private readonly FunctionInvoker _function;
    private readonly BlobServiceClient _blobs;
    private readonly QueueServiceClient _queues;
    private readonly string _hostId;
    private readonly int _maxTries;
    private readonly int _parallelism;
    private readonly TimeSpan _interval;
    private readonly IServiceProvider _services;
    private readonly string _container;
    private readonly string _prefix;
    private readonly Regex _pattern;
    private readonly HashSet<string> _done = [];
    private readonly HashSet<string> _running = [];

    public BlobTriggerListener(
        FunctionInvoker function, string path, BlobServiceClient blobs, QueueServiceClient queues, string hostId,
        int maxTries, int parallelism, TimeSpan interval, IServiceProvider services, ILogger logger)
        : base(logger)
    {
        (_function, _blobs, _queues, _hostId, _maxTries, _parallelism, _interval, _services) =
            (function, blobs, queues, hostId, maxTries, parallelism, interval, services);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        _container = slash < 0 ? path : path[..slash];
        var blobPattern = slash < 0 ? "{name}" : path[(slash + 1)..];
        var brace = blobPattern.IndexOf('{', StringComparison.Ordinal);
        _prefix = brace < 0 ? blobPattern : blobPattern[..brace];
        _pattern = PathPattern(blobPattern);
    }

    /// <summary>
    /// <c>{tenant}/{dataset}/{name}</c> as a regular expression: each <c>{part}</c> matches the shortest text that lets
    /// the whole blob name match, so the last part takes any remaining '/'.
    /// </summary>
    private static Regex PathPattern(string blobPattern) => new(
        "^" + Regex.Replace(Regex.Escape(blobPattern), @"\\\{(\w+)}", m => $"(?<{m.Groups[1].Value}>.+?)") + "$",
        RegexOptions.CultureInvariant);

    protected override async Task PollAsync(CancellationToken stopping)
    {
        var container = _blobs.GetBlobContainerClient(_container);
        var receipts = _blobs.GetBlobContainerClient(HostsContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: stopping);
        await receipts.CreateIfNotExistsAsync(cancellationToken: stopping);
        do
        {
            try
            {
                await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, _prefix, stopping))
                {
                    var match = _pattern.Match(blob.Name);
                    var version = blob.Name + "\n" + blob.Properties.ETag;
                    lock (_running)
                    {
                        if (!match.Success || _done.Contains(version) || RunningCount >= _parallelism || !_running.Add(version))
                        {
                            continue;
                        }
                    }

                    // Listings may give the ETag without the quotes the blob's own responses carry: use the quoted form.
                    var etag = new ETag($"\"{blob.Properties.ETag!.Value.ToString().Trim('"')}\"");
                    _ = Run(async () =>
                    {
                        var done = false;
                        try
                        {
                            done = await ProcessAsync(container.GetBlobClient(blob.Name), etag, match, receipts);
                        }
                        catch (Exception e)
                        {
                            // Storage unreachable (the SDK's AggregateException after its retries) while the receipt's
                            // lease was taken, renewed or released: the version is tried again at the next listing.
                            Logger.LogWarning(e, "Blob {Container}/{Blob} version {ETag}: its receipt could not be handled; it is tried again.", _container, blob.Name, etag);
                        }
                        finally
                        {
                            // Always: a version left in _running would never be listed for a try again in this process.
                            lock (_running)
                            {
                                _running.Remove(version);
                                if (done)
                                {
                                    _done.Add(version);
                                }
                            }
                        }
                    });
                }
            }
            catch (RequestFailedException e)
            {
                Logger.LogWarning(e, "Listing container {Container} failed.", _container);
            }
        }
        while (await DelayAsync(_interval, stopping));
    }

    /// <summary>Runs one blob version if this instance gets its receipt's lease; true when the version needs nothing more.</summary>
    private async Task<bool> ProcessAsync(BlobClient blob, ETag etag, Match match, BlobContainerClient receipts)
    {
        var receipt = receipts.GetBlockBlobClient($"blobreceipts/{_hostId}/{_function.HostFunctionId}/{etag}/{_container}/{blob.Name}");
        try
        {
            await receipt.UploadAsync(new MemoryStream(), new BlobUploadOptions
            {
                Metadata = new Dictionary<string, string> { ["Incomplete"] = "true", ["Tries"] = "0" },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            });
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The receipt exists: another poll or instance created it.
        }

        var lease = receipt.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }

        var leased = new BlobRequestConditions { LeaseId = lease.LeaseId };
        using var renewal = new CancellationTokenSource();
        var renewing = RenewAsync(lease, renewal.Token);
        try
        {
            var metadata = (await receipt.GetPropertiesAsync(leased)).Value.Metadata;
            if (!metadata.ContainsKey("Incomplete"))
            {
                return true;
            }

            var tries = int.Parse(metadata["Tries"], System.Globalization.CultureInfo.InvariantCulture) + 1;
            if (tries > _maxTries)
            {
                await PoisonAsync(blob, etag, receipt, leased);
                return true;
            }

            await receipt.SetMetadataAsync(new Dictionary<string, string> { ["Incomplete"] = "true", ["Tries"] = tries.ToString(System.Globalization.CultureInfo.InvariantCulture) }, leased);
            try
            {
                await _function.InvokeAsync(_services, Input(blob, etag, match), InvocationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // This version was deleted or replaced before it ran: a newer version has its own receipt.
                Logger.LogInformation("Blob {Container}/{Blob} version {ETag} is gone; not running {Function}.", _container, blob.Name, etag, _function.Name);
            }
            catch (Exception e)
            {
                Logger.LogError(e, "Function {Function} failed on blob {Container}/{Blob} (try {Try} of {Max}).", _function.Name, _container, blob.Name, tries, _maxTries);
                if (tries < _maxTries)
                {
                    return false;
                }

                await PoisonAsync(blob, etag, receipt, leased);
                return true;
            }

            await receipt.SetMetadataAsync(new Dictionary<string, string> { ["Tries"] = tries.ToString(System.Globalization.CultureInfo.InvariantCulture) }, leased);
            return true;
        }
        catch (RequestFailedException e)
        {
            Logger.LogWarning(e, "Blob receipt {Receipt} could not be updated.", receipt.Name);
            return false;
        }
        finally
        {
            await renewal.CancelAsync();
            await renewing;
            try
            {
                await lease.ReleaseAsync();
            }
            catch (RequestFailedException)
            {
                // The lease expired or was lost: it frees itself.
            }
        }
    }

    private async Task PoisonAsync(BlobClient blob, ETag etag, BlockBlobClient receipt, BlobRequestConditions leased)
    {
        var queue = _queues.GetQueueClient(PoisonQueue);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(JsonSerializer.Serialize(new
        {
            Type = "BlobTrigger",
            FunctionId = _function.HostFunctionId,
            BlobType = "BlockBlob",
            ContainerName = _container,
            BlobName = blob.Name,
            ETag = etag.ToString(),
        }));
        await receipt.SetMetadataAsync(new Dictionary<string, string> { ["Tries"] = _maxTries.ToString(System.Globalization.CultureInfo.InvariantCulture) }, leased);
        Logger.LogError("Blob {Container}/{Blob} failed {Max} times in {Function}; a message went to {Queue}.", _container, blob.Name, _maxTries, _function.Name, PoisonQueue);
    }

    private static async Task RenewAsync(BlobLeaseClient lease, CancellationToken done)
    {
        while (await DelayAsync(LeaseDuration / 3, done))
        {
            try
            {
                await lease.RenewAsync(cancellationToken: done);
            }
            catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
            {
                return;
            }
        }
    }

    private TriggerInput Input(BlobClient blob, ETag etag, Match match)
    {
        var data = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["BlobTrigger"] = $"{_container}/{blob.Name}",
            ["Uri"] = blob.Uri,
        };
        foreach (var group in _pattern.GetGroupNames().Where(g => !int.TryParse(g, out _)))
        {
            data[group] = match.Groups[group].Value;
        }

        var sameVersion = new BlobRequestConditions { IfMatch = etag };
        return new TriggerInput
        {
            BindingData = data,
            Bind = async (type, cancellationToken) =>
                type == typeof(BlobClient) ? blob
                : type == typeof(BlockBlobClient) ? _blobs.GetBlobContainerClient(_container).GetBlockBlobClient(blob.Name)
                : type == typeof(Stream) ? await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { Conditions = sameVersion }, cancellationToken)
                : type == typeof(string) ? (await blob.DownloadContentAsync(new BlobDownloadOptions { Conditions = sameVersion }, cancellationToken)).Value.Content.ToString()
                : type == typeof(byte[]) ? (await blob.DownloadContentAsync(new BlobDownloadOptions { Conditions = sameVersion }, cancellationToken)).Value.Content.ToArray()
                : type == typeof(BinaryData) ? (await blob.DownloadContentAsync(new BlobDownloadOptions { Conditions = sameVersion }, cancellationToken)).Value.Content
                : throw new InvalidOperationException($"Function {_function.Name}: a blob trigger binds to Stream, string, byte[], BinaryData or BlobClient, not {type.Name}."),
        };
    }
}
