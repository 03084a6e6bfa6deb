using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace PushGov.Infrastructure.Storage;

/// <summary>
/// The app's storage account, reached the way the Functions host reaches <c>AzureWebJobsStorage</c>: a
/// connection string (<c>UseDevelopmentStorage=true</c> for Azurite), or identity-based settings
/// (<c>AzureWebJobsStorage__accountName</c>, optional <c>__clientId</c> for a user-assigned identity).
/// Every request is counted by <see cref="StorageOperationCounter"/>.
/// </summary>
public sealed class StorageClients
{
    // Azurite's well-known development account endpoints, as the Functions host expands UseDevelopmentStorage=true.
    private const string DevelopmentStorage =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private StorageClients(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, StorageOperationCounter counter, bool isDevelopment)
    {
        Tables = tables;
        Blobs = blobs;
        Queues = queues;
        Counter = counter;
        IsDevelopmentStorage = isDevelopment;
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public StorageOperationCounter Counter { get; }

    /// <summary>True for Azurite (UseDevelopmentStorage=true or a 127.0.0.1 endpoint).</summary>
    public bool IsDevelopmentStorage { get; }

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    /// <summary>From a connection string (<c>UseDevelopmentStorage=true</c> is expanded to Azurite's default ports).</summary>
    public static StorageClients FromConnectionString(string connectionString, StorageOperationCounter? counter = null)
    {
        counter ??= new StorageOperationCounter();
        var dev = connectionString.Trim().Equals("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);
        var cs = dev ? DevelopmentStorage : connectionString;
        return new StorageClients(
            new TableServiceClient(cs, Configure(new TableClientOptions(), counter)),
            new BlobServiceClient(cs, Configure(new BlobClientOptions(), counter)),
            new QueueServiceClient(cs, Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, counter)),
            counter,
            dev || cs.Contains("127.0.0.1", StringComparison.Ordinal) || cs.Contains("localhost", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Identity-based: <c>https://{account}.{service}.core.windows.net</c> with a managed identity or developer credential.</summary>
    public static StorageClients FromAccountName(string accountName, TokenCredential credential, StorageOperationCounter? counter = null)
    {
        counter ??= new StorageOperationCounter();
        return new StorageClients(
            new TableServiceClient(new Uri($"https://{accountName}.table.core.windows.net"), credential, Configure(new TableClientOptions(), counter)),
            new BlobServiceClient(new Uri($"https://{accountName}.blob.core.windows.net"), credential, Configure(new BlobClientOptions(), counter)),
            new QueueServiceClient(new Uri($"https://{accountName}.queue.core.windows.net"), credential, Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, counter)),
            counter,
            isDevelopment: false);
    }

    /// <summary>
    /// Reads the <c>AzureWebJobsStorage</c> setting the way the Functions host does: the plain value is a connection
    /// string; otherwise <c>AzureWebJobsStorage:accountName</c> (env <c>AzureWebJobsStorage__accountName</c>) with
    /// <c>:clientId</c> for a user-assigned managed identity.
    /// </summary>
    public static StorageClients FromSettings(Func<string, string?> setting, StorageOperationCounter? counter = null)
    {
        var connectionString = setting("AzureWebJobsStorage");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return FromConnectionString(connectionString, counter);
        }

        var account = setting("AzureWebJobsStorage:accountName");
        if (string.IsNullOrWhiteSpace(account))
        {
            throw new InvalidOperationException(
                "Storage is not configured: set AzureWebJobsStorage to a connection string (UseDevelopmentStorage=true for Azurite) " +
                "or AzureWebJobsStorage__accountName for a managed identity.");
        }

        var clientId = setting("AzureWebJobsStorage:clientId");
        TokenCredential credential = string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        return FromAccountName(account, credential, counter);
    }

    /// <summary>Creates every container, queue (with its poison queue) and table the app uses, if missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var work = new List<Task>();
        work.AddRange(StorageNames.Containers.All.Select(c => Container(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        work.AddRange(StorageNames.Queues.All
            .SelectMany(q => new[] { q, StorageNames.Queues.Poison(q) })
            .Append(StorageNames.Queues.BlobPoison)
            .Select(q => Queue(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        work.AddRange(StorageNames.Tables.All.Select(t => Table(t).CreateIfNotExistsAsync(cancellationToken)));
        await Task.WhenAll(work);
    }

    private static T Configure<T>(T options, StorageOperationCounter counter)
        where T : ClientOptions
    {
        options.AddPolicy(new CountingPolicy(counter), HttpPipelinePosition.PerRetry);
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        return options;
    }

    /// <summary>Counts every storage request that leaves the app (each retry counts), by service.</summary>
    private sealed class CountingPolicy(StorageOperationCounter counter) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => counter.Count(message.Request.Method.Method);
    }
}

/// <summary>Counts storage requests: the figure behind "storage operations per case" in the benchmarks.</summary>
public sealed class StorageOperationCounter
{
    private long _total;
    private long _writes;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests other than GET/HEAD (inserts, updates, deletes, enqueues, batches: a batch counts once).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    internal void Count(string method)
    {
        Interlocked.Increment(ref _total);
        if (method is not ("GET" or "HEAD"))
        {
            Interlocked.Increment(ref _writes);
        }
    }

    public (long Total, long Writes) Snapshot() => (Total, Writes);
}
