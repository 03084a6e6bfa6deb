using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

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

/// <summary>
/// Validates an Entra ID token with the JwtBearer options (issuer, audience, lifetime, signature; signing keys from the
/// authority's metadata) and turns it into an <see cref="ApiPrincipal"/>. It validates itself rather than through
/// authentication middleware, which a function app's requests do not pass.
/// </summary>
public sealed class EntraTokens(EntraOptions options, IOptionsMonitor<JwtBearerOptions> jwt)
{
    public const string RolePrefix = "PushGov.";

    public async Task<(ApiPrincipal? Caller, string? Failure)> AuthenticateAsync(string token, CancellationToken ct)
    {
        var o = jwt.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = o.TokenValidationParameters.Clone();
        try
        {
            var metadata = o.Configuration ?? (o.ConfigurationManager is { } manager ? await manager.GetConfigurationAsync(ct) : null);
            if (metadata is not null)
            {
                parameters.ValidIssuer ??= metadata.Issuer;
                parameters.IssuerSigningKeys = metadata.SigningKeys;
            }
        }
        catch (InvalidOperationException)
        {
            return (null, "The bearer token cannot be checked now (the identity provider's metadata is unreachable).");
        }

        parameters.ValidAudience ??= o.Audience;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return (null, "The bearer token is not valid for this API (signature, issuer, audience or lifetime).");
        }

        var user = new ClaimsPrincipal(result.ClaimsIdentity);

        var tenant = user.FindFirstValue(options.TenantClaim);
        if (string.IsNullOrEmpty(tenant) || !TenantCode.TryParse(tenant, out _))
        {
            return (null, $"The token has no '{options.TenantClaim}' claim with a tenant code.");
        }

        ApiRole? role = null;
        foreach (var claim in user.FindAll(options.RoleClaim))
        {
            var name = claim.Value.StartsWith(RolePrefix, StringComparison.OrdinalIgnoreCase) ? claim.Value[RolePrefix.Length..] : claim.Value;
            if (Enum.TryParse<ApiRole>(name, ignoreCase: true, out var r) && r != ApiRole.Test && (role is null || Rank(r) > Rank(role.Value)))
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

    private static int Rank(ApiRole role) => role switch
    {
        ApiRole.Admin => 3,
        ApiRole.Staff => 2,
        _ => 1,
    };
}
