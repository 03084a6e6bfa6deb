using System.Text.Json.Nodes;

namespace PushGov.Deployment.Tests;

/// <summary>Role assignments: what the app's identity needs for the Functions host and Durable Functions' task hub, and no more; only Key Vault for the portal.</summary>
[Collection("Bicep")]
public sealed class RolesTemplateTests(CompiledTemplate compiled)
{
    // Built-in role definition ids (the same in every tenant).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";

    private JsonObject Template => compiled.ModuleTemplate("roles");

    private IEnumerable<JsonObject> Assignments =>
        CompiledTemplate.Resources(Template).Select(r => r.Resource).Where(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments");

    /// <summary>The role definition ids an assignment (or a copy loop of assignments) grants.</summary>
    private IEnumerable<string> RoleIds(JsonObject assignment)
    {
        var roles = Template["variables"]!["roles"]!.AsObject();
        var expression = assignment["copy"] is { } copy
            ? copy["count"]!.GetValue<string>()
            : assignment["properties"]!["roleDefinitionId"]!.GetValue<string>();
        return roles.Where(r => expression.Contains($"variables('roles').{r.Key}", StringComparison.Ordinal)).Select(r => r.Value!.GetValue<string>());
    }

    [Fact]
    public void The_app_identity_has_exactly_the_storage_roles_the_host_and_the_Durable_task_hub_need()
    {
        var onStorage = Assignments
            .Where(a => a["scope"]!.GetValue<string>().Contains("Microsoft.Storage/storageAccounts", StringComparison.Ordinal))
            .Where(a => a["properties"]!["principalId"]!.GetValue<string>().Contains("parameters('identityName')", StringComparison.Ordinal))
            .SelectMany(RoleIds)
            .Order(StringComparer.Ordinal);

        Assert.Equal(new[] { StorageTableDataContributor, StorageQueueDataContributor, StorageBlobDataOwner }.Order(StringComparer.Ordinal), onStorage);
    }

    [Fact]
    public void The_portal_identity_only_reads_Key_Vault_secrets()
    {
        var portal = Assignments
            .Where(a => a["properties"]!["principalId"]!.GetValue<string>().Contains("portalIdentityName", StringComparison.Ordinal))
            .ToList();

        var only = Assert.Single(portal);
        Assert.Equal("[not(empty(parameters('portalIdentityName')))]", only["condition"]!.GetValue<string>());
        Assert.Contains("Microsoft.KeyVault/vaults", only["scope"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", Assert.Single(RoleIds(only))); // Key Vault Secrets User
    }
}
