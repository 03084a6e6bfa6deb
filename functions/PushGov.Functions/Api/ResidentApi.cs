using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Api;

/// <summary>
/// The resident's side, called by the residents' portal with the link token the resident followed (thin: the link
/// logic is in <see cref="ResidentLinks"/> and <see cref="ResidentLinkSigner"/>, the view in <see cref="ResidentCaseView"/>):
/// <code>
/// POST /api/tenants/{tenant}/cases/{caseId}/resident-view             {link}          the resident's view of the case (an open, for take-up)
/// POST /api/tenants/{tenant}/cases/{caseId}/resident-answer           {link, answer}  applied | declined → the case
/// POST /api/tenants/{tenant}/cases/{caseId}/resident-links/revoke     {residentId}    staff: stop that resident's links
/// </code>
/// Every link that must not open gets the same 404, whatever is wrong with it.
/// </summary>
public static class ResidentApi
{
    /// <summary>The link token from the resident's URL.</summary>
    public sealed record LinkBody(string? Link);

    /// <summary>The link token and the answer: <c>applied</c> or <c>declined</c>.</summary>
    public sealed record AnswerBody(string? Link, string? Answer);

    public sealed record RevokeBody(string? ResidentId);

    public sealed record Revoked(string CaseId, string ResidentId);

    /// <summary>The actor a resident's own act is recorded as: their pseudonymous tag within the case, never a name or id.</summary>
    public static string Actor(ResidentLinkAccess access) => "resident:" + access.ResidentTag;

    internal static async Task<IResult> ViewAsync(string tenant, string caseId, HttpContext http, ResidentLinks links, TenantDirectory tenants, TenantCatalog catalog, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<LinkBody>(http, ApiContract.ResidentView, b => b.Link, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (!Problems.IsSafeId(caseId) || await links.OpenAsync(tenant, caseId, body!.Link, ct) is not { } access)
        {
            return NotValid(caseId);
        }

        AuditApi.Note(http, caseId, [access.ResidentId]);
        await links.RecordOpenAsync(tenant, caseId, ct);
        return Results.Ok(ResidentCaseView.For(await tenants.GetAsync(tenant, ct), access.Case, access.ResidentId, catalog.Current, access.LastDay));
    }

    internal static async Task<IResult> AnswerAsync(string tenant, string caseId, HttpContext http, ResidentLinks links, ICaseInbox inbox, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<AnswerBody>(http, ApiContract.ResidentAnswer, b => b.Link, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Answer is not (ExternalEvent.Applied or ExternalEvent.Declined))
        {
            return Problems.Validation(("answer", $"{ExternalEvent.Applied} or {ExternalEvent.Declined}."));
        }

        if (!Problems.IsSafeId(caseId) || await links.OpenAsync(tenant, caseId, body.Link, ct) is not { } access)
        {
            return NotValid(caseId);
        }

        AuditApi.Note(http, caseId, [access.ResidentId], detail: body.Answer);
        var decision = await inbox.SendAsync(tenant, caseId, new ExternalEvent(body.Answer) { Actor = Actor(access) }, ct);
        if (decision is null)
        {
            return NotValid(caseId);
        }

        return decision.Accepted
            ? Results.Accepted($"/api/tenants/{tenant}/cases/{caseId}", CasesApi.Summary(decision.State))
            : Problems.Conflict($"The case cannot take '{body.Answer}' now: {decision.RefusedBecause}.");
    }

    internal static async Task<IResult> RevokeAsync(string tenant, string caseId, HttpContext http, ResidentLinks links, ICaseReader cases, CancellationToken ct)
    {
        var (body, problem) = await Problems.ReadJsonAsync<RevokeBody>(http, ApiContract.RevokeResidentLinks, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (!Problems.IsSafeId(caseId) || await cases.GetAsync(tenant, caseId, ct) is not { } c)
        {
            return Problems.NotFound("case", caseId);
        }

        if (!Problems.IsSafeId(body!.ResidentId) || !await links.RevokeAsync(tenant, c, body.ResidentId!, ApiPrincipal.From(http).Actor, ct))
        {
            return Problems.Validation(("residentId", "A resident of this case (a recipient, or someone a message of it went to)."));
        }

        AuditApi.Note(http, caseId, [body.ResidentId!]);
        return Results.Ok(new Revoked(caseId, body.ResidentId!));
    }

    /// <summary>Reads the body; a missing or empty link is the caller's error (400), a wrong one is <see cref="NotValid"/>.</summary>
    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpContext http, ApiOperation op, Func<T, string?> link, CancellationToken ct)
        where T : class
    {
        var (body, problem) = await Problems.ReadJsonAsync<T>(http, op, ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        return string.IsNullOrEmpty(link(body!)) ? (null, Problems.Validation(("link", "The token of the resident's link (the last segment of the URL the message gave)."))) : (body, null);
    }

    private static IResult NotValid(string caseId) => Problems.NotFound("case or link", caseId);
}

/// <summary>The residents' side of a signed link as HTTP functions; an answer reaches the case, so it binds the Durable client.</summary>
public sealed class ResidentFunctions(ApiGate gate, ResidentLinks links, TenantDirectory tenants, TenantCatalog catalog, ICaseReader cases, DurableCases durable)
{
    [Function("GetResidentCase")]
    public Task<IResult> GetResidentCase([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/resident-view")] HttpRequest req, string tenant, string caseId) =>
        gate.RunAsync(req, ApiContract.ResidentView, new { tenant, caseId }, (http, ct) => ResidentApi.ViewAsync(tenant, caseId, http, links, tenants, catalog, ct));

    [Function("AnswerResidentCase")]
    public Task<IResult> AnswerResidentCase([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/resident-answer")] HttpRequest req, string tenant, string caseId, [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(req, ApiContract.ResidentAnswer, new { tenant, caseId }, (http, ct) => ResidentApi.AnswerAsync(tenant, caseId, http, links, durable.Use(client), ct));

    [Function("RevokeResidentLinks")]
    public Task<IResult> RevokeResidentLinks([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/resident-links/revoke")] HttpRequest req, string tenant, string caseId) =>
        gate.RunAsync(req, ApiContract.RevokeResidentLinks, new { tenant, caseId }, (http, ct) => ResidentApi.RevokeAsync(tenant, caseId, http, links, cases, ct));
}
