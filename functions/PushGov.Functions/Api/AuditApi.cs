using PushGov.Functions.Contract;
using PushGov.Infrastructure.Audit;

namespace PushGov.Functions.Api;

/// <summary>
/// The audit log, read-only and for admins only. Nothing in the API updates or deletes it.
/// <code>
/// GET /api/tenants/{tenant}/audit?from&amp;to&amp;continuationToken&amp;pageSize   newest first (default: the last 31 days)
/// </code>
/// Every operation that reads resident data or acts on a case names an audit action (<see cref="ApiOperation.Audit"/>): one request, one row.
/// </summary>
public static class AuditApi
{
    private const string NoteKey = "PushGov.AuditNote";

    public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? ContinuationToken);

    /// <summary>What the handler learnt about the request that the route does not show (the case's residents, a count).</summary>
    private sealed record AuditNote(string? CaseId, IReadOnlyList<string>? ResidentIds, string? Detail);

    /// <summary>
    /// Appends the one audit row of a request that passed the permission check and reached the handler, whatever its
    /// answer (the row keeps the status), before the answer leaves (<see cref="ApiGate"/>).
    /// </summary>
    internal static Task AppendAsync(AuditLog log, HttpContext http, ApiPrincipal caller, string action, IResult result)
    {
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        var note = http.Items.TryGetValue(NoteKey, out var n) ? n as AuditNote : null;
        var caseId = note?.CaseId ?? http.Request.RouteValues["caseId"] as string;
        IReadOnlyList<string> residents = note?.ResidentIds ?? (http.Request.RouteValues["residentId"] is string r ? [r] : []);
        return log.AppendAsync(caller.Tenant, caller.Actor, action, $"{http.Request.Method} {http.Request.Path}", caseId, residents, status, note?.Detail, CancellationToken.None);
    }

    /// <summary>Adds what the audit row should name beyond the route (e.g. every resident a case detail shows).</summary>
    public static void Note(HttpContext http, string? caseId = null, IEnumerable<string>? residentIds = null, string? detail = null) =>
        http.Items[NoteKey] = new AuditNote(caseId, residentIds?.Distinct(StringComparer.Ordinal).ToList(), detail);

    internal static async Task<IResult> ListAsync(string tenant, HttpContext http, AuditLog log, ContinuationTokens tokens, TimeProvider clock, CancellationToken ct)
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

/// <summary>The audit log's listing as an HTTP function.</summary>
public sealed class AuditFunctions(ApiGate gate, AuditLog log, ContinuationTokens tokens, TimeProvider clock)
{
    [Function("ListAudit")]
    public Task<IResult> ListAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/audit")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.Audit, new { tenant }, (http, ct) => AuditApi.ListAsync(tenant, http, log, tokens, clock, ct));
}
