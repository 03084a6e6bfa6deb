using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Notifications;
using PushGov.Infrastructure.Residents;

namespace PushGov.Functions.Api;

/// <summary>
/// What staff do with cases beyond the events of <see cref="CasesApi"/> (take over and close are events there):
/// <code>
/// GET  /api/tenants/{tenant}/escalations                  escalated cases, earliest deadline first
/// POST /api/tenants/{tenant}/cases/{caseId}/notes         {text} → a note in the case history
/// POST /api/tenants/{tenant}/cases/{caseId}/resend        {residentId, channel} → the case's message again, on that channel
/// </code>
/// Every one is audited with the member of staff as actor.
/// </summary>
public static class StaffApi
{
    /// <summary>Notes sit in the case history after the transitions: versions from here on (a transition never gets this far).</summary>
    public const int NoteVersionBase = 1_000_000_000;

    public const string ResendPurpose = "resend";

    private const int MaxEscalations = 2000;

    public sealed record NoteBody(string? Text);

    public sealed record ResendBody(string? ResidentId, string? Channel);

    public sealed record ResendAccepted(string MessageId, string Channel, string Status, bool Repeated);

    internal static async Task<IResult> EscalationsAsync(string tenant, ICaseReader store, HttpContext http, CancellationToken ct)
    {
        var all = new List<CaseData>();
        string? token = null;
        do
        {
            var (page, next) = await store.ListAsync(tenant, new CaseQuery(CaseState.Escalated, ContinuationToken: token, PageSize: 200), ct);
            all.AddRange(page);
            token = next;
        }
        while (token is not null && all.Count < MaxEscalations);

        var sorted = all.OrderBy(c => c.EarliestDeadline ?? DateOnly.MaxValue).ThenBy(c => c.UpdatedAt).Select(CasesApi.Summary).ToList();
        AuditApi.Note(http, detail: $"count={sorted.Count}");
        return Results.Ok(new CasesApi.CaseList(sorted, token));
    }

    internal static async Task<IResult> AddNoteAsync(string tenant, string caseId, HttpContext http, ICaseReader store, ICaseInbox inbox, TimeProvider clock, CancellationToken ct)
    {
        if (!Problems.IsSafeId(caseId))
        {
            return Problems.NotFound("case", caseId);
        }

        var (body, problem) = await Problems.ReadJsonAsync<NoteBody>(http, ApiContract.AddNote, ct);
        if (problem is not null)
        {
            return problem;
        }

        var text = body!.Text?.Trim();
        if (string.IsNullOrEmpty(text) || body.Text!.Length > ApiContract.MaxNoteLength)
        {
            return Problems.Validation(("text", $"A note of 1 to {ApiContract.MaxNoteLength} characters."));
        }

        var stored = await store.GetAsync(tenant, caseId, ct);
        if (stored is null)
        {
            return Problems.NotFound("case", caseId);
        }

        // A note is not a transition: it gets its own version range so it never collides with the engine's rows. Two notes
        // on one case at the same moment may count the same notes: the store gives the second the next free version.
        var history = await store.GetHistoryAsync(tenant, caseId, ct);
        var version = NoteVersionBase + history.Count(h => h.Version >= NoteVersionBase);
        var caller = ApiPrincipal.From(http);
        var entry = await inbox.AddNoteAsync(tenant, caseId, new HistoryEntry(version, clock.GetUtcNow(), stored.State, stored.State, "note", caller.Actor, text), ct);
        AuditApi.Note(http, caseId, [stored.Event.ResidentId], detail: $"note length={text.Length}");
        return Results.Created($"/api/tenants/{tenant}/cases/{caseId}", entry);
    }

