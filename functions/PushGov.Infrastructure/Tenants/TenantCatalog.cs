using PushGov.Domain.Eligibility;

namespace PushGov.Infrastructure.Tenants;

/// <summary>One part of a rule version: its deadline as the catalog writes it (<c>14 days</c>, <c>next 11-30</c>, …).</summary>
public sealed record CatalogPartView(string? Id, string Deadline, bool NeedsClaim, string? Note);

/// <summary>A rule version, in force from <see cref="ValidFrom"/> to <see cref="ValidTo"/> (open when null).</summary>
public sealed record CatalogVersionView(DateOnly ValidFrom, DateOnly? ValidTo, IReadOnlyDictionary<string, string>? Names, IReadOnlyList<CatalogPartView> Parts, string? Note);

/// <summary>A service of the tenant's catalog as staff see it: names, triggers, where to apply, and its rule versions.</summary>
public sealed record CatalogServiceView(
    string Id,
    IReadOnlyDictionary<string, string> Names,
    IReadOnlyList<string> Triggers,
    string? Department,
    string? Counter,
    string? PortalUrl,
    bool NeedsClaim,
    bool UsesTaxData,
    bool NeedsPerson,
    string? Note,
    IReadOnlyList<CatalogVersionView> Versions);

/// <summary>The catalog a tenant's cases are matched with.</summary>
public sealed record TenantCatalogView(string Tenant, string Source, IReadOnlyList<CatalogServiceView> Services);

/// <summary>
/// The catalog in force for a tenant, for staff and portals. Every tenant uses the default catalog today (tenant
/// overrides are not configurable yet), so this reads the one the matcher compiles; the tenant must exist.
/// </summary>
public sealed class TenantCatalog(TenantDirectory tenants, Func<Catalog> catalog)
{
    /// <summary>The catalog itself (the same for every tenant today).</summary>
    public Catalog Current => catalog();

    public async Task<TenantCatalogView?> GetAsync(string tenant, CancellationToken ct)
    {
        if (await tenants.FindAsync(tenant, ct) is null)
        {
            return null;
        }

        var c = catalog();
        return new TenantCatalogView(tenant, c.Source, c.Services.Select(s => new CatalogServiceView(
            s.Id,
            s.Names,
            s.Triggers.Select(t => t.ToString()).ToList(),
            s.Department,
            s.Counter,
            s.PortalUrl,
            s.NeedsClaim,
            s.UsesTaxData,
            s.NeedsPerson,
            s.Note,
            s.Versions.Select(v => new CatalogVersionView(
                v.ValidFrom,
                v.ValidTo,
                v.Names,
                v.Parts.Select(p => new CatalogPartView(p.Id, p.Deadline.Text, p.NeedsClaim ?? s.NeedsClaim, p.Note)).ToList(),
                v.Note)).ToList())).ToList());
    }
}
