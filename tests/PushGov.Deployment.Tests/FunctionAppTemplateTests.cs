using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PushGov.Deployment.Tests;

/// <summary>
/// The function app module: Flex Consumption running the .NET 10 isolated worker, Durable Functions' task hub in the
/// app's storage account, and exactly the app settings of infra/app-settings.json.
/// </summary>
[Collection("Bicep")]
public sealed partial class FunctionAppTemplateTests(CompiledTemplate compiled)
{
    // Flex Consumption takes these from functionAppConfig and rejects or ignores them as app settings.
    private static readonly string[] NotOnFlexConsumption =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_NODE_DEFAULT_VERSION", "SCM_DO_BUILD_DURING_DEPLOYMENT",
    ];

    private JsonObject Template => compiled.ModuleTemplate("functionApp");

    private JsonObject Resource(string type) =>
        CompiledTemplate.Resources(Template).Single(r => (string?)r.Resource["type"] == type).Resource;

    private IReadOnlyDictionary<string, ArmNode> Settings => compiled.AppSettings("functionApp");

    [Fact]
    public void Template_sets_exactly_the_app_settings_listed_in_app_settings_json()
    {
        var listed = AppSettings.All.Select(s => s.Name).Order(StringComparer.Ordinal);

        var set = Settings.Keys.Order(StringComparer.Ordinal);

        Assert.Equal(listed, set);
    }

    [Fact]
    public void App_settings_json_and_portal_settings_json_list_each_name_once_with_its_meaning()
    {
        Assert.All(new[] { AppSettings.All, AppSettings.Portal }, list =>
        {
            Assert.Equal(list.Count, list.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(list, s => Assert.True(s.Meaning.Length > 20, $"{s.Name} needs a meaning."));
            Assert.All(list, s => Assert.Equal(s.PerTenant is not null, s.Name.Contains("{tenantCode}", StringComparison.Ordinal)));
        });
    }

    [Fact]
    public void Secret_settings_are_Key_Vault_references_and_no_other_setting_is()
    {
        var keyVaultReferenceFunction = Template["functions"]![0]!["members"]!["kvRef"]!["output"]!["value"]!.GetValue<string>();
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)'", keyVaultReferenceFunction, StringComparison.Ordinal);

        var settings = Settings;
        Assert.All(AppSettings.All, s => Assert.True(
            s.Secret == settings[s.Name].IsCall("__bicep.kvRef"),
            $"{s.Name}: secret={s.Secret}, value {ArmExpression.Text(settings[s.Name])}"));
    }

    [Fact]
    public void Per_tenant_settings_are_made_for_each_code_of_the_parameter_their_entry_names()
    {
        var perTenant = AppSettings.All.Where(s => s.PerTenant is not null).ToList();
        Assert.NotEmpty(perTenant);

        var variables = Template["variables"]!.AsObject().Select(v => v.Value is JsonValue text ? text.GetValue<string>() : string.Empty).ToList();
        Assert.All(perTenant, s =>
        {
            var format = s.Name.Replace("{tenantCode}", "{0}", StringComparison.Ordinal);
            Assert.Contains(variables, v => v.Contains($"parameters('{s.PerTenant}')", StringComparison.Ordinal) && v.Contains($"format('{format}'", StringComparison.Ordinal));
        });
        Assert.Equal("array", compiled.Root["parameters"]!["lineTenants"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void The_Event_Grid_secret_setting_references_the_secret_the_template_generates()
    {
        var value = ArmExpression.Text(Settings["PushGov__EventGrid__Secret"]);

        Assert.Contains("parameters('secretNames').eventGridSecret", value, StringComparison.Ordinal);
        Assert.Equal("eventgrid-webhook-secret", compiled.ModuleTemplate("keyVault")["variables"]!["secretNames"]!["eventGridSecret"]!.GetValue<string>());
    }

    [Fact]
    public void The_public_base_url_is_the_app_own_https_host_name()
    {
        var value = ArmExpression.Text(Settings["PushGov__PublicBaseUrl"]);

        Assert.Equal("format('https://{0}', reference('site').defaultHostName)", value);
    }

    [Fact]
    public void Storage_is_reached_with_the_managed_identity_not_a_connection_string()
    {
        var settings = Settings;

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"));
        Assert.Equal(new ArmNode.Literal("managedidentity"), settings["AzureWebJobsStorage__credential"]);
    }

    [Fact]
    public void No_setting_that_Flex_Consumption_does_not_take_is_set()
    {
        var settings = Settings;

        Assert.All(NotOnFlexConsumption, name => Assert.False(settings.ContainsKey(name), name));
    }

    [Fact]
    public void App_runs_on_Flex_Consumption_Linux_as_a_dotnet_isolated_10_app()
    {
        var plan = Resource("Microsoft.Web/serverfarms");
        var site = Resource("Microsoft.Web/sites");
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.Equal("functionapp,linux", site["kind"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        Assert.Equal(
            "UserAssignedIdentity",
            site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Host_json_takes_the_task_hub_name_from_the_setting_the_template_sets()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Repo.Path("host.json")))!;
        var hubName = hostJson["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>();

        Assert.Equal("%PushGov__TaskHub%", hubName);
        Assert.Equal("parameters('taskHubName')", ArmExpression.Text(Settings["PushGov__TaskHub"]));
        Assert.Equal("[parameters('taskHubName')]", compiled.Module("functionApp")["properties"]!["parameters"]!["taskHubName"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Every_default_task_hub_name_is_a_valid_one()
    {
        var parameters = compiled.Root["parameters"]!;
        var taskHub = parameters["taskHubName"]!;
        Assert.Equal("[format('pushgov{0}', parameters('environmentName'))]", taskHub["defaultValue"]!.GetValue<string>());
        Assert.Equal(3, taskHub["minLength"]!.GetValue<int>());
        Assert.Equal(45, taskHub["maxLength"]!.GetValue<int>());

        var environments = parameters["environmentName"]!["allowedValues"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();

        Assert.NotEmpty(environments);
        Assert.All(environments, e => Assert.Matches(TaskHubName(), "pushgov" + e));
    }

    [Fact]
    public void Durable_task_storage_settings_are_tuned_and_never_trace_inputs_or_outputs()
    {
        var durable = JsonNode.Parse(File.ReadAllText(Repo.Path("host.json")))!["extensions"]!["durableTask"]!;
        var storage = durable["storageProvider"]!;

        Assert.InRange(storage["partitionCount"]!.GetValue<int>(), 1, 16);
        Assert.True(TimeSpan.Parse(storage["maxQueuePollingInterval"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(5));
        // Inputs and outputs of activities carry residents' data: they must not reach the logs.
        Assert.False(durable["tracing"]!["traceInputsAndOutputs"]!.GetValue<bool>());
    }

    // Durable Functions task hub names: a letter, then letters and digits, 3 to 45 characters.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubName();
}
