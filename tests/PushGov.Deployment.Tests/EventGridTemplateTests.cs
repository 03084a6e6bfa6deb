using System.Text.Json.Nodes;

namespace PushGov.Deployment.Tests;

/// <summary>
/// The two Event Grid subscriptions: drops to the blob extension webhook of IngestDrop, and ACS delivery reports and
/// inbound SMS to POST /api/events/acs, authenticated with the secret the app reads from Key Vault.
/// </summary>
[Collection("Bicep")]
public sealed class EventGridTemplateTests(CompiledTemplate compiled)
{
    private const string SubscriptionType = "Microsoft.EventGrid/systemTopics/eventSubscriptions";

    private JsonObject Subscription(string module) => compiled.ModuleResource(module, SubscriptionType);

    [Fact]
    public void Both_subscriptions_are_created_only_once_the_code_is_deployed()
    {
        Assert.Equal("[parameters('deployEventSubscriptions')]", compiled.Module("dropsSubscription")["condition"]!.GetValue<string>());
        Assert.Equal("[parameters('deployEventSubscriptions')]", compiled.Module("acsSubscription")["condition"]!.GetValue<string>());
    }

    [Fact]
    public void The_drops_subscription_calls_the_blob_extension_webhook_of_IngestDrop_for_new_blobs_in_drops()
    {
        var destination = Subscription("dropsSubscription")["properties"]!["destination"]!;
        var filter = Subscription("dropsSubscription")["properties"]!["filter"]!;
        var url = destination["properties"]!["endpointUrl"]!.GetValue<string>();

        Assert.Equal("IngestDrop", compiled.ModuleParameter("dropsSubscription", "functionName"));
        Assert.Equal("drops", compiled.ModuleParameter("dropsSubscription", "containerName"));
        Assert.Equal("WebHook", destination["endpointType"]!.GetValue<string>());
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}", url, StringComparison.Ordinal);
        Assert.Contains(".systemKeys.blobs_extension", url, StringComparison.Ordinal);
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(
            "[format('/blobServices/default/containers/{0}/blobs/', parameters('containerName'))]",
            filter["subjectBeginsWith"]!.GetValue<string>());
    }

    [Fact]
    public void The_ACS_topic_listens_to_the_Communication_Services_resource()
    {
        var topics = CompiledTemplate.Resources(compiled.ModuleTemplate("eventGrid"))
            .Select(r => r.Resource)
            .Where(r => (string?)r["type"] == "Microsoft.EventGrid/systemTopics")
            .ToList();

        var acs = Assert.Single(topics, t => t["properties"]!["topicType"]!.GetValue<string>() == "Microsoft.Communication.CommunicationServices");
        Assert.Equal("global", acs["location"]!.GetValue<string>());
        Assert.Contains("Microsoft.Communication/communicationServices", acs["properties"]!["source"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(topics, t => t["properties"]!["topicType"]!.GetValue<string>() == "Microsoft.Storage.StorageAccounts");
    }

    [Fact]
    public void The_ACS_subscription_delivers_delivery_reports_and_inbound_SMS_to_the_events_acs_route()
    {
        var properties = Subscription("acsSubscription")["properties"]!;
        var destination = properties["destination"]!;

        Assert.Equal("WebHook", destination["endpointType"]!.GetValue<string>());
        Assert.Equal(
            "[format('https://{0}/api/events/acs', reference(resourceId('Microsoft.Web/sites', parameters('functionAppName')), '2024-11-01').defaultHostName)]",
            destination["properties"]!["endpointUrl"]!.GetValue<string>());
        Assert.Equal("[variables('names').functionApp]", compiled.Module("acsSubscription")["properties"]!["parameters"]!["functionAppName"]!["value"]!.GetValue<string>());
        Assert.Equal(
            ["Microsoft.Communication.EmailDeliveryReportReceived", "Microsoft.Communication.SMSDeliveryReportReceived", "Microsoft.Communication.SMSReceived"],
            properties["filter"]!["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("EventGridSchema", properties["eventDeliverySchema"]!.GetValue<string>());
    }

    [Fact]
    public void Every_ACS_delivery_carries_the_Key_Vault_secret_in_a_secret_header()
    {
        var destination = Subscription("acsSubscription")["properties"]!["destination"]!["properties"]!;
        var mapping = Assert.Single(destination["deliveryAttributeMappings"]!.AsArray())!;

        Assert.Equal("Static", mapping["type"]!.GetValue<string>());
        Assert.Equal("[parameters('deliveryHeaderName')]", mapping["name"]!.GetValue<string>());
        Assert.Equal("[parameters('secret')]", mapping["properties"]!["value"]!.GetValue<string>());
        Assert.True(mapping["properties"]!["isSecret"]!.GetValue<bool>());
        Assert.Equal("securestring", compiled.ModuleTemplate("acsSubscription")["parameters"]!["secret"]!["type"]!.GetValue<string>());
        Assert.Equal("X-PushGov-EventGrid-Secret", compiled.ModuleParameter("acsSubscription", "deliveryHeaderName"));

        // The header's value is read from the vault at deployment: the very secret the app setting references.
        var secret = compiled.Module("acsSubscription")["properties"]!["parameters"]!["secret"]!["reference"]!;
        Assert.Equal("[resourceId('Microsoft.KeyVault/vaults', variables('names').keyVault)]", secret["keyVault"]!["id"]!.GetValue<string>());
        Assert.Equal("[reference('keyVault').outputs.secretNames.value.eventGridSecret]", secret["secretName"]!.GetValue<string>());
        Assert.Equal("[reference('keyVault').outputs.secretNames.value]", compiled.Module("functionApp")["properties"]!["parameters"]!["secretNames"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_template_generates_the_webhook_secret_and_lets_itself_read_it_back()
    {
        var keyVault = compiled.ModuleTemplate("keyVault");
        var vault = CompiledTemplate.Resources(keyVault).Single(r => (string?)r.Resource["type"] == "Microsoft.KeyVault/vaults").Resource;
        var secret = CompiledTemplate.Resources(keyVault)
            .Select(r => r.Resource)
            .Single(r => (string?)r["type"] == "Microsoft.KeyVault/vaults/secrets" && r["name"]!.GetValue<string>().Contains("eventGridSecret", StringComparison.Ordinal));
        var parameter = compiled.Root["parameters"]!["eventGridSecret"]!;

        Assert.True(vault["properties"]!["enabledForTemplateDeployment"]!.GetValue<bool>());
        Assert.Equal("[parameters('writeEventGridSecret')]", secret["condition"]!.GetValue<string>());
        Assert.Equal("[parameters('eventGridSecret')]", secret["properties"]!["value"]!.GetValue<string>());
        Assert.Equal("securestring", parameter["type"]!.GetValue<string>());
        // Two random GUIDs: 72 characters (the app wants at least 32), 244 random bits.
        Assert.Equal("[format('{0}{1}', newGuid(), newGuid())]", parameter["defaultValue"]!.GetValue<string>());
        Assert.Equal("[parameters('writeEventGridSecret')]", compiled.Module("keyVault")["properties"]!["parameters"]!["writeEventGridSecret"]!["value"]!.GetValue<string>());
    }
}
