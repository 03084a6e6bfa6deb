using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Functions.Cases;
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
    internal static readonly ApiRole[] Staff = [ApiRole.Staff];
    internal static readonly ApiRole[] PortalOrStaff = [ApiRole.ResidentPortal, ApiRole.Staff];

    public sealed record CaseSummary(string CaseId, string Kind, DateOnly EventDate, string State, string Outcome, string? EscalationReason, DateOnly? Deadline, IReadOnlyList<string> ServiceIds, DateTimeOffset UpdatedAt);

    public sealed record CaseList(IReadOnlyList<CaseSummary> Cases, string? ContinuationToken);

    public sealed record MessageStatusView(string MessageId, string ResidentId, string Channel, string Purpose, string Status, int Attempts, string? Provider, string Language, string TemplateVersion, DateTimeOffset UpdatedAt);

    public sealed record CaseDetail(CaseSummary Summary, string HouseholdId, string ResidentId, string? AssignedTo, string? Note, IReadOnlyList<Eligibility> Matches, IReadOnlyList<MessageStatusView> Messages, IReadOnlyList<HistoryEntry> History);

    public sealed record Eligibility(string ServiceId, IReadOnlyList<string> RecipientIds, DateOnly? Deadline, long? AmountYen, bool NeedsClaim, bool UsesTaxData, string? RuleVersion, IReadOnlyList<Domain.Eligibility.ReasonStep> Reasons);

    public sealed record EventBody(string? Note, string? Outcome);

    internal static async Task<IResult> ListAsync(string tenant, string? state, string? service, DateOnly? from, DateOnly? to, string? continuationToken, int? pageSize, ICaseReader store, CancellationToken ct)
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

    internal static async Task<IResult> GetAsync(string tenant, string caseId, ICaseReader store, MessageStore messages, HttpContext http, CancellationToken ct)
    {
        var c = Problems.IsSafeId(caseId) ? await store.GetAsync(tenant, caseId, ct) : null;
        if (c is null)
        {
            return Problems.NotFound("case", caseId);
        }

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
            sent.Select(m => new MessageStatusView(m.MessageId, m.ResidentId, m.Channel.ToString(), m.Purpose, m.Status, m.Attempts, m.Provider, m.Language, m.TemplateVersion, m.UpdatedAt)).ToList(),
            history));
    }

    internal static async Task<IResult> RaiseAsync(string tenant, string caseId, string name, HttpContext http, ICaseInbox inbox, CancellationToken ct)
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
        var decision = await inbox.SendAsync(tenant, caseId, input, ct);
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

/// <summary>The routes of cases (see <see cref="CasesApi"/>).</summary>
public sealed class CasesFunctions(ApiGate gate, ICaseReader cases, MessageStore messages, DurableCases durable)
{
    [Function("ListCases")]
    public Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/cases")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, tenant, new Audit("cases.list"), CasesApi.Staff, (_, ct) => CasesApi.ListAsync(
            tenant, Query.Text(req, "state"), Query.Text(req, "service"), Query.Date(req, "from"), Query.Date(req, "to"), Query.Text(req, "continuationToken"), Query.Int(req, "pageSize"), cases, ct));

    [Function("GetCase")]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/cases/{caseId}")] HttpRequest req, string tenant, string caseId) =>
        gate.RunAsync(req, tenant, new Audit("case.read", caseId), CasesApi.Staff, (http, ct) => CasesApi.GetAsync(tenant, caseId, cases, messages, http, ct));

    [Function("RaiseCaseEvent")]
    public Task<IResult> RaiseAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/events/{name}")] HttpRequest req,
        string tenant,
        string caseId,
        string name,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(req, tenant, new Audit("case.event", caseId), CasesApi.PortalOrStaff, (http, ct) => CasesApi.RaiseAsync(tenant, caseId, name, http, durable.Use(client), ct));
}