    internal static async Task<IResult> ResendAsync(
        string tenant,
        string caseId,
        HttpContext http,
        ICaseReader store,
        ResidentStore residents,
        INotificationRequests notifications,
        CancellationToken ct)
    {
        if (!Problems.IsSafeId(caseId))
        {
            return Problems.NotFound("case", caseId);
        }

        var (body, problem) = await Problems.ReadJsonAsync<ResendBody>(http, ApiContract.Resend, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<(string, string)>();
        if (!Problems.IsSafeId(body!.ResidentId))
        {
            errors.Add(("residentId", "The 宛名番号 of a recipient of this case."));
        }

        if (PreferencesApi.ParseChannel(body.Channel) is not { } channel)
        {
            errors.Add(("channel", "One of sms, email, post, line."));
            channel = default;
        }

        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }

        var residentId = body.ResidentId!;
        var c = await store.GetAsync(tenant, caseId, ct);
        if (c is null)
        {
            return Problems.NotFound("case", caseId);
        }

        AuditApi.Note(http, caseId, [residentId], detail: $"channel={channel}");
        if (!c.IsOpen)
        {
            return Problems.Conflict("The case is closed; nothing is sent for a closed case.");
        }

        var services = c.Matches.Where(m => m.RecipientIds.Contains(residentId)).Select(m => m.ServiceId).ToList();
        if (services.Count == 0)
        {
            return Problems.Validation(("residentId", "This resident is not a recipient of any service of this case."));
        }

        var householdId = await residents.HouseholdOfAsync(tenant, residentId, ct);
        var person = householdId is null ? null : (await residents.HouseholdAsync(tenant, householdId, ct)).FirstOrDefault(p => p.ResidentId == residentId);
        if (person is null || person.Status != RegistryStatus.Registered)
        {
            return Problems.Conflict("The resident is no longer registered here; nothing is sent.");
        }

        var current = (await residents.ContactsAsync(tenant, residentId, ct))
            .GroupBy(x => x.Channel)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(x => x.ConsentedAt).First());
        var contact = current.GetValueOrDefault(channel);
        var address = contact is { Consent: true } ? contact.Address : channel == Channel.Post && contact is null ? RecipientResolver.PostalAddress(person) : null;
        if (string.IsNullOrEmpty(address))
        {
            return Problems.Conflict($"The resident has no {channel.ToString().ToLowerInvariant()} address they consented to; choose another channel.");
        }

        var language = current.Values.OrderByDescending(x => x.ConsentedAt).Select(x => x.Language).FirstOrDefault(l => !string.IsNullOrEmpty(l)) ?? "ja";

        // Deterministic per case version, resident and channel: a repeated request (a retry, a double click) sends once.
        var messageId = MessageIds.For(c.MessageKey, $"{ResendPurpose}-{c.Version}", residentId, channel);
        var delivery = new Delivery(messageId, residentId, channel, address, language, services, ResendPurpose, GivenName: person.GivenName, FamilyName: person.FamilyName, GivenNameKana: person.GivenNameKana, FamilyNameKana: person.FamilyNameKana);
        var (added, status) = await notifications.RequestAsync(c, delivery, ApiPrincipal.From(http).IsTest, ct);
        return Results.Accepted($"/api/tenants/{tenant}/cases/{caseId}", new ResendAccepted(messageId, channel.ToString().ToLowerInvariant(), status.ToWireName(), !added));
    }
}

/// <summary>The staff routes as HTTP functions (<see cref="StaffApi"/> answers); a note reaches the case, so it binds the Durable client.</summary>
public sealed class StaffFunctions(
    ApiGate gate,
    ICaseReader store,
    DurableCases cases,
    ResidentStore residents,
    INotificationRequests notifications,
    TimeProvider clock)
{
    [Function("ListEscalations")]
    public Task<IResult> ListEscalations([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/escalations")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.Escalations, new { tenant }, (http, ct) => StaffApi.EscalationsAsync(tenant, store, http, ct));

    [Function("AddCaseNote")]
    public Task<IResult> AddCaseNote([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/notes")] HttpRequest req, string tenant, string caseId, [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(req, ApiContract.AddNote, new { tenant, caseId }, (http, ct) => StaffApi.AddNoteAsync(tenant, caseId, http, store, cases.Use(client), clock, ct));

    [Function("ResendCaseMessage")]
    public Task<IResult> ResendCaseMessage([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/cases/{caseId}/resend")] HttpRequest req, string tenant, string caseId) =>
        gate.RunAsync(req, ApiContract.Resend, new { tenant, caseId }, (http, ct) => StaffApi.ResendAsync(tenant, caseId, http, store, residents, notifications, ct));
}
