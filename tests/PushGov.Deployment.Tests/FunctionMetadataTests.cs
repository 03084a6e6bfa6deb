using System.Text.Json;
using System.Text.Json.Nodes;
using PushGov.Infrastructure.Storage;

namespace PushGov.Deployment.Tests;

/// <summary>
/// The functions.metadata the Worker SDK wrote for the packaged app binds only to storage the template creates, with
/// connections the app settings provide, and the Event Grid subscriptions of the template reach functions that exist:
/// IngestDrop (an Event Grid blob trigger on drops) and POST /api/events/acs.
/// </summary>
[Collection("Package")]
public sealed class FunctionMetadataTests(PackagedApp app, CompiledTemplate compiled)
{
    private sealed record Binding(string Function, JsonElement Json)
    {
        public string Type => Json.GetProperty("type").GetString()!;

        public string? Get(string key) => Json.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private List<Binding> Bindings() =>
        app.Metadata.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray().Select(b => new Binding(f.GetProperty("name").GetString()!, b)))
            .ToList();

    [Fact]
    public void IngestDrop_is_an_Event_Grid_blob_trigger_on_drops_that_starts_orchestrations_and_the_drops_subscription_calls_it()
    {
        var trigger = Assert.Single(Bindings(), b => b.Type == "blobTrigger");

        Assert.Equal("IngestDrop", trigger.Function);
        Assert.Equal("drops/{tenant}/{dataset}/{name}", trigger.Get("path"));
        Assert.Equal("EventGrid", trigger.Get("source"));
        Assert.Contains(Bindings(), b => b.Function == "IngestDrop" && b.Type == "durableClient");
        Assert.Equal(trigger.Function, compiled.ModuleParameter("dropsSubscription", "functionName"));
        Assert.Equal(trigger.Get("path")!.Split('/')[0], compiled.ModuleParameter("dropsSubscription", "containerName"));
    }

    [Fact]
    public void The_ACS_subscription_target_is_a_POST_route_of_the_app()
    {
        var routePrefix = JsonNode.Parse(File.ReadAllText(Repo.Path("host.json")))!["extensions"]!["http"]!["routePrefix"]!.GetValue<string>();
        var endpoint = CompiledTemplate.Resources(compiled.ModuleTemplate("acsSubscription")).Single().Resource["properties"]!["destination"]!["properties"]!["endpointUrl"]!.GetValue<string>();

        var acs = Assert.Single(Bindings(), b => b.Type == "httpTrigger" && b.Get("route") == "events/acs");

        Assert.Contains(acs.Json.GetProperty("methods").EnumerateArray(), m => string.Equals(m.GetString(), "post", StringComparison.OrdinalIgnoreCase));
        Assert.Contains($"/{routePrefix}/{acs.Get("route")}'", endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_run_as_Durable_orchestrations_with_activities()
    {
        Assert.Contains(Bindings(), b => b.Type == "orchestrationTrigger");
        Assert.Contains(Bindings(), b => b.Type == "activityTrigger");
    }

    [Fact]
    public void Blob_bindings_use_containers_of_StorageNames()
    {
        var blobBindings = Bindings().Where(b => b.Type is "blobTrigger" or "blob").ToList();

        Assert.NotEmpty(blobBindings);
        Assert.All(blobBindings, b => Assert.Contains(b.Get("path")!.Split('/')[0], StorageNames.Containers.All));
    }

    [Fact]
    public void Queue_bindings_use_queues_of_StorageNames()
    {
        var known = StorageNames.Queues.All.Concat(StorageNames.Queues.All.Select(StorageNames.Queues.Poison)).ToList();
        var queueBindings = Bindings().Where(b => b.Type is "queueTrigger" or "queue").ToList();

        Assert.NotEmpty(queueBindings);
        Assert.All(queueBindings, b => Assert.Contains(b.Get("queueName"), known));
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
}
