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
/// Per-tenant API keys on every tenant route: <c>Authorization: Bearer pg_…</c> or <c>x-api-key</c>. A key of another
/// tenant gets 404 (the same answer as a tenant that does not exist: nothing is revealed); a missing, malformed or
/// revoked key 401; a role that may not use the route 403. Admin keys may do what staff keys may; test keys act as staff
/// whose messages only reach the development sink.
/// </summary>
public static class ApiAuth
{
    public static RouteHandlerBuilder RequireRole(this RouteHandlerBuilder route, params ApiRole[] roles) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var keys = http.RequestServices.GetRequiredService<ApiKeyStore>();
            var key = http.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? auth["Bearer ".Length..].Trim()
                : http.Request.Headers["x-api-key"].ToString();
            var record = string.IsNullOrEmpty(key) ? null : await keys.AuthenticateAsync(key, http.RequestAborted);
            if (record is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(title: "Unauthorized", detail: "Send a valid API key: Authorization: Bearer pg_….", statusCode: StatusCodes.Status401Unauthorized);
            }

            var routeTenant = http.GetRouteValue("tenant") as string;
            if (routeTenant is not null && routeTenant != record.Tenant)
            {
                return Results.Problem(title: "No such tenant", detail: "There is no such tenant for this key.", statusCode: StatusCodes.Status404NotFound);
            }

            var effective = record.Role is ApiRole.Admin or ApiRole.Test ? ApiRole.Staff : record.Role;
            if (!roles.Contains(record.Role) && !roles.Contains(effective))
            {
                return Results.Problem(title: "Forbidden", detail: $"A {record.Role} key may not use this route.", statusCode: StatusCodes.Status403Forbidden);
            }

            new ApiPrincipal(record.Tenant, record.Role, $"{record.Role.ToString().ToLowerInvariant()}:{record.KeyId}").Attach(http);
            return await next(context);
        });
}
