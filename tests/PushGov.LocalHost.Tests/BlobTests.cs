using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using PushGov.LocalHost.SampleApp;
using PushGov.Testing;

namespace PushGov.LocalHost.Tests;

[Collection("Azurite")]
public sealed class BlobTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_blob_triggers_once_per_version_with_the_parts_of_its_path_as_binding_data()
    {
        var probe = new Probe();
        var (containerName, hostId) = (AzuriteFixture.Unique("drops"), AzuriteFixture.Unique("h"));
        await using var host = await SampleHost.StartAsync(azurite, probe, ["Drop"], new Dictionary<string, string?> { ["DropContainer"] = containerName }, hostId);
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();

        var first = await container.GetBlobClient("131016/residents/a.csv").UploadAsync(BinaryData.FromString("v1"));
        await Eventually.Events(probe, e => e.Contains("drop 131016 residents a.csv v1"), "the first version");
        await container.GetBlobClient("131016/residents/a.csv").UploadAsync(BinaryData.FromString("v2"), overwrite: true);
        await Eventually.Events(probe, e => e.Contains("drop 131016 residents a.csv v2"), "the second version");
        await container.GetBlobClient("131016/households/2026/b.csv").UploadAsync(BinaryData.FromString("v1"));
        var events = await Eventually.Events(probe, e => e.Contains("drop 131016 households 2026/b.csv v1"), "a blob whose name has a slash");

        Assert.Equal(3, events.Length);
        var receipt = new BlobContainerClient(azurite.ConnectionString, "azure-webjobs-hosts")
            .GetBlobClient($"blobreceipts/{hostId}/Host.Functions.Drop/{first.Value.ETag}/{containerName}/131016/residents/a.csv");
        var metadata = (await receipt.GetPropertiesAsync()).Value.Metadata;
        Assert.False(metadata.ContainsKey("Incomplete"));
        Assert.Equal("1", metadata["Tries"]);
    }

    [Fact]
    public async Task A_blob_trigger_can_bind_a_BlobClient()
    {
        var probe = new Probe();
        var containerName = AzuriteFixture.Unique("client");
        await using var host = await SampleHost.StartAsync(azurite, probe, ["DropClient"], new Dictionary<string, string?> { ["ClientContainer"] = containerName }, AzuriteFixture.Unique("h"));
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();

        await container.GetBlobClient("x.bin").UploadAsync(BinaryData.FromBytes(new byte[7]));

        Assert.Equal(["client x.bin 7"], await Eventually.Events(probe, e => e.Length > 0, "the blob"));
    }

    [Fact]
    public async Task A_blob_whose_function_fails_is_tried_five_times_then_goes_to_the_poison_queue_and_is_not_tried_again()
    {
        var probe = new Probe();
        var containerName = AzuriteFixture.Unique("bad");
        await using var host = await SampleHost.StartAsync(azurite, probe, ["BadDrop"], new Dictionary<string, string?> { ["BadContainer"] = containerName }, AzuriteFixture.Unique("h"));
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();
        var poison = new QueueClient(azurite.ConnectionString, "webjobs-blobtrigger-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

        var uploaded = await container.GetBlobClient("first.csv").UploadAsync(BinaryData.FromString("broken"));
        var message = await PoisonMessageAsync(poison, containerName, "first.csv");
        await container.GetBlobClient("second.csv").UploadAsync(BinaryData.FromString("broken"));
        await PoisonMessageAsync(poison, containerName, "second.csv");

        Assert.Equal(5, probe.Events.Count(e => e == "bad first.csv broken"));
        Assert.Equal(5, probe.Events.Count(e => e == "bad second.csv broken"));
        Assert.Equal("BlobTrigger", message.GetProperty("Type").GetString());
        Assert.Equal("Host.Functions.BadDrop", message.GetProperty("FunctionId").GetString());
        Assert.Equal("BlockBlob", message.GetProperty("BlobType").GetString());
        Assert.Equal(uploaded.Value.ETag.ToString(), message.GetProperty("ETag").GetString());
    }

    [Fact]
    public async Task Two_host_instances_run_each_blob_version_exactly_once_between_them()
    {
        var (one, two) = (new Probe(), new Probe());
        var (containerName, hostId) = (AzuriteFixture.Unique("shared"), AzuriteFixture.Unique("h"));
        var settings = new Dictionary<string, string?> { ["DropContainer"] = containerName };
        await using var first = await SampleHost.StartAsync(azurite, one, ["Drop"], settings, hostId);
        await using var second = await SampleHost.StartAsync(azurite, two, ["Drop"], settings, hostId);
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();

        for (var i = 0; i < 12; i++)
        {
            await container.GetBlobClient($"131016/residents/{i}.csv").UploadAsync(BinaryData.FromString("v1"));
        }

        await Wait.Eventually(() => Task.FromResult(one.Events.Count + two.Events.Count), n => n >= 12, "every blob", TimeSpan.FromSeconds(30));
        var last = await container.GetBlobClient("131016/residents/last.csv").UploadAsync(BinaryData.FromString("v1"));
        await Wait.Eventually(() => Task.FromResult(one.Events.Concat(two.Events).ToArray()), e => e.Any(x => x.Contains("last.csv", StringComparison.Ordinal)), "the last blob", TimeSpan.FromSeconds(30));

        var all = one.Events.Concat(two.Events).ToList();
        Assert.Equal(13, all.Count);
        Assert.Equal(13, all.Distinct().Count());
    }

    private static async Task<JsonElement> PoisonMessageAsync(QueueClient poison, string container, string blob)
    {
        var messages = await Wait.Eventually(
            async () => await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(32)).Value : [],
            m => m.Any(x => Matches(x.Body, container, blob)), $"the poison message for {blob}", TimeSpan.FromSeconds(60));
        return JsonDocument.Parse(messages.First(x => Matches(x.Body, container, blob)).Body).RootElement.Clone();
    }

    private static bool Matches(BinaryData body, string container, string blob)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("ContainerName").GetString() == container && json.RootElement.GetProperty("BlobName").GetString() == blob;
    }
}
