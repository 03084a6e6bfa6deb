using PushGov.Infrastructure.Audit;

namespace PushGov.Functions.Api;

/// <summary>
/// The audit log, read-only and for admins only. Nothing in the API updates or deletes it.
/// <code>
/// GET /api/tenants/{tenant}/audit?from&amp;to&amp;continuationToken&amp;pageSize   newest first (default: the last 31 days)
/// </code>
/// Every route that reads resident data or acts on a case passes an <see cref="Audit"/> to <see cref="ApiGate"/>: one request, one row.
/// </summary>
public static class AuditApi
{
    internal static readonly ApiRole[] Admins = [ApiRole.Admin];

    private const string NoteKey = "PushGov.AuditNote";

    public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? ContinuationToken);

    /// <summary>What the handler learnt about the request that the route does not show (the case's residents, a count).</summary>
    internal sealed record AuditNote(string? CaseId, IReadOnlyList<string>? ResidentIds, string? Detail);

    /// <summary>Adds what the audit row should name beyond the route (e.g. every resident a case detail shows).</summary>
    public static void Note(HttpContext http, string? caseId = null, IEnumerable<string>? residentIds = null, string? detail = null) =>
        http.Items[NoteKey] = new AuditNote(caseId, residentIds?.Distinct(StringComparer.Ordinal).ToList(), detail);

    internal static AuditNote? NoteOf(HttpContext http) => http.Items.TryGetValue(NoteKey, out var n) ? n as AuditNote : null;

    internal static async Task<IResult> ListAsync(string tenant, DateTimeOffset? from, DateTimeOffset? to, string? continuationToken, int? pageSize, AuditLog log, TimeProvider clock, CancellationToken ct)
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

/// <summary>The audit log's route.</summary>
public sealed class AuditFunctions(ApiGate gate, AuditLog log, TimeProvider clock)
{
    [Function("ListAudit")]
    public Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/audit")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, tenant, new Audit("audit.read"), AuditApi.Admins, (_, ct) =>
            AuditApi.ListAsync(tenant, Query.Time(req, "from"), Query.Time(req, "to"), Query.Text(req, "continuationToken"), Query.Int(req, "pageSize"), log, clock, ct));
}
