global using PushGov.Domain.Tenants;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Audit;
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
        http.Items.TryGetValue(Key, out var p) && p is ApiPrincipal principal ? principal : throw new InvalidOperationException("The function did not pass the request through ApiGate with a tenant operation.");

    internal void Attach(HttpContext http) => http.Items[Key] = this;
}

/// <summary>
/// What every HTTP function passes its request through, with the <see cref="ApiOperation"/> it serves (the Functions host
/// has no endpoint filters, and the local host invokes the function methods directly, so this is a call each function
/// makes, not middleware):
/// <list type="bullet">
/// <item>Per-tenant API keys on every tenant route: <c>Authorization: Bearer pg_…</c> or <c>x-api-key</c>; in Azure,
/// alternatively a Microsoft Entra ID access token (<c>Authorization: Bearer eyJ…</c>) when <c>PushGov:Entra</c> is
/// configured (see docs/api.md): its tenant claim names the PushGov tenant and its role claim the role. A key or token of
/// another tenant gets 404 (the same answer as a tenant that does not exist: nothing is revealed); a missing, malformed,
/// expired or revoked credential 401; a role without the operation's permission 403 (roles are sets of permissions,
/// <see cref="ApiPermissions"/>: admin ⊇ staff ⊇ resident portal; test = staff, whose messages only reach the development sink).</item>
/// <item>Exactly one audit row per request to an audited operation that passed the checks and reached the handler,
/// whatever its answer (the row keeps the status), written before the answer leaves: if the audit cannot be written, the
/// caller gets a 500 and no data.</item>
/// <item>Every error as <c>application/problem+json</c>: an unexpected failure is a 500 that says nothing of its cause (it is logged).</item>
/// </list>
/// </summary>
public sealed class ApiGate(ApiKeyStore keys, AuditLog audit, IServiceProvider services, ILogger<ApiGate> logger)
{
    /// <summary>
    /// Runs <paramref name="handler"/> for <paramref name="operation"/>. <paramref name="route"/> holds the route values the
    /// function bound, as an anonymous object (<c>new { tenant, caseId }</c>): the tenant is checked against the credential and the audit row names
    /// the case and resident, whichever host routed the request.
    /// </summary>
    public async Task<IResult> RunAsync(HttpRequest request, ApiOperation operation, object? route, Func<HttpContext, CancellationToken, Task<IResult>> handler)
    {
        var http = Prepare(request);
        var values = new Microsoft.AspNetCore.Routing.RouteValueDictionary(route);
        foreach (var (name, value) in values)
        {
            http.Request.RouteValues[name] = value;
        }

        var tenant = values.TryGetValue("tenant", out var t) ? t as string : null;
        var ct = http.RequestAborted;
        try
        {
            if (operation.Permission is not { } permission)
            {
                return await BadRequestsAsProblemsAsync(http, handler, ct);
            }

            var (caller, failure) = await AuthenticateAsync(http, ct);
            if (caller is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(title: "Unauthorized", detail: failure ?? "Send a valid API key: Authorization: Bearer pg_….", statusCode: StatusCodes.Status401Unauthorized);
            }

            if (tenant != caller.Tenant)
            {
                return Results.Problem(title: "No such tenant", detail: "There is no such tenant for this key.", statusCode: StatusCodes.Status404NotFound);
            }

            if (!caller.Allows(permission))
            {
                return Problems.Forbidden($"A {caller.Role} credential lacks the {permission} permission this route needs.");
            }

            caller.Attach(http);
            var result = await BadRequestsAsProblemsAsync(http, handler, ct);
            if (operation.Audit is { } action)
            {
                await AuditApi.AppendAsync(audit, http, caller, action, result);
            }

            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "{Operation} failed", operation.Id);
            return Problems.Result(ApiProblem.Internal());
        }
    }

    /// <summary>
    /// Results write JSON with the app's options (enums by name, Japanese unescaped) taken from the request's services:
    /// where the host's request services are not the app's, the app's are used.
    /// </summary>
    private HttpContext Prepare(HttpRequest request)
    {
        var http = request.HttpContext;
        if (http.RequestServices?.GetService<ApiGate>() is null)
        {
            http.RequestServices = services;
        }

        return http;
    }

    private static async Task<IResult> BadRequestsAsProblemsAsync(HttpContext http, Func<HttpContext, CancellationToken, Task<IResult>> handler, CancellationToken ct)
    {
        try
        {
            return await handler(http, ct);
        }
        catch (CaseStartingException starting)
        {
            // Not a failure of ours: the case was created a moment ago and takes inputs once its orchestration runs.
            http.Response.Headers.RetryAfter = ((int)CaseStartingException.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Conflict(starting.Message);
        }
        catch (BadHttpRequestException bad)
        {
            var (title, status) = bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => ("Payload too large", bad.StatusCode),
                StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", bad.StatusCode),
                _ => ("Bad request", StatusCodes.Status400BadRequest),
            };
            return Results.Problem(title: title, detail: bad.Message.Length > 300 ? bad.Message[..300] + "…" : bad.Message, statusCode: status);
        }
    }

    /// <summary>The caller, or null with the reason (never which part of a key was wrong).</summary>
    private async Task<(ApiPrincipal? Caller, string? Failure)> AuthenticateAsync(HttpContext http, CancellationToken ct)
    {
        var bearer = http.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? auth["Bearer ".Length..].Trim()
            : null;
        var key = bearer ?? http.Request.Headers["x-api-key"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return (null, null);
        }

        if (bearer is not null && !bearer.StartsWith("pg_", StringComparison.Ordinal) && services.GetService<EntraTokens>() is { } entra)
        {
            return await entra.AuthenticateAsync(http);
        }

        var record = await keys.AuthenticateAsync(key, ct);
        return record is null
            ? (null, null)
            : (new ApiPrincipal(record.Tenant, record.Role, $"{record.Role.ToString().ToLowerInvariant()}:{record.KeyId}"), null);
    }
}

/// <summary>The app's JSON options for results (enums by name, Japanese unescaped).</summary>
internal static class ApiJson
{
    public static IServiceCollection AddApiJson(this IServiceCollection services) => services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
    {
        o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    });
}
