using System.Text.Json.Nodes;

namespace PushGov.Deployment.Tests;

/// <summary>The function app module: Flex Consumption, custom handler, and exactly the app settings of infra/app-settings.json.</summary>
[Collection("Bicep")]
public sealed class FunctionAppTemplateTests(CompiledTemplate compiled)
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
        Assert.Equal(new ArmNode.Literal("false"), settings["PushGov__TriggerHost__Enabled"]);
    }

    [Fact]
    public void No_setting_that_Flex_Consumption_does_not_take_is_set()
    {
        var settings = Settings;

        Assert.All(NotOnFlexConsumption, name => Assert.False(settings.ContainsKey(name), name));
    }

    [Fact]
    public void App_runs_on_Flex_Consumption_Linux_as_a_custom_handler()
    {
        var plan = Resource("Microsoft.Web/serverfarms");
        var site = Resource("Microsoft.Web/sites");
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.Equal("functionapp,linux", site["kind"]!.GetValue<string>());
        Assert.Equal("custom", runtime["name"]!.GetValue<string>());
        Assert.Equal("1.0", runtime["version"]!.GetValue<string>());
        Assert.Equal(
            "UserAssignedIdentity",
            site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
    }
}
