using System.Text.Json.Nodes;

namespace PushGov.Infra.Tests;

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

    private JsonObject SettingsResource =>
        CompiledTemplate.Resources(Template)
            .Single(r => (string?)r.Resource["type"] == "Microsoft.Web/sites/config"
                && r.Resource["name"]!.GetValue<string>().EndsWith("'appsettings')]", StringComparison.Ordinal))
            .Resource["properties"]!.AsObject();

    [Fact]
    public void Template_sets_exactly_the_app_settings_listed_in_app_settings_json()
    {
        var listed = AppSettings.All.Select(s => s.Name).Order(StringComparer.Ordinal);

        var set = SettingsResource.Select(p => p.Key).Order(StringComparer.Ordinal);

        Assert.Equal(listed, set);
    }

    [Fact]
    public void App_settings_json_lists_each_name_once_with_its_meaning()
    {
        Assert.Equal(AppSettings.All.Count, AppSettings.All.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(AppSettings.All, s => Assert.True(s.Meaning.Length > 20, $"{s.Name} needs a meaning."));
    }

    [Fact]
    public void Secret_settings_are_Key_Vault_references_and_no_other_setting_is()
    {
        var keyVaultReferenceFunction = Template["functions"]![0]!["members"]!["kvRef"]!["output"]!["value"]!.GetValue<string>();
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)'", keyVaultReferenceFunction, StringComparison.Ordinal);

        var settings = SettingsResource;
        Assert.All(AppSettings.All, s =>
        {
            var value = settings[s.Name]!.GetValue<string>();
            Assert.True(
                s.Secret == value.StartsWith("[__bicep.kvRef(", StringComparison.Ordinal),
                $"{s.Name}: secret={s.Secret}, value {value}");
        });
    }

    [Fact]
    public void Storage_is_reached_with_the_managed_identity_not_a_connection_string()
    {
        var settings = SettingsResource;

        Assert.Null(settings["AzureWebJobsStorage"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]!.GetValue<string>());
        Assert.Equal("false", settings["PushGov__TriggerHost__Enabled"]!.GetValue<string>());
    }

    [Fact]
    public void No_setting_that_Flex_Consumption_does_not_take_is_set()
    {
        var settings = SettingsResource;

        Assert.All(NotOnFlexConsumption, name => Assert.Null(settings[name]));
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
