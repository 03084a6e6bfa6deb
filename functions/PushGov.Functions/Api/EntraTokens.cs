using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using PushGov.Domain.Serialization;

namespace PushGov.Functions.Api;

/// <summary>
/// <c>PushGov:Entra</c>: Microsoft Entra ID access tokens as the alternative to API keys (docs/api.md). Off unless
/// <see cref="Authority"/> and <see cref="Audience"/> are set.
/// </summary>
public sealed class EntraOptions
{
    public const string Section = "PushGov:Entra";

    /// <summary>e.g. <c>https://login.microsoftonline.com/{entra-tenant-id}/v2.0</c>; the signing keys come from its metadata.</summary>
    public string? Authority { get; set; }

    /// <summary>The API's application ID URI or client id, e.g. <c>api://pushgov</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>The expected issuer; defaults to the issuer in the authority's metadata.</summary>
    public string? Issuer { get; set; }

    /// <summary>The claim that names the PushGov tenant (local government code); an optional claim or a directory extension.</summary>
    public string TenantClaim { get; set; } = "pushgov_tenant";

    /// <summary>The claim that carries app roles: values <c>PushGov.ResidentPortal</c>, <c>PushGov.Staff</c>, <c>PushGov.Admin</c>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim used as the actor in history and audit (the object id: stable, not personal data in clear).</summary>
    public string ActorClaim { get; set; } = "oid";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(Audience);
}

/// <summary>Turns a validated Entra ID token (issuer, audience, lifetime, signature checked by JwtBearer) into an <see cref="ApiPrincipal"/>.</summary>
public sealed class EntraTokens(EntraOptions options)
{
    public const string RolePrefix = "PushGov.";

    public async Task<(ApiPrincipal? Caller, string? Failure)> AuthenticateAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is not { } user)
        {
            return (null, "The bearer token is not valid for this API (signature, issuer, audience or lifetime).");
        }

        var tenant = user.FindFirstValue(options.TenantClaim);
        if (string.IsNullOrEmpty(tenant) || !TenantCode.TryParse(tenant, out _))
        {
            return (null, $"The token has no '{options.TenantClaim}' claim with a tenant code.");
        }

        ApiRole? role = null;
        foreach (var claim in user.FindAll(options.RoleClaim))
        {
            // Only PushGov.{defined role name}: no numbers ("PushGov.2"), no other case, no role without the prefix.
            if (claim.Value.StartsWith(RolePrefix, StringComparison.Ordinal) && EnumNames.TryParse<ApiRole>(claim.Value[RolePrefix.Length..], out var r) && r != ApiRole.Test && (role is null || Rank(r) > Rank(role.Value)))
            {
                role = r;
            }
        }

        if (role is null)
        {
            return (null, $"The token carries no PushGov role in '{options.RoleClaim}'.");
        }

        var actor = user.FindFirstValue(options.ActorClaim) ?? user.FindFirstValue("sub") ?? "unknown";
        return (new ApiPrincipal(tenant, role.Value, $"entra:{actor}"), null);
    }

    /// <summary>The role with more permissions counts (they nest: admin ⊇ staff ⊇ resident portal).</summary>
    private static int Rank(ApiRole role) => System.Numerics.BitOperations.PopCount((uint)ApiPermissions.Of(role));
}
