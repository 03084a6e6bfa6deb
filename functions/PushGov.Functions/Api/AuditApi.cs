using PushGov.Infrastructure.Audit;

namespace PushGov.Functions.Api;

/// <summary>
/// The audit log, read-only and for admins only. Nothing in the API updates or deletes it.
/// <code>
/// GET /api/tenants/{tenant}/audit?from&amp;to&amp;continuationToken&amp;pageSize   newest first (default: the last 31 days)
/// </code>
/// Every route that reads resident data or acts on a case carries <see cref="Audited"/>: one request, one row.
/// </summary>
public static class AuditApi
{
    private const string NoteKey = "PushGov.AuditNote";

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder tenants)
    {
        tenants.MapGet("/{tenant}/audit", ListAsync).WithTags("Audit").RequireRole(ApiRole.Admin).Audited("audit.read")
            .Produces<AuditPage>().ProducesProblem(StatusCodes.Status400BadRequest);
        return tenants;
    }

    public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? ContinuationToken);

    /// <summary>What the handler learnt about the request that the route does not show (the case's residents, a count).</summary>
    private sealed record AuditNote(string? CaseId, IReadOnlyList<string>? ResidentIds, string? Detail);

    /// <summary>
    /// Appends exactly one audit row per request that passed <see cref="ApiAuth.RequireRole"/> and reached the handler,
    /// whatever its answer (the row keeps the status). Put it after <c>RequireRole</c>. The row is written before the
    /// answer leaves: if the audit cannot be written, the caller gets a 500 and no data.
    /// </summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder route, string action) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var result = await next(context);
            var caller = ApiPrincipal.From(http);
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            var note = http.Items.TryGetValue(NoteKey, out var n) ? n as AuditNote : null;
            var caseId = note?.CaseId ?? http.GetRouteValue("caseId") as string;
            IReadOnlyList<string> residents = note?.ResidentIds ?? (http.GetRouteValue("residentId") is string r ? [r] : []);
            var log = http.RequestServices.GetRequiredService<AuditLog>();
            await log.AppendAsync(caller.Tenant, caller.Actor, action, $"{http.Request.Method} {http.Request.Path}", caseId, residents, status, note?.Detail, CancellationToken.None);
            return result;
        });

    /// <summary>Adds what the audit row should name beyond the route (e.g. every resident a case detail shows).</summary>
    public static void Note(HttpContext http, string? caseId = null, IEnumerable<string>? residentIds = null, string? detail = null) =>
        http.Items[NoteKey] = new AuditNote(caseId, residentIds?.Distinct(StringComparer.Ordinal).ToList(), detail);

    private static async Task<IResult> ListAsync(string tenant, DateTimeOffset? from, DateTimeOffset? to, string? continuationToken, int? pageSize, AuditLog log, TimeProvider clock, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow().AddSeconds(1);
        var start = from ?? end.AddDays(-31);
        var errors = new List<(string, string)>();
        if (start >= end)
        {
            errors.Add(("from", "'from' must be before 'to'."));
        }
        else if (end - start > AuditLog.MaxRange)
        {
            errors.Add(("to", $"A listing covers at most {AuditLog.MaxRange.TotalDays:0} days; narrow from/to."));
        }

        if (pageSize is < 1 or > 1000)
        {
            errors.Add(("pageSize", "1 to 1000."));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }

        try
        {
            var (entries, token) = await log.ListAsync(tenant, start, end, continuationToken, pageSize ?? 100, ct);
            return Results.Ok(new AuditPage(entries, token));
        }
        catch (FormatException)
        {
            return Problems.Validation(("continuationToken", "The continuation token is not one this API gave."));
        }
    }
}
