using PushGov.Domain;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Reporting;

namespace PushGov.Functions.Api;

/// <summary>
/// What PushGov did for a tenant, for the staff dashboard (counts only), the take-up funnel and the drops page:
/// <code>
/// GET /api/tenants/{tenant}/dashboard?from&amp;to   drops, life events, cases, messages, post-only share
/// GET /api/tenants/{tenant}/takeup?from&amp;to      take-up funnel per service, channel and language
/// GET /api/tenants/{tenant}/drops?from&amp;to       drops received, newest first, each with its report's figures
/// </code>
/// <c>from</c>/<c>to</c> are days in Asia/Tokyo, both included (default: today; at most 400 days).
/// </summary>
public static class DashboardApi
{
    public sealed record DropListing(DateOnly From, DateOnly To, IReadOnlyList<DropSummary> Drops);

    internal static Task<IResult> DashboardAsync(string tenant, Dashboard dashboard, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        InRangeAsync(http, ApiContract.Dashboard, clock, async (start, end) =>
        {
            var report = await dashboard.ReadAsync(tenant, start, end, ct);
            return (report, $"from={start:yyyy-MM-dd} to={end:yyyy-MM-dd} drops={report.Drops.Count}");
        });

    internal static Task<IResult> TakeUpAsync(string tenant, TakeUpFigures figures, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        InRangeAsync(http, ApiContract.TakeUp, clock, async (start, end) =>
            (await figures.ReadAsync(tenant, start, end, ct), $"from={start:yyyy-MM-dd} to={end:yyyy-MM-dd}"));

    internal static Task<IResult> DropsAsync(string tenant, DropList drops, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        InRangeAsync(http, ApiContract.ListDrops, clock, async (start, end) =>
        {
            var list = await drops.ListAsync(tenant, Dashboard.StartOf(start), Dashboard.StartOf(end.AddDays(1)), ct);
            return (new DropListing(start, end, list), $"count={list.Count}");
        });

    /// <summary>
    /// One read over the days asked for: 400 when the range is wrong, otherwise the answer of <paramref name="read"/>,
    /// with its audit detail noted.
    /// </summary>
    private static async Task<IResult> InRangeAsync<T>(HttpContext http, ApiOperation op, TimeProvider clock, Func<DateOnly, DateOnly, Task<(T Answer, string Audit)>> read)
    {
        var (start, end, problem) = Range(http, op, clock);
        if (problem is not null)
        {
            return Problems.Result(problem);
        }

        var (answer, audit) = await read(start, end);
        AuditApi.Note(http, detail: audit);
        return Results.Ok(answer);
    }

    /// <summary>The days asked for (from/to as the operation describes them), or the 400 saying what was wrong.</summary>
    private static (DateOnly From, DateOnly To, ApiProblem? Problem) Range(HttpContext http, ApiOperation op, TimeProvider clock)
    {
        var query = Problems.Query(http, op);
        var (from, to) = (query.Date("from"), query.Date("to"));
        if (query.Problem is { } invalid)
        {
            return (default, default, invalid);
        }

        var end = to ?? JapanTime.Today(clock.GetUtcNow());
        var start = from ?? end;
        return start > end || end.DayNumber - start.DayNumber >= Dashboard.MaxDays
            ? (default, default, ApiProblem.Invalid(("from", $"'from' must be on or before 'to', and a range covers at most {Dashboard.MaxDays} days.")))
            : (start, end, null);
    }
}

/// <summary>The staff dashboard's figures, the take-up funnel and the drops list as HTTP functions.</summary>
public sealed class DashboardFunctions(ApiGate gate, Dashboard dashboard, TakeUpFigures takeUp, DropList drops, TimeProvider clock)
{
    [Function("GetDashboard")]
    public Task<IResult> GetDashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/dashboard")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.Dashboard, new { tenant }, (http, ct) => DashboardApi.DashboardAsync(tenant, dashboard, clock, http, ct));

    [Function("GetTakeUp")]
    public Task<IResult> GetTakeUp([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/takeup")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.TakeUp, new { tenant }, (http, ct) => DashboardApi.TakeUpAsync(tenant, takeUp, clock, http, ct));

    [Function("ListDrops")]
    public Task<IResult> ListDrops([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/drops")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.ListDrops, new { tenant }, (http, ct) => DashboardApi.DropsAsync(tenant, drops, clock, http, ct));
}
