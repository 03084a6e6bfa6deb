using System.Text.Json.Nodes;

namespace PushGov.Deployment.Tests;

/// <summary>The portal: App Service on Linux (.NET 10) with its own identity, behind Microsoft Entra ID (Easy Auth).</summary>
[Collection("Bicep")]
public sealed class PortalTemplateTests(CompiledTemplate compiled)
{
    private JsonObject Template => compiled.ModuleTemplate("portal");

    private JsonObject Site => compiled.ModuleResource("portal", "Microsoft.Web/sites");

    private JsonObject Auth =>
        CompiledTemplate.Resources(Template)
            .Select(r => r.Resource)
            .Single(r => (string?)r["type"] == "Microsoft.Web/sites/config" && r["name"]!.GetValue<string>().EndsWith("'authsettingsV2')]", StringComparison.Ordinal))["properties"]!.AsObject();

    private string MainParameter(string parameter) =>
        compiled.Module("portal")["properties"]!["parameters"]![parameter]!["value"]!.GetValue<string>();

    [Fact]
    public void The_portal_is_deployed_only_with_its_and_the_API_Entra_app_registrations()
    {
        Assert.Equal("[and(not(empty(parameters('portalEntraClientId'))), not(empty(parameters('apiEntraAudience'))))]", compiled.Root["variables"]!["deployPortal"]!.GetValue<string>());
        Assert.Equal("[variables('deployPortal')]", compiled.Module("portal")["condition"]!.GetValue<string>());
        Assert.Equal("[parameters('portalEntraClientId')]", MainParameter("entraClientId"));
        Assert.Equal("[parameters('entraTenantId')]", MainParameter("entraTenantId"));
        Assert.Equal("[parameters('apiEntraAudience')]", MainParameter("apiAudience"));
    }

    [Fact]
    public void The_API_accepts_the_Entra_tokens_the_portal_forwards()
    {
        var settings = compiled.AppSettings("functionApp");
        var functionApp = compiled.Module("functionApp")["properties"]!["parameters"]!;

        Assert.Equal("parameters('entraAudience')", ArmExpression.Text(settings["PushGov__Entra__Audience"]));
        Assert.Equal("parameters('entraAuthority')", ArmExpression.Text(settings["PushGov__Entra__Authority"]));
        Assert.Equal("[parameters('apiEntraAudience')]", functionApp["entraAudience"]!["value"]!.GetValue<string>());
        Assert.Equal(
            "[if(empty(parameters('apiEntraAudience')), createObject('value', ''), createObject('value', format('{0}{1}/v2.0', environment().authentication.loginEndpoint, parameters('entraTenantId'))))]",
            functionApp["entraAuthority"]!.GetValue<string>());
    }

    [Fact]
    public void The_portal_runs_dotnet_10_on_Linux_App_Service_over_https_only()
    {
        var site = Site;
        var plan = compiled.ModuleResource("portal", "Microsoft.Web/serverfarms");

        Assert.Equal("app,linux", site["kind"]!.GetValue<string>());
        Assert.True(plan["properties"]!["reserved"]!.GetValue<bool>());
        Assert.Equal("DOTNETCORE|10.0", site["properties"]!["siteConfig"]!["linuxFxVersion"]!.GetValue<string>());
        Assert.Equal("dotnet PushGov.Portal.dll", site["properties"]!["siteConfig"]!["appCommandLine"]!.GetValue<string>());
        Assert.True(site["properties"]!["httpsOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void The_portal_runs_as_its_own_user_assigned_identity_and_resolves_Key_Vault_references_with_it()
    {
        var site = Site;

        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("[parameters('identityId')]", site["properties"]!["keyVaultReferenceIdentity"]!.GetValue<string>());
        Assert.Equal("[reference('portalIdentity').outputs.id.value]", MainParameter("identityId"));
        Assert.Equal(
            "[if(variables('deployPortal'), createObject('value', variables('names').portalIdentity), createObject('value', ''))]",
            compiled.Module("roles")["properties"]!["parameters"]!["portalIdentityName"]!.GetValue<string>());
    }

    [Fact]
    public void Every_request_needs_a_Microsoft_Entra_sign_in_that_also_gets_a_token_for_the_API()
    {
        var auth = Auth;
        var entra = auth["identityProviders"]!["azureActiveDirectory"]!;

        Assert.True(auth["platform"]!["enabled"]!.GetValue<bool>());
        Assert.True(auth["globalValidation"]!["requireAuthentication"]!.GetValue<bool>());
        Assert.Equal("RedirectToLoginPage", auth["globalValidation"]!["unauthenticatedClientAction"]!.GetValue<string>());
        // Only the residents' pages (their signed link is the credential) and their stylesheet go without a staff sign-in.
        Assert.Equal(["/r/*", "/css/*"], auth["globalValidation"]!["excludedPaths"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(auth["httpSettings"]!["requireHttps"]!.GetValue<bool>());
        Assert.True(entra["enabled"]!.GetValue<bool>());
        Assert.Equal("[parameters('entraClientId')]", entra["registration"]!["clientId"]!.GetValue<string>());
        Assert.Equal(
            "[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, parameters('entraTenantId'))]",
            entra["registration"]!["openIdIssuer"]!.GetValue<string>());
        Assert.Equal(
            "[format('scope=openid profile offline_access {0}/user_impersonation', parameters('apiAudience'))]",
            Assert.Single(entra["login"]!["loginParameters"]!.AsArray())!.GetValue<string>());
        Assert.True(auth["login"]!["tokenStore"]!["enabled"]!.GetValue<bool>());

        // Easy Auth reads its client secret from the app setting it names: a Key Vault reference.
        var secretSetting = entra["registration"]!["clientSecretSettingName"]!.GetValue<string>();
        Assert.True(compiled.AppSettings("portal")[secretSetting].IsCall("__bicep.kvRef"));
    }

    [Fact]
    public void Template_sets_exactly_the_settings_of_portal_settings_json_and_secrets_are_Key_Vault_references()
    {
        var settings = compiled.AppSettings("portal");

        Assert.Equal(AppSettings.Portal.Select(s => s.Name).Order(StringComparer.Ordinal), settings.Keys.Order(StringComparer.Ordinal));
        Assert.All(AppSettings.Portal, s => Assert.True(
            s.Secret == settings[s.Name].IsCall("__bicep.kvRef"),
            $"{s.Name}: secret={s.Secret}, value {ArmExpression.Text(settings[s.Name])}"));
    }

    [Fact]
    public void The_portal_calls_the_function_app_API()
    {
        var settings = compiled.AppSettings("portal");

        Assert.Equal("[format('https://{0}', reference('functionApp').outputs.defaultHostName.value)]", MainParameter("apiBaseUrl"));
        Assert.Equal("parameters('apiBaseUrl')", ArmExpression.Text(settings["PushGov__Portal__ApiBaseUrl"]));
        Assert.Equal(new ArmNode.Literal("true"), settings["PushGov__Portal__EasyAuth__Enabled"]);
        Assert.Equal("parameters('tenantCode')", ArmExpression.Text(settings["PushGov__Portal__EasyAuth__Tenant"]));
        Assert.Equal("[parameters('portalTenantCode')]", MainParameter("tenantCode"));
    }
}
