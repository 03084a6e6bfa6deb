using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Tenants;

/// <summary>A stored key (the hash only).</summary>
public sealed record ApiKeyRecord(string Tenant, string KeyId, ApiRole Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>API keys in the <c>apikeys</c> table: PartitionKey tenant, RowKey key id.</summary>
public sealed class ApiKeyStore(StorageClients storage, string pepper, TimeProvider clock)
{
    private readonly TableClient _table = storage.Table(StorageNames.Tables.ApiKeys);

    /// <summary>Creates a key and returns it in clear: the only time it is ever shown.</summary>
    public async Task<(string Key, ApiKeyRecord Record)> CreateAsync(string tenant, ApiRole role, string name, CancellationToken ct)
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = RandomNumberGenerator.GetBytes(32);
        var key = ApiKeyFormat.New(tenant, keyId, secret);
        var parsed = ApiKeyFormat.Parse(key)!;
        var now = clock.GetUtcNow();
        await _table.AddEntityAsync(
            new TableEntity(tenant, keyId)
            {
                ["Role"] = role.ToString(),
                ["Name"] = name,
                ["Hash"] = ApiKeyFormat.Hash(parsed.Secret, pepper),
                ["CreatedAt"] = now,
            },
            ct);
        return (key, new ApiKeyRecord(tenant, keyId, role, name, now, null));
    }

    /// <summary>The key's record if the key is genuine and not revoked; null otherwise (no hint which).</summary>
    public async Task<ApiKeyRecord?> AuthenticateAsync(string? key, CancellationToken ct)
    {
        if (ApiKeyFormat.Parse(key) is not { } parsed)
        {
            return null;
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(parsed.Tenant, parsed.KeyId, cancellationToken: ct);
        if (!response.HasValue || response.Value is not { } e || e.GetDateTimeOffset("RevokedAt") is not null)
        {
            return null;
        }

        return ApiKeyFormat.Matches(parsed.Secret, pepper, e.GetString("Hash") ?? string.Empty) && Enum.TryParse<ApiRole>(e.GetString("Role"), out var role)
            ? new ApiKeyRecord(parsed.Tenant, parsed.KeyId, role, e.GetString("Name") ?? string.Empty, e.GetDateTimeOffset("CreatedAt") ?? default, null)
            : null;
    }

    public async Task<bool> RevokeAsync(string tenant, string keyId, CancellationToken ct)
    {
        try
        {
            await _table.UpdateEntityAsync(new TableEntity(tenant, keyId) { ["RevokedAt"] = clock.GetUtcNow() }, ETag.All, TableUpdateMode.Merge, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string tenant, CancellationToken ct)
    {
        var list = new List<ApiKeyRecord>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), cancellationToken: ct))
        {
            list.Add(new ApiKeyRecord(tenant, e.RowKey, Enum.Parse<ApiRole>(e.GetString("Role")), e.GetString("Name") ?? string.Empty, e.GetDateTimeOffset("CreatedAt") ?? default, e.GetDateTimeOffset("RevokedAt")));
        }

        return list;
    }
}
