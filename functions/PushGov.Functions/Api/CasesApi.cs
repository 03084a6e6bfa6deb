using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Messaging;

namespace PushGov.Functions.Api;

/// <summary>
/// Case status and external events, like Durable Functions' status query and raise-event APIs.
/// <code>
/// GET  /api/tenants/{tenant}/cases                          list (state, service, from, to, continuationToken)
/// GET  /api/tenants/{tenant}/cases/{caseId}                 state, matches with reasons and deadlines, messages, history
/// POST /api/tenants/{tenant}/cases/{caseId}/events/{name}   applied | declined | staff-takeover | close
/// </code>
/// </summary>
public static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder tenants)
    {
        var cases = tenants.MapGroup("/{tenant}/cases").WithTags("Cases");
        cases.MapGet("/", ListAsync).RequireRole(ApiRole.Staff).Audited("cases.list")
            .Produces<CaseList>().ProducesValidationProblem();
        cases.MapGet("/{caseId}", GetAsync).RequireRole(ApiRole.Staff).Audited("case.read")
            .Produces<CaseDetail>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/{caseId}/events/{name}", RaiseAsync).RequireRole(ApiRole.ResidentPortal, ApiRole.Staff).Audited("case.event")
            .Accepts<EventBody>("application/json").Produces<CaseSummary>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return tenants;
    }

    public sealed record CaseSummary(string CaseId, string Kind, DateOnly EventDate, string State, string Outcome, string? EscalationReason, DateOnly? Deadline, IReadOnlyList<string> ServiceIds, DateTimeOffset UpdatedAt);

    public sealed record CaseList(IReadOnlyList<CaseSummary> Cases, string? ContinuationToken);

    public sealed record MessageStatusView(string MessageId, string ResidentId, string Channel, string Purpose, string Status, int Attempts, string? Provider, string Language, string TemplateVersion, DateTimeOffset UpdatedAt);

    public sealed record CaseDetail(CaseSummary Summary, string HouseholdId, string ResidentId, string? AssignedTo, string? Note, IReadOnlyList<Eligibility> Matches, IReadOnlyList<MessageStatusView> Messages, IReadOnlyList<HistoryEntry> History);

    public sealed record Eligibility(string ServiceId, IReadOnlyList<string> RecipientIds, DateOnly? Deadline, long? AmountYen, bool NeedsClaim, bool UsesTaxData, string? RuleVersion, IReadOnlyList<Domain.Eligibility.ReasonStep> Reasons);

    public sealed record EventBody(string? Note, string? Outcome);

    private static async Task<IResult> ListAsync(string tenant, string? state, string? service, DateOnly? from, DateOnly? to, string? continuationToken, int? pageSize, CaseStore store, CancellationToken ct)
    {
        CaseState? parsed = null;
        if (state is not null)
        {
            if (!Enum.TryParse<CaseState>(state, ignoreCase: true, out var s))
            {
                return Problems.Validation(("state", $"Unknown state '{state}'. Use one of: {string.Join(", ", Enum.GetNames<CaseState>())}."));
            }

            parsed = s;
        }

        if (continuationToken is { Length: > 1000 } || continuationToken?.Any(char.IsControl) == true)
        {
            return Problems.Validation(("continuationToken", "The continuation token is not one this API gave."));
        }

        try
        {
            var (list, token) = await store.ListAsync(tenant, new CaseQuery(parsed, service, from, to, continuationToken, pageSize ?? 50), ct);
            return Results.Ok(new CaseList(list.Select(Summary).ToList(), token));
        }
        catch (Azure.RequestFailedException e) when (e.Status == 400)
        {
            return Problems.Validation(("continuationToken", "The continuation token is not one this API gave."));
        }
    }

    private static async Task<IResult> GetAsync(string tenant, string caseId, CaseStore store, MessageStore messages, HttpContext http, CancellationToken ct)
    {
        var stored = Problems.IsSafeId(caseId) ? await store.GetAsync(tenant, caseId, ct) : null;
        if (stored is null)
        {
            return Problems.NotFound("case", caseId);
        }

        var c = stored.Data;

        // The detail shows the event's resident, every recipient and each message's resident: all of them are in the audit row.
        AuditApi.Note(http, caseId, c.Matches.SelectMany(m => m.RecipientIds).Prepend(c.Event.ResidentId).Concat(c.Deliveries.Select(d => d.ResidentId)));
        var history = await store.GetHistoryAsync(tenant, caseId, ct);
        var sent = await messages.ListForCaseAsync(tenant, caseId, ct);
        return Results.Ok(new CaseDetail(
            Summary(c),
            c.Event.HouseholdId,
            c.Event.ResidentId,
            c.AssignedTo,
            c.Note,
            c.Matches.Select(m => new Eligibility(m.ServiceId, m.RecipientIds, m.Deadline, m.AmountYen, m.NeedsClaim, m.UsesTaxData, m.RuleVersion, m.Reasons)).ToList(),
            sent.Select(m => new MessageStatusView(m.MessageId, m.ResidentId, m.Channel.ToString(), m.Purpose, m.Status.ToWireName(), m.Attempts, m.Provider, m.Language, m.TemplateVersion, m.UpdatedAt)).ToList(),
            history));
    }

    private static async Task<IResult> RaiseAsync(string tenant, string caseId, string name, HttpContext http, CaseEngine engine, CancellationToken ct)
    {
        if (!ExternalEvent.Names.Contains(name))
        {
            return Problems.Validation(("name", $"Unknown event '{name}'. Use one of: {string.Join(", ", ExternalEvent.Names)}."));
        }

        var body = await Problems.ReadOptionalJsonAsync<EventBody>(http, ct);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        CaseOutcome? outcome = null;
        if (body.Value?.Outcome is { } o)
        {
            if (!Enum.TryParse<CaseOutcome>(o, ignoreCase: true, out var parsed) || parsed == CaseOutcome.None)
            {
                return Problems.Validation(("outcome", $"Unknown outcome '{o}'."));
            }

            outcome = parsed;
        }

        if (!Problems.IsSafeId(caseId))
        {
            return Problems.NotFound("case", caseId);
        }

        var principal = ApiPrincipal.From(http);
        if (name is ExternalEvent.StaffTakeover or ExternalEvent.Close && principal.Role != ApiRole.Staff)
        {
            return Problems.Forbidden("Only staff can take over or close a case.");
        }

        var input = new ExternalEvent(name, outcome, body.Value?.Note) { Actor = principal.Actor };
        var decision = await engine.ApplyAsync(tenant, caseId, input, ct);
        if (decision is null)
        {
            return Problems.NotFound("case", caseId);
        }

        if (!decision.Accepted)
        {
            return Problems.Conflict($"The case cannot take '{name}' now: {decision.RefusedBecause}.");
        }

        return Results.Accepted($"/api/tenants/{tenant}/cases/{caseId}", Summary(decision.State));
    }

    internal static CaseSummary Summary(CaseData c) =>
        new(c.CaseId, c.Event.Kind.ToString(), c.Event.EventDate, c.State.ToString(), c.Outcome.ToString(), c.EscalationReason, c.EarliestDeadline, c.Matches.Select(m => m.ServiceId).ToList(), c.UpdatedAt);
}
