using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PushGov.Functions.CustomHandler;
using PushGov.Functions.Tests.Support;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;

namespace PushGov.Functions.Tests;

/// <summary>
/// The local trigger host behaves like the Functions host: a blob version is processed once across instances
/// (receipts), a queue message that keeps failing goes to <c>{queue}-poison</c> after maxDequeueCount tries, a blob
/// that keeps failing goes to <c>webjobs-blobtrigger-poison</c> after 5, and timers run on their schedule.
/// Each test uses a scratch script root (host.json and function.json files) with its own queue and container.
/// </summary>
[Collection("Azurite")]
public sealed class TriggerHostTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pushgov-script-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A function that records its invocations and fails while <see cref="Fail"/> says so.</summary>
    private sealed class Probe(string name) : IFunction
    {
        public ConcurrentBag<InvocationRequest> Calls { get; } = [];

        public bool Fail { get; set; }

        public string Name => name;

        public Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken ct)
        {
            Calls.Add(request);
            return Fail ? throw new InvalidOperationException("probe fails on purpose") : Task.FromResult(new InvocationResponse());
        }
    }

    private void Script(params (string Name, string FunctionJson)[] functions)
    {
        File.WriteAllText(Path.Combine(_root, "host.json"), """
            { "version": "2.0", "extensions": { "queues": { "maxDequeueCount": 3, "visibilityTimeout": "00:00:00", "batchSize": 4, "maxPollingInterval": "00:00:00.500" } } }
            """);
        foreach (var (name, json) in functions)
        {
            Directory.CreateDirectory(Path.Combine(_root, name));
            File.WriteAllText(Path.Combine(_root, name, "function.json"), json);
        }
    }

    private PushGovApp App(Probe probe, string hostId) => new(azurite.ConnectionString, triggerHost: true, services: s => s.AddSingleton<IFunction>(probe), hostId: hostId, scriptRoot: _root);

    [Fact]
    public async Task A_blob_is_processed_once_even_with_two_instances_watching()
    {
        var container = "probe" + _suffix;
        Script(("BlobProbe", $$"""{ "bindings": [ { "name": "blob", "type": "blobTrigger", "direction": "in", "path": "{{container}}/{tenant}/{name}", "connection": "AzureWebJobsStorage" } ] }"""));
        var probe = new Probe("BlobProbe");
        await using var first = App(probe, "shared-host-" + _suffix);
        await using var second = App(probe, "shared-host-" + _suffix);
        _ = first.Server;
        _ = second.Server;

        var blobs = StorageClients.FromConnectionString(azurite.ConnectionString).Container(container);
        await blobs.CreateIfNotExistsAsync();
        await blobs.GetBlobClient("401307/a.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes("x")));
        await Wait.Eventually(() => Task.FromResult(!probe.Calls.IsEmpty), "the blob to be processed");
        // Both instances list the container several times meanwhile.
        await Wait.Consistently(() => Task.FromResult(probe.Calls.Count == 1), "one call for the blob with two instances watching", TimeSpan.FromSeconds(2));

        var call = Assert.Single(probe.Calls);
        Assert.Equal("401307", call.MetadataText("tenant"));
        Assert.Equal("a.csv", call.MetadataText("name"));
        Assert.Equal($"{container}/401307/a.csv", call.MetadataText("BlobTrigger"));

        // A new version of the same blob is a new drop.
        await blobs.GetBlobClient("401307/a.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes("y")), overwrite: true);
        await Wait.Eventually(() => Task.FromResult(probe.Calls.Count == 2), "the new version to be processed");
    }

    [Fact]
    public async Task A_queue_message_that_keeps_failing_goes_to_the_poison_queue_after_max_dequeue_count()
    {
        var queueName = "probe" + _suffix;
        Script(("QueueProbe", $$"""{ "bindings": [ { "name": "message", "type": "queueTrigger", "direction": "in", "queueName": "{{queueName}}", "connection": "AzureWebJobsStorage" } ] }"""));
        var probe = new Probe("QueueProbe") { Fail = true };
        await using var app = App(probe, "host-" + _suffix);
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        var queue = storage.Queue(queueName);
        var poison = storage.Queue(StorageNames.Queues.Poison(queueName));
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();
        _ = app.Server;
        await queue.SendMessageAsync("{\"hello\":1}");

        await Wait.Eventually(async () => (await poison.PeekMessagesAsync()).Value.Length == 1, "a message in the poison queue");
        Assert.Equal("{\"hello\":1}", (await poison.PeekMessagesAsync()).Value[0].Body.ToString());
        Assert.Equal(3, probe.Calls.Count);
        Assert.Equal([1, 2, 3], probe.Calls.Select(c => c.MetadataInt("DequeueCount", 0)).Order());
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task A_blob_that_keeps_failing_is_tried_five_times_then_poisoned()
    {
        var container = "failing" + _suffix;
        Script(("FailingBlob", $$"""{ "bindings": [ { "name": "blob", "type": "blobTrigger", "direction": "in", "path": "{{container}}/{name}", "connection": "AzureWebJobsStorage" } ] }"""));
        var probe = new Probe("FailingBlob") { Fail = true };
        await using var app = App(probe, "host-" + _suffix);
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        var blobs = storage.Container(container);
        await blobs.CreateIfNotExistsAsync();
        _ = app.Server;
        await blobs.GetBlobClient("bad.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes("x")));

        var poison = storage.Queue(StorageNames.Queues.BlobPoison);
        await Wait.Eventually(async () => (await poison.PeekMessagesAsync(32)).Value.Any(m => m.Body.ToString().Contains(container, StringComparison.Ordinal)), "the blob to be poisoned");
        Assert.Equal(5, probe.Calls.Count);
    }

    [Fact]
    public async Task A_timer_runs_on_its_schedule()
    {
        Script(("TickProbe", """{ "bindings": [ { "name": "timer", "type": "timerTrigger", "direction": "in", "schedule": "*/1 * * * * *" } ] }"""));
        var probe = new Probe("TickProbe");
        await using var app = App(probe, "host-" + _suffix);
        _ = app.Server;
        await Wait.Eventually(() => Task.FromResult(probe.Calls.Count >= 2), "the timer to run twice");
        Assert.NotNull(probe.Calls.First().DataText("timer"));
    }
}
