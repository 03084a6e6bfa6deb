global using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Api;

/// <summary>Who is calling: the tenant their key belongs to, its role, and an actor id for history and audit.</summary>
public sealed record ApiPrincipal(string Tenant, ApiRole Role, string Actor)
{
    private const string Key = "PushGov.Principal";

    public bool IsTest => Role == ApiRole.Test;

    public static ApiPrincipal From(HttpContext http) =>
        http.Items.TryGetValue(Key, out var p) && p is ApiPrincipal principal ? principal : throw new InvalidOperationException("The route has no RequireRole.");

    internal void Attach(HttpContext http) => http.Items[Key] = this;
}

/// <summary>
/// Per-tenant API keys on every tenant route: <c>Authorization: Bearer pg_…</c> or <c>x-api-key</c>; in Azure, alternatively
/// a Microsoft Entra ID access token (<c>Authorization: Bearer eyJ…</c>) when <c>PushGov:Entra</c> is configured (see
/// docs/api.md): its tenant claim names the PushGov tenant and its role claim the role. A key or token of another
/// tenant gets 404 (the same answer as a tenant that does not exist: nothing is revealed); a missing, malformed,
/// expired or revoked credential 401; a role that may not use the route 403. Admin keys may do what staff keys may;
/// test keys act as staff whose messages only reach the development sink.
/// </summary>
public static class ApiAuth
{
    public static RouteHandlerBuilder RequireRole(this RouteHandlerBuilder route, params ApiRole[] roles) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var (caller, failure) = await AuthenticateAsync(http);
            if (caller is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(title: "Unauthorized", detail: failure ?? "Send a valid API key: Authorization: Bearer pg_….", statusCode: StatusCodes.Status401Unauthorized);
            }

            var routeTenant = http.GetRouteValue("tenant") as string;
            if (routeTenant is not null && routeTenant != caller.Tenant)
            {
                return Results.Problem(title: "No such tenant", detail: "There is no such tenant for this key.", statusCode: StatusCodes.Status404NotFound);
            }

            var effective = caller.Role is ApiRole.Admin or ApiRole.Test ? ApiRole.Staff : caller.Role;
            if (!roles.Contains(caller.Role) && !roles.Contains(effective))
            {
                return Results.Problem(title: "Forbidden", detail: $"A {caller.Role} key may not use this route.", statusCode: StatusCodes.Status403Forbidden);
            }

            caller.Attach(http);
            return await next(context);
        });

    /// <summary>The caller, or null with the reason (never which part of a key was wrong).</summary>
    private static async Task<(ApiPrincipal? Caller, string? Failure)> AuthenticateAsync(HttpContext http)
    {
        var bearer = http.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? auth["Bearer ".Length..].Trim()
            : null;
        var key = bearer ?? http.Request.Headers["x-api-key"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return (null, null);
        }

        if (bearer is not null && !bearer.StartsWith("pg_", StringComparison.Ordinal) && http.RequestServices.GetService<EntraTokens>() is { } entra)
        {
            return await entra.AuthenticateAsync(http);
        }

        var record = await http.RequestServices.GetRequiredService<ApiKeyStore>().AuthenticateAsync(key, http.RequestAborted);
        return record is null
            ? (null, null)
            : (new ApiPrincipal(record.Tenant, record.Role, $"{record.Role.ToString().ToLowerInvariant()}:{record.KeyId}"), null);
    }
}
