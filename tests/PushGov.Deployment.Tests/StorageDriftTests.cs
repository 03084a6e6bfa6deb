using PushGov.Infrastructure.Storage;

namespace PushGov.Deployment.Tests;

/// <summary>The storage module creates exactly the containers, queues and tables of <see cref="StorageNames"/>.</summary>
[Collection("Bicep")]
public sealed class StorageDriftTests(CompiledTemplate compiled)
{
    private const string ContainerType = "Microsoft.Storage/storageAccounts/blobServices/containers";
    private const string QueueType = "Microsoft.Storage/storageAccounts/queueServices/queues";
    private const string TableType = "Microsoft.Storage/storageAccounts/tableServices/tables";

    [Fact]
    public void Template_creates_every_container_of_StorageNames()
    {
        var created = CompiledTemplate.CreatedNames(compiled.ModuleTemplate("storage"), ContainerType);

        Assert.Empty(StorageNames.Containers.All.Except(created));
    }

    [Fact]
    public void Template_creates_no_container_beyond_StorageNames_and_the_deployment_package_container()
    {
        var created = CompiledTemplate.CreatedNames(
            compiled.ModuleTemplate("storage"), ContainerType, p => compiled.ModuleParameter("storage", p));
        var deploymentContainer = compiled.ModuleParameter("storage", "deploymentContainerName");

        Assert.Equal(
            StorageNames.Containers.All.Append(deploymentContainer).Order(StringComparer.Ordinal),
            created.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Template_creates_every_queue_and_its_poison_queue_and_nothing_else()
    {
        var expected = StorageNames.Queues.All.SelectMany(q => new[] { q, StorageNames.Queues.Poison(q) }).Append(StorageNames.Queues.BlobPoison);

        var created = CompiledTemplate.CreatedNames(compiled.ModuleTemplate("storage"), QueueType);

        Assert.Equal(expected.Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Template_creates_every_table_of_StorageNames_and_nothing_else()
    {
        var created = CompiledTemplate.CreatedNames(compiled.ModuleTemplate("storage"), TableType);

        Assert.Equal(StorageNames.Tables.All.Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Storage_account_refuses_shared_keys_so_every_client_uses_Entra_ID()
    {
        var account = CompiledTemplate.Resources(compiled.ModuleTemplate("storage"))
            .Single(r => (string?)r.Resource["type"] == "Microsoft.Storage/storageAccounts").Resource;

        Assert.False(account["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(account["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>());
    }
}
