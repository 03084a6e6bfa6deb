using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PushGov.Domain.Serialization;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Tenants;

/// <summary>Tenant configurations in the <c>tenants</c> table (PartitionKey "tenant", RowKey the code).</summary>
public sealed class TenantStore(StorageClients storage)
{
    private const string Partition = "tenant";
    private readonly TableClient _table = storage.Table(StorageNames.Tables.Tenants);

    public async Task<TenantConfig?> GetAsync(string code, CancellationToken ct)
    {
        var e = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, code, cancellationToken: ct);
        return e.HasValue ? JsonSerializer.Deserialize<TenantConfig>(e.Value!.GetString("Config"), PushGovJson.Options) : null;
    }

    /// <summary>Creates or replaces a tenant after validating it. Throws <see cref="ArgumentException"/> listing every error.</summary>
    public async Task SaveAsync(TenantConfig config, bool create, CancellationToken ct)
    {
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("The tenant configuration is not valid:\n  " + string.Join("\n  ", errors));
        }

        var entity = new TableEntity(Partition, config.Code) { ["Config"] = JsonSerializer.Serialize(config, PushGovJson.Options) };
        try
        {
            if (create)
            {
                await _table.AddEntityAsync(entity, ct);
            }
            else
            {
                await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
            }
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new ArgumentException($"Tenant {config.Code} exists already; use 'tenant set'.", e);
        }
    }

    public async Task<IReadOnlyList<TenantConfig>> ListAsync(CancellationToken ct)
    {
        var list = new List<TenantConfig>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: ct))
        {
            list.Add(JsonSerializer.Deserialize<TenantConfig>(e.GetString("Config"), PushGovJson.Options)!);
        }

        return list;
    }
}
