global using PushGov.Domain.Tenants;
using Microsoft.AspNetCore.Http.Json;
using PushGov.Infrastructure.Audit;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Api;

/// <summary>Who is calling: the tenant their key belongs to, its role, and an actor id for history and audit.</summary>
public sealed record ApiPrincipal(string Tenant, ApiRole Role, string Actor)
{
    private const string Key = "PushGov.Principal";

    public bool IsTest => Role == ApiRole.Test;

    public static ApiPrincipal From(HttpContext http) =>
        http.Items.TryGetValue(Key, out var p) && p is ApiPrincipal principal ? principal : throw new InvalidOperationException("The function did not pass the request through ApiGate.");

    internal void Attach(HttpContext http) => http.Items[Key] = this;
}

/// <summary>What the audit row of a route names: its action, and the case and resident the route is about.</summary>
public sealed record Audit(string Action, string? CaseId = null, string? ResidentId = null);

/// <summary>
/// What every HTTP function passes its request through (the Functions host has no endpoint filters, and the local host
/// invokes the function methods directly, so this is a helper each function calls, not middleware):
/// <list type="bullet">
/// <item>Per-tenant API keys on every tenant route: <c>Authorization: Bearer pg_…</c> or <c>x-api-key</c>; alternatively a
/// Microsoft Entra ID access token (<c>Authorization: Bearer eyJ…</c>) when <c>PushGov:Entra</c> is configured (see
/// docs/api.md). A key or token of another tenant gets 404 (the same answer as a tenant that does not exist: nothing is
/// revealed); a missing, malformed, expired or revoked credential 401; a role that may not use the route 403. Admin keys
/// may do what staff keys may; test keys act as staff whose messages only reach the development sink.</item>
/// <item>Exactly one audit row per request that passed the checks and reached the handler, whatever its answer (the row
/// keeps the status), written before the answer leaves: if the audit cannot be written, the caller gets a 500 and no data.</item>
/// <item>Every error as <c>application/problem+json</c>: a query value that does not bind is a 400, an unexpected failure
/// a 500 that says nothing of its cause (it is logged).</item>
/// </list>
/// </summary>
public sealed class ApiGate(ApiKeyStore keys, AuditLog audit, IServiceProvider services, ILogger<ApiGate> logger, EntraTokens? entra = null)
{
    /// <summary>A tenant route: authenticate, check tenant and role, run <paramref name="handler"/>, audit.</summary>
    public async Task<IResult> RunAsync(HttpRequest request, string tenant, Audit? audited, ApiRole[] roles, Func<HttpContext, CancellationToken, Task<IResult>> handler)
    {
        var http = Prepare(request);
        var ct = http.RequestAborted;
        try
        {
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

            var effective = caller.Role is ApiRole.Admin or ApiRole.Test ? ApiRole.Staff : caller.Role;
            if (!roles.Contains(caller.Role) && !roles.Contains(effective))
            {
                return Results.Problem(title: "Forbidden", detail: $"A {caller.Role} key may not use this route.", statusCode: StatusCodes.Status403Forbidden);
            }

            caller.Attach(http);
            var result = await BadRequestsAsProblemsAsync(http, handler, ct);
            if (audited is not null)
            {
                var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
                var note = AuditApi.NoteOf(http);
                IReadOnlyList<string> residents = note?.ResidentIds ?? (audited.ResidentId is { } r ? [r] : []);
                await audit.AppendAsync(caller.Tenant, caller.Actor, audited.Action, $"{http.Request.Method} {http.Request.Path}", note?.CaseId ?? audited.CaseId, residents, status, note?.Detail, CancellationToken.None);
            }

            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return Failed(e);
        }
    }

    /// <summary>An anonymous route (health, provider callbacks, unsubscribe): errors still answer as problems.</summary>
    public async Task<IResult> AnonymousAsync(HttpRequest request, Func<HttpContext, CancellationToken, Task<IResult>> handler)
    {
        var http = Prepare(request);
        try
        {
            return await BadRequestsAsProblemsAsync(http, handler, http.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return Failed(e);
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

    private IResult Failed(Exception e)
    {
        logger.LogError(e, "The request failed");
        return Results.Problem(title: "Internal server error", detail: "Something went wrong on our side; it has been logged.", statusCode: StatusCodes.Status500InternalServerError);
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

        if (bearer is not null && !bearer.StartsWith("pg_", StringComparison.Ordinal) && entra is not null)
        {
            return await entra.AuthenticateAsync(bearer, ct);
        }

        var record = await keys.AuthenticateAsync(key, ct);
        return record is null
            ? (null, null)
            : (new ApiPrincipal(record.Tenant, record.Role, $"{record.Role.ToString().ToLowerInvariant()}:{record.KeyId}"), null);
    }
}

/// <summary>Query values as minimal APIs bound them: absent is null, a value that does not parse is a 400.</summary>
public static class Query
{
    public static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    public static int? Int(HttpRequest request, string name) =>
        Parse(request, name, "int?", s => int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : (int?)null);

    public static bool? Bool(HttpRequest request, string name) =>
        Parse(request, name, "bool?", s => bool.TryParse(s, out var b) ? b : (bool?)null);

    public static DateOnly? Date(HttpRequest request, string name) =>
        Parse(request, name, "DateOnly?", s => DateOnly.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : (DateOnly?)null);

    public static DateTimeOffset? Time(HttpRequest request, string name) =>
        Parse(request, name, "DateTimeOffset?", s => DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null);

    private static T? Parse<T>(HttpRequest request, string name, string type, Func<string, T?> parse)
        where T : struct
    {
        if (Text(request, name) is not { } text || text.Length == 0)
        {
            return null;
        }

        return parse(text) ?? throw new BadHttpRequestException($"Failed to bind parameter \"{type} {name}\" from \"{(text.Length > 40 ? text[..40] + "…" : text)}\".", StatusCodes.Status400BadRequest);
    }
}

/// <summary>The app's JSON options for results, as the routes used them (enums by name, Japanese unescaped).</summary>
internal static class ApiJson
{
    public static void Configure(JsonOptions o)
    {
        o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }

    public static IServiceCollection AddApiJson(this IServiceCollection services) => services.Configure<JsonOptions>(Configure);
}
