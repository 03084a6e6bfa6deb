using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Serialization;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Notifications.Outbox;

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
    public sealed record CaseSummary(string CaseId, string Kind, DateOnly EventDate, string State, string Outcome, string? EscalationReason, DateOnly? Deadline, IReadOnlyList<string> ServiceIds, DateTimeOffset UpdatedAt);

    public sealed record CaseList(IReadOnlyList<CaseSummary> Cases, string? ContinuationToken);

    public sealed record MessageStatusView(string MessageId, string ResidentId, string Channel, string Purpose, string Status, int Attempts, string? Provider, string Language, string TemplateVersion, DateTimeOffset UpdatedAt);

    public sealed record CaseDetail(CaseSummary Summary, string HouseholdId, string ResidentId, string? AssignedTo, string? Note, IReadOnlyList<Eligibility> Matches, IReadOnlyList<MessageStatusView> Messages, IReadOnlyList<HistoryEntry> History);

    public sealed record Eligibility(string ServiceId, IReadOnlyList<string> RecipientIds, DateOnly? Deadline, long? AmountYen, bool NeedsClaim, bool UsesTaxData, string? RuleVersion, IReadOnlyList<Domain.Eligibility.ReasonStep> Reasons);

    public sealed record EventBody(string? Note, string? Outcome);

    internal static async Task<IResult> ListAsync(string tenant, HttpContext http, ICaseReader store, ContinuationTokens tokens, CancellationToken ct)
    {
        var query = Problems.Query(http, ApiContract.ListCases);
        var (state, service, from, to) = (query.Enum<CaseState>("state"), query.Text("service"), query.Date("from"), query.Date("to"));
        var (continuationToken, pageSize) = (query.Text(ContinuationTokens.Parameter), query.Int("pageSize"));
        if (query.Problem is { } invalid)
        {
            return Problems.Result(invalid);
        }

        // A token belongs to this tenant's listing with these filters.
        var scope = $"cases|{tenant}|{state}|{service}|{from:O}|{to:O}";
        string? inner = null;
        if (continuationToken is not null && !tokens.TryOpen(scope, continuationToken, out inner))
        {
            return Problems.Result(ContinuationTokens.Invalid());
        }

        var (list, next) = await store.ListAsync(tenant, new CaseQuery(state, service, from, to, inner, pageSize ?? 50), ct);
        return Results.Ok(new CaseList(list.Select(Summary).ToList(), tokens.Seal(scope, next)));
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
            sent.Select(m => new MessageStatusView(m.MessageId, m.ResidentId, m.Channel.ToString(), m.Purpose, m.Status.ToWireName(), m.Attempts, m.Provider, m.Language, m.TemplateVersion, m.UpdatedAt)).ToList(),
            history));
    }

    internal static async Task<IResult> RaiseAsync(string tenant, string caseId, string name, HttpContext http, ICaseInbox inbox, CancellationToken ct)
    {
        var op = ApiContract.RaiseCaseEvent;
        if (!op.Parameter("name").Schema.Enum!.Contains(name, StringComparer.Ordinal))
        {
            return Problems.Validation(("name", $"Unknown event '{ApiProblem.Truncate(name)}'. Use one of: {string.Join(", ", op.Parameter("name").Schema.Enum!)}."));
        }

        var body = await Problems.ReadOptionalJsonAsync<EventBody>(http, op, ct);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        // Only a defined name is stored ("999" or "1" parse as enum values with Enum.TryParse: never here).
        CaseOutcome? outcome = null;
        if (body.Value?.Outcome is { } o)
        {
            if (!ContractSchemas.CloseOutcomes.Contains(o, StringComparer.Ordinal) || !EnumNames.TryParse<CaseOutcome>(o, out var parsed))
            {
                return Problems.Validation(("outcome", $"Unknown outcome '{ApiProblem.Truncate(o)}'. Use one of: {string.Join(", ", ContractSchemas.CloseOutcomes)}."));
            }

            outcome = parsed;
        }

        if (body.Value?.Note is { Length: > ApiContract.MaxNoteLength })
        {
            return Problems.Validation(("note", $"A note of at most {ApiContract.MaxNoteLength} characters."));
        }

        if (!Problems.IsSafeId(caseId))
        {
            return Problems.NotFound("case", caseId);
        }

        var principal = ApiPrincipal.From(http);
        if (name is ExternalEvent.StaffTakeover or ExternalEvent.Close && !principal.Allows(ApiPermission.ActOnCases))
        {
            return Problems.Forbidden($"Taking over or closing a case needs the {ApiPermission.ActOnCases} permission (roles {string.Join(", ", ApiPermissions.RolesWith(ApiPermission.ActOnCases))}).");
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

/// <summary>The case routes as HTTP functions (<see cref="CasesApi"/> answers).</summary>
public sealed class CasesFunctions(ApiGate gate, ICaseReader store, MessageStore messages, ContinuationTokens tokens, DurableCases cases)
{
    [Function("ListCases")]
    public Task<IResult> ListCases([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/cases")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.ListCases, new { tenant }, (http, ct) => CasesApi.ListAsync(tenant, http, store, tokens, ct));

    [Function("GetCase")]
    public Task<IResult> GetCase([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/cases/{caseId}")] HttpRequest req, string tenant, string caseId) =>
        gate.RunAsync(req, ApiContract.GetCase, new { tenant, caseId }, (http, ct) => CasesApi.GetAsync(tenant, caseId, store, messages, http, ct));

    [Function("RaiseCaseEvent")]
    public Task<IResult> RaiseCaseEvent([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/events/{name}")] HttpRequest req, string tenant, string caseId, string name, [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(req, ApiContract.RaiseCaseEvent, new { tenant, caseId, name }, (http, ct) => CasesApi.RaiseAsync(tenant, caseId, name, http, cases.Use(client), ct));
}
