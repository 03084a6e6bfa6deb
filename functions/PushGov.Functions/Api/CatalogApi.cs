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
    internal static async Task<IResult> GetAsync(string tenant, TenantCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(tenant, ct) is { } view ? Results.Ok(view) : Problems.NotFound("tenant", tenant);
}

/// <summary>The tenant's catalog as an HTTP function.</summary>
public sealed class CatalogFunctions(ApiGate gate, TenantCatalog catalog)
{
    [Function("GetCatalog")]
    public Task<IResult> GetCatalog([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/catalog")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.Catalog, new { tenant }, (http, ct) => CatalogApi.GetAsync(tenant, catalog, ct));
}
