using PushGov.Functions.Contract;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Api;

/// <summary>
/// The tenant's catalog: services, their rule versions with the day each comes into force, and deadlines.
/// <code>
/// GET /api/tenants/{tenant}/catalog
/// </code>
/// </summary>
public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder tenants)
    {
        tenants.MapGet("/{tenant}/catalog", GetAsync).Describe(ApiContract.Catalog);
        return tenants;
    }

    private static async Task<IResult> GetAsync(string tenant, TenantCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(tenant, ct) is { } view ? Results.Ok(view) : Problems.NotFound("tenant", tenant);
}
