using Microsoft.DurableTask.Client;
using PushGov.Domain.Applications;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Applications;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Api;

/// <summary>
/// The resident's side, called by the residents' portal with the link token the resident followed (thin: the link
/// logic is in <see cref="ResidentLinks"/> and <see cref="ResidentLinkSigner"/>, the view in <see cref="ResidentCaseView"/>):
/// <code>
/// POST /api/tenants/{tenant}/cases/{caseId}/resident-view             {link}          the resident's view of the case (an open, for take-up)
/// POST /api/tenants/{tenant}/cases/{caseId}/resident-answer           {link, answer}  applied | declined → the case
/// POST /api/tenants/{tenant}/cases/{caseId}/resident-application      {link, service} confirm a one-step application (申請不要)
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

    /// <summary>The link token and the service whose prefilled application the resident confirms.</summary>
    public sealed record ConfirmBody(string? Link, string? Service);

    /// <summary>
    /// The application handed over: its id, the service, the day (Asia/Tokyo) whose batch it is in, and whether this
    /// confirmation handed it over (false: an earlier one did, and nothing more was handed over).
    /// </summary>
    public sealed record ApplicationConfirmed(string ApplicationId, string ServiceId, DateOnly HandedOverOn, bool Created);

    public sealed record RevokeBody(string? ResidentId);

    public sealed record Revoked(string CaseId, string ResidentId);

    /// <summary>The actor a resident's own act is recorded as: their pseudonymous tag within the case, never a name or id.</summary>
    public static string Actor(ResidentLinkAccess access) => "resident:" + access.ResidentTag;

    internal static async Task<IResult> ViewAsync(string tenant, string caseId, HttpContext http, ResidentLinks links, TenantDirectory tenants, TenantCatalog catalog, ResidentStore residents, CancellationToken ct)
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
        var household = ResidentCaseView.OffersOneStep(access.Case, access.ResidentId, catalog.Current) ? await HouseholdAsync(residents, tenant, access.ResidentId, ct) : [];
        return Results.Ok(ResidentCaseView.For(await tenants.GetAsync(tenant, ct), access.Case, access.ResidentId, catalog.Current, access.LastDay, household, links.Today));
    }

    /// <summary>
    /// The resident confirms the prefilled application of one service of their case: it is handed to the back office
    /// once (<see cref="ApplicationHandOver"/>; a repeated confirmation hands nothing more over and answers 200 with the
    /// same application) and the case is told the resident applied, as their "I applied" answer would; a hand-over
    /// interrupted by a crash is finished by the <c>Sweep</c> timer.
    /// </summary>
    internal static async Task<IResult> ConfirmAsync(string tenant, string caseId, HttpContext http, ResidentLinks links, TenantCatalog catalog, ResidentStore residents, ApplicationHandOver handOver, ICaseInbox inbox, TimeProvider clock, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<ConfirmBody>(http, ApiContract.ResidentApplication, b => b.Link, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (!Problems.IsSafeId(body!.Service))
        {
            return Problems.Validation(("service", "The id of a service of the case whose application the resident confirms."));
        }

        if (!Problems.IsSafeId(caseId) || await links.OpenAsync(tenant, caseId, body.Link, ct) is not { } access)
        {
            return NotValid(caseId);
        }

        var service = catalog.Current.Find(body.Service!);
        if (service?.OneStepFields is null || !access.Case.Matches.Any(m => m.ServiceId == service.Id && m.RecipientIds.Contains(access.ResidentId, StringComparer.Ordinal)))
        {
            return Problems.NotFound("one-step application", body.Service!);
        }

        AuditApi.Note(http, caseId, [access.ResidentId], detail: service.Id);
        var application = await handOver.FindAsync(tenant, ApplicationFiles.IdFor(tenant, caseId, service.Id), ct);
        if (application is null)
        {
            if (!access.Case.IsOpen)
            {
                return Problems.Conflict("The case is closed: nothing can be applied for through it any more.");
            }

            var form = PrefilledApplication.For(service, access.ResidentId, await HouseholdAsync(residents, tenant, access.ResidentId, ct), links.Today);
            if (form is null)
            {
                return Problems.Conflict("The resident is not registered in the municipality now: the application cannot be filled in; apply at the counter.");
            }

            var name = service.NamesOn(access.Case.Event.EventDate).GetValueOrDefault(ResidentLanguages.Japanese) ?? service.Id;
            application = OneStepApplication.Confirmed(tenant, caseId, name, access.Case.Event.Kind.ToString(), access.Case.Event.EventDate, clock.GetUtcNow(), form);
        }

        var handedOver = await handOver.HandOverAsync(application, Actor(access), inbox, ct);
        var a = handedOver.Application;
        var answer = new ApplicationConfirmed(a.ApplicationId, a.ServiceId, a.HandedOverOn, handedOver.Created);
        return handedOver.Created ? Results.Created($"/api/tenants/{tenant}/cases/{caseId}", answer) : Results.Ok(answer);
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

    /// <summary>The resident's household as the resident view holds it now (empty for a resident it does not know).</summary>
    private static async Task<IReadOnlyList<Person>> HouseholdAsync(ResidentStore residents, string tenant, string residentId, CancellationToken ct) =>
        await residents.HouseholdOfAsync(tenant, residentId, ct) is { } household ? await residents.HouseholdAsync(tenant, household, ct) : [];
}

/// <summary>The residents' side of a signed link as HTTP functions; an answer reaches the case, so it binds the Durable client.</summary>
public sealed class ResidentFunctions(ApiGate gate, ResidentLinks links, TenantDirectory tenants, TenantCatalog catalog, ICaseReader cases, DurableCases durable, ResidentStore residents, ApplicationHandOver handOver, TimeProvider clock)
{
    [Function("GetResidentCase")]
    public Task<IResult> GetResidentCase([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/resident-view")] HttpRequest req, string tenant, string caseId) =>
        gate.RunAsync(req, ApiContract.ResidentView, new { tenant, caseId }, (http, ct) => ResidentApi.ViewAsync(tenant, caseId, http, links, tenants, catalog, residents, ct));

    [Function("AnswerResidentCase")]
    public Task<IResult> AnswerResidentCase([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/resident-answer")] HttpRequest req, string tenant, string caseId, [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(req, ApiContract.ResidentAnswer, new { tenant, caseId }, (http, ct) => ResidentApi.AnswerAsync(tenant, caseId, http, links, durable.Use(client), ct));

    [Function("ConfirmResidentApplication")]
    public Task<IResult> ConfirmResidentApplication([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/resident-application")] HttpRequest req, string tenant, string caseId, [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(req, ApiContract.ResidentApplication, new { tenant, caseId }, (http, ct) => ResidentApi.ConfirmAsync(tenant, caseId, http, links, catalog, residents, handOver, durable.Use(client), clock, ct));

    [Function("RevokeResidentLinks")]
    public Task<IResult> RevokeResidentLinks([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/resident-links/revoke")] HttpRequest req, string tenant, string caseId) =>
        gate.RunAsync(req, ApiContract.RevokeResidentLinks, new { tenant, caseId }, (http, ct) => ResidentApi.RevokeAsync(tenant, caseId, http, links, cases, ct));
}
