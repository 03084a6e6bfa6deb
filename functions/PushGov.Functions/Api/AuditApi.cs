using PushGov.Functions.Contract;
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
        tenants.MapGet("/{tenant}/audit", ListAsync).Describe(ApiContract.Audit);
        return tenants;
    }

    public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? ContinuationToken);

    /// <summary>What the handler learnt about the request that the route does not show (the case's residents, a count).</summary>
    private sealed record AuditNote(string? CaseId, IReadOnlyList<string>? ResidentIds, string? Detail);

    /// <summary>
    /// Appends exactly one audit row per request that passed the permission check of <see cref="ApiAuth.Describe"/> and reached the handler,
    /// whatever its answer (the row keeps the status). <see cref="ApiAuth.Describe"/> puts it after the permission check. The row is written before the
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

    private static async Task<IResult> ListAsync(string tenant, HttpContext http, AuditLog log, ContinuationTokens tokens, TimeProvider clock, CancellationToken ct)
    {
        var query = Problems.Query(http, ApiContract.Audit);
        var (from, to, continuationToken, pageSize) = (query.DateTime("from"), query.DateTime("to"), query.Text(ContinuationTokens.Parameter), query.Int("pageSize"));
        if (query.Problem is { } invalid)
        {
            return Problems.Result(invalid);
        }

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

        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }

        // The token belongs to this tenant's listing with the same from and to (as given: the defaults move with the clock).
        var scope = $"audit|{tenant}|{from:O}|{to:O}";
        string? inner = null;
        if (continuationToken is not null && !tokens.TryOpen(scope, continuationToken, out inner))
        {
            return Problems.Result(ContinuationTokens.Invalid());
        }

        var (entries, next) = await log.ListAsync(tenant, start, end, inner, pageSize ?? 100, ct);
        return Results.Ok(new AuditPage(entries, tokens.Seal(scope, next)));
    }
}
