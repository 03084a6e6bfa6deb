using System.Collections.Concurrent;
using PushGov.Domain.Tenants;

namespace PushGov.Infrastructure.Tenants;

/// <summary>Tenant configurations with a short in-memory cache (the hot paths read them per message).</summary>
public sealed class TenantDirectory(TenantStore store, TimeProvider clock)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (TenantConfig? Config, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    /// <summary>The tenant's configuration, or null when no such tenant was created.</summary>
    public async Task<TenantConfig?> FindAsync(string code, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(code, out var hit) && now - hit.At < Fresh)
        {
            return hit.Config;
        }

        var config = await store.GetAsync(code, ct);
        _cache[code] = (config, now);
        return config;
    }

    public async Task<TenantConfig> GetAsync(string code, CancellationToken ct) =>
        await FindAsync(code, ct) ?? throw new InvalidOperationException($"Tenant {code} is not configured.");
}
