global using PushGov.Domain.Tenants;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Api;

/// <summary>Who is calling: the tenant their key belongs to, its role, and an actor id for history and audit.</summary>
public sealed record ApiPrincipal(string Tenant, ApiRole Role, string Actor)
{
    private const string Key = "PushGov.Principal";

    public bool IsTest => Role == ApiRole.Test;

    /// <summary>True when the caller's role has every permission in <paramref name="needed"/> (<see cref="ApiPermissions"/>).</summary>
    public bool Allows(ApiPermission needed) => Role.Allows(needed);

    public static ApiPrincipal From(HttpContext http) =>
        http.Items.TryGetValue(Key, out var p) && p is ApiPrincipal principal ? principal : throw new InvalidOperationException("The route has no Describe(operation) with a permission.");

    internal void Attach(HttpContext http) => http.Items[Key] = this;
}

/// <summary>
/// Per-tenant API keys on every tenant route: <c>Authorization: Bearer pg_…</c> or <c>x-api-key</c>; in Azure, alternatively
/// a Microsoft Entra ID access token (<c>Authorization: Bearer eyJ…</c>) when <c>PushGov:Entra</c> is configured (see
/// docs/api.md): its tenant claim names the PushGov tenant and its role claim the role. A key or token of another
/// tenant gets 404 (the same answer as a tenant that does not exist: nothing is revealed); a missing, malformed,
/// expired or revoked credential 401; a role without the operation's permission 403 (roles are sets of permissions,
/// <see cref="ApiPermissions"/>: admin ⊇ staff ⊇ resident portal; test = staff, whose messages only reach the development sink).
/// </summary>
public static class ApiAuth
{
    /// <summary>
    /// The route serves <paramref name="operation"/>: a tenant operation checks its permission, then audits every request
    /// that reaches the handler (<see cref="AuditApi.Audited"/>).
    /// </summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder route, ApiOperation operation)
    {
        if (operation.Permission is not { } permission)
        {
            return route.AllowAnonymous();
        }

        route = route.RequirePermission(permission);
        return operation.Audit is { } action ? route.Audited(action) : route;
    }

    private static RouteHandlerBuilder RequirePermission(this RouteHandlerBuilder route, ApiPermission permission) =>
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

            if (!caller.Allows(permission))
            {
                return Problems.Forbidden($"A {caller.Role} credential lacks the {permission} permission this route needs.");
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
