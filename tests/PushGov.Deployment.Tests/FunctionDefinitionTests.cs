using System.Text.Json.Nodes;
using PushGov.Infrastructure.Storage;

namespace PushGov.Deployment.Tests;

/// <summary>
/// Every function.json under functions/PushGov.Functions/function-definitions binds only to storage the
/// template creates, with a connection the app settings provide, and blob triggers are wired to Event Grid.
/// </summary>
[Collection("Bicep")]
public sealed class FunctionDefinitionTests(CompiledTemplate compiled)
{
    private static readonly string DefinitionsDir = Repo.Path("functions", "PushGov.Functions", "function-definitions");

    private sealed record Binding(string Function, JsonObject Json)
    {
        public string Type => Json["type"]!.GetValue<string>();

        public string? Get(string key) => Json[key]?.GetValue<string>();
    }

    private static List<Binding> Bindings() =>
        Directory.EnumerateFiles(DefinitionsDir, "function.json", SearchOption.AllDirectories)
            .SelectMany(file => JsonNode.Parse(File.ReadAllText(file))!["bindings"]!.AsArray()
                .Select(b => new Binding(Path.GetFileName(Path.GetDirectoryName(file))!, b!.AsObject())))
            .ToList();

    [Fact]
    public void IngestDrop_is_a_blob_trigger_on_drops_from_Event_Grid()
    {
        var path = Path.Combine(DefinitionsDir, "IngestDrop", "function.json");
        Assert.True(File.Exists(path), $"{path} is missing.");

        var trigger = Assert.Single(Bindings(), b => b.Function == "IngestDrop" && b.Type == "blobTrigger");
        Assert.Equal("drops/{tenant}/{dataset}/{name}", trigger.Get("path"));
        Assert.Equal("EventGrid", trigger.Get("source"));
        Assert.Equal("AzureWebJobsStorage", trigger.Get("connection"));
        Assert.Equal("blob", trigger.Get("name"));
    }

    [Fact]
    public void Blob_bindings_use_containers_of_StorageNames()
    {
        var blobBindings = Bindings().Where(b => b.Type is "blobTrigger" or "blob").ToList();

        Assert.NotEmpty(blobBindings);
        Assert.All(blobBindings, b =>
            Assert.Contains(b.Get("path")!.Split('/')[0], StorageNames.Containers.All));
    }

    [Fact]
    public void Queue_bindings_use_queues_of_StorageNames()
    {
        var known = StorageNames.Queues.All.Concat(StorageNames.Queues.All.Select(StorageNames.Queues.Poison)).ToList();

        Assert.All(Bindings().Where(b => b.Type is "queueTrigger" or "queue"), b =>
            Assert.Contains(b.Get("queueName"), known));
    }

    [Fact]
    public void Table_bindings_use_tables_of_StorageNames()
    {
        Assert.All(Bindings().Where(b => b.Type == "table"), b =>
            Assert.Contains(b.Get("tableName"), StorageNames.Tables.All));
    }

    [Fact]
    public void Every_storage_connection_is_an_identity_based_connection_the_template_sets()
    {
        var names = AppSettings.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var storageBindings = Bindings().Where(b => b.Type is "blobTrigger" or "blob" or "queueTrigger" or "queue" or "table").ToList();

        Assert.NotEmpty(storageBindings);
        Assert.All(storageBindings, b =>
        {
            var connection = b.Get("connection") ?? "AzureWebJobsStorage";
            Assert.Contains($"{connection}__accountName", names);
            Assert.Contains($"{connection}__credential", names);
        });
    }

    [Fact]
    public void The_drops_Event_Grid_subscription_calls_the_blob_triggered_function_for_its_container()
    {
        var blobTrigger = Assert.Single(Bindings(), b => b.Type == "blobTrigger");
        var subscription = CompiledTemplate.Resources(compiled.ModuleTemplate("dropsSubscription"))
            .Single(r => (string?)r.Resource["type"] == "Microsoft.EventGrid/systemTopics/eventSubscriptions").Resource;
        var destination = subscription["properties"]!["destination"]!;
        var filter = subscription["properties"]!["filter"]!;

        Assert.Equal(blobTrigger.Function, compiled.ModuleParameter("dropsSubscription", "functionName"));
        Assert.Equal(blobTrigger.Get("path")!.Split('/')[0], compiled.ModuleParameter("dropsSubscription", "containerName"));
        Assert.Equal("WebHook", destination["endpointType"]!.GetValue<string>());
        var url = destination["properties"]!["endpointUrl"]!.GetValue<string>();
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}", url, StringComparison.Ordinal);
        Assert.Contains(".systemKeys.blobs_extension", url, StringComparison.Ordinal);
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(
            "[format('/blobServices/default/containers/{0}/blobs/', parameters('containerName'))]",
            filter["subjectBeginsWith"]!.GetValue<string>());
    }
}
