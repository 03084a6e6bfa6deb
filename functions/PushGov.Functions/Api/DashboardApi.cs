using PushGov.Infrastructure.Reporting;

namespace PushGov.Functions.Api;

/// <summary>
/// What PushGov did for a tenant, for the staff dashboard (counts only) and the drops page:
/// <code>
/// GET /api/tenants/{tenant}/dashboard?from&amp;to   drops, life events, cases, messages, take-up funnel, post-only share
/// GET /api/tenants/{tenant}/drops?from&amp;to       drops received, newest first, each with its report's figures
/// </code>
/// <c>from</c>/<c>to</c> are days in Asia/Tokyo, both included (default: today; at most 400 days).
/// </summary>
public static class DashboardApi
{
    public static RouteGroupBuilder MapDashboardApi(this RouteGroupBuilder tenants)
    {
        tenants.MapGet("/{tenant}/dashboard", DashboardAsync).WithTags("Dashboard").RequireRole(ApiRole.Staff).Audited("dashboard.read")
            .Produces<DashboardReport>().ProducesValidationProblem();
        tenants.MapGet("/{tenant}/drops", DropsAsync).WithTags("Drops").RequireRole(ApiRole.Staff).Audited("drops.list")
            .Produces<DropListing>().ProducesValidationProblem();
        return tenants;
    }

    public sealed record DropListing(DateOnly From, DateOnly To, IReadOnlyList<DropSummary> Drops);

    private static async Task<IResult> DashboardAsync(string tenant, DateOnly? from, DateOnly? to, Dashboard dashboard, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (Range(from, to, clock) is not ({ } start, { } end))
        {
            return RangeProblem();
        }

        var report = await dashboard.ReadAsync(tenant, start, end, ct);
        AuditApi.Note(http, detail: $"from={start:yyyy-MM-dd} to={end:yyyy-MM-dd} drops={report.Drops.Count}");
        return Results.Ok(report);
    }

    private static async Task<IResult> DropsAsync(string tenant, DateOnly? from, DateOnly? to, DropList drops, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (Range(from, to, clock) is not ({ } start, { } end))
        {
            return RangeProblem();
        }

        var list = await drops.ListAsync(tenant, Dashboard.StartOf(start), Dashboard.StartOf(end.AddDays(1)), ct);
        AuditApi.Note(http, detail: $"count={list.Count}");
        return Results.Ok(new DropListing(start, end, list));
    }

    private static (DateOnly? From, DateOnly? To) Range(DateOnly? from, DateOnly? to, TimeProvider clock)
    {
        var end = to ?? Dashboard.Today(clock);
        var start = from ?? end;
        return start > end || end.DayNumber - start.DayNumber >= Dashboard.MaxDays ? (null, null) : (start, end);
    }

    private static IResult RangeProblem() =>
        Problems.Validation(("from", $"'from' must be on or before 'to', and a range covers at most {Dashboard.MaxDays} days."));
}
