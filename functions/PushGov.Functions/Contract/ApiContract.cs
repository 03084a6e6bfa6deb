using PushGov.Domain.Cases;
using PushGov.Domain.Drops;
using PushGov.Domain.Serialization;
using PushGov.Functions.Api;

namespace PushGov.Functions.Contract;

/// <summary>
/// Every operation of the API (see <see cref="ApiOperation"/>). A route that exists and is not described here fails
/// <c>The_described_operations_are_exactly_the_routes_that_exist</c>; so does a description without a route.
/// </summary>
public static class ApiContract
{
    public const int MaxNoteLength = 2000;

    /// <summary>The largest JSON body a JSON route reads (counted while reading, with or without Content-Length).</summary>
    public const int MaxJsonBytes = 64 * 1024;

    /// <summary>Largest drop accepted over HTTP (a 3.8 M-row snapshot is about 0.5 GB).</summary>
    public const long MaxDropBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>The Event Grid shared-secret header (a static, secret delivery attribute of the subscription).</summary>
    public const string EventGridSecretHeader = "X-PushGov-EventGrid-Secret";

    /// <summary>A LINE webhook body larger than this is not LINE's (it sends small batches of events).</summary>
    public const int MaxLineWebhookBytes = 1024 * 1024;

    public static readonly IReadOnlyList<string> TenantSecurity = [SecuritySchemes.ApiKey, SecuritySchemes.ApiKeyHeader, SecuritySchemes.EntraId];

    private static readonly IReadOnlyList<string> JsonOnly = [MediaType.Json];

    private static readonly ApiParameter TenantParam = new("tenant", ParameterIn.Path, new ValueSchema("string") { Pattern = ApiPatterns.Tenant }, "The local government code (全国地方公共団体コード, 6 digits with its check digit). Another tenant's, or one that does not exist: 404.");

    private static readonly ApiParameter CaseIdParam = Id("caseId", "The case id (the life event's id). Not matching the pattern, or unknown: 404.");

    private static readonly ApiParameter ResidentIdParam = Id("residentId", "The resident's 宛名番号. Not matching the pattern, or unknown: 404.");

    /// <summary>A range of days in Asia/Tokyo, both included (default: today; from after to, or longer than the limit: 400).</summary>
    private static readonly ApiParameter[] DayRange =
    [
        new("from", ParameterIn.Query, new ValueSchema("string") { Format = "date" }, "First day (Asia/Tokyo, included; default: to)."),
        new("to", ParameterIn.Query, new ValueSchema("string") { Format = "date" }, "Last day (Asia/Tokyo, included; default: today)."),
    ];

    private static readonly ApiParameter PageTokenParam = new("continuationToken", ParameterIn.Query, new ValueSchema("string") { MaxLength = 4000 }, "The continuationToken of the previous page, unchanged, with the same filters. Any other value: 400.");

    public static readonly ApiOperation Health = new("getHealth", "GET", "/api/health", "Health", "Is storage reachable?")
    {
        Responses =
        [
            new(200, "Tables, blobs and queues are reachable.", MediaType.Json, typeof(HealthApi.Health)),
            new(503, "Some storage is unreachable (status \"unhealthy\", each part says why).", MediaType.Json, typeof(HealthApi.Health)),
        ],
    };

    public static readonly ApiOperation OpenApi = new("getOpenApi", "GET", "/api/openapi.json", "Health", "This document (OpenAPI 3.1).")
    {
        Responses = [new(200, "The OpenAPI document.", MediaType.Json)],
    };

    public static readonly ApiOperation EventGridEvents = new("postEventGridEvents", "POST", "/api/events/acs", "Webhooks", "Azure Communication Services events from Event Grid.")
    {
        Security = [SecuritySchemes.EventGridSecret, SecuritySchemes.EventGridCode, SecuritySchemes.EventGridEntra],
        Description = "Event Grid delivery (EventGridEvent schema): the subscription validation handshake, SMS and e-mail delivery reports, inbound SMS (an opt-out word such as STOP or 配信停止 withdraws SMS consent). "
            + "Authenticated by the shared secret (header " + EventGridSecretHeader + " as a secret delivery attribute, or ?code=) and, when configured, an Entra ID token that Event Grid obtains; "
            + "with no authentication configured the webhook is disabled and refuses every request (401).",
        Body = new ApiBody(JsonOnly, typeof(EventGridEventSchema[]), true, MaxJsonBytes, "An array of Event Grid events."),
        Responses =
        [
            new(200, "Handled (for the validation handshake: {\"validationResponse\": code}).", MediaType.Json, typeof(EventGridAnswer)),
            new(400, "Not an Event Grid delivery."),
            new(401, "Missing or wrong secret or token, or the webhook is disabled (no authentication configured)."),
            new(503, "A report names a message not recorded yet (younger than 10 minutes): Event Grid delivers it again."),
        ],
    };

    public static readonly ApiOperation DomesticSmsCallback = new("postDomesticSmsCallback", "POST", "/api/events/domestic-sms", "Webhooks", "The domestic SMS aggregator's delivery callback.")
    {
        Security = [SecuritySchemes.DomesticSmsSignature],
        Description = "Signed with X-Signature (t={unix seconds},v1={hex HMAC-SHA256 of \"{t}.{body}\"}); older than 5 minutes: refused.",
        Body = new ApiBody(JsonOnly, typeof(DomesticSmsCallbackSchema), true, MaxJsonBytes, "The aggregator's callback."),
        Responses =
        [
            new(200, "Applied.", null),
            new(401, "The signature is missing, wrong or stale."),
            new(404, "No domestic SMS provider is configured."),
            new(503, "No message has this id yet: call again."),
        ],
    };

    public static readonly ApiOperation UnsubscribePage = new("getUnsubscribePage", "GET", "/api/unsubscribe/{messageId}", "Sending", "The one-click unsubscribe confirmation page (changes nothing).")
    {
        Parameters = [Id("messageId", "The message id from the List-Unsubscribe link. Not matching the pattern: 404.")],
        Responses =
        [
            new(200, "A small page (Japanese and English) whose button POSTs the unsubscribe.", MediaType.Html),
            new(404, "Not a message id."),
        ],
    };

    public static readonly ApiOperation Unsubscribe = new("postUnsubscribe", "POST", "/api/unsubscribe/{messageId}", "Sending", "RFC 8058 one-click unsubscribe: withdraws e-mail consent at once.")
    {
        Parameters = [Id("messageId", "The message id from the List-Unsubscribe link.")],
        Body = new ApiBody([MediaType.Form, MediaType.Multipart], typeof(OneClickForm), true, MaxJsonBytes, "List-Unsubscribe=One-Click, as mail providers send it (RFC 8058)."),
        Responses =
        [
            new(200, "Unsubscribed: a confirmation page.", MediaType.Html),
            new(400, "Not a one-click unsubscribe (the form field List-Unsubscribe=One-Click is missing or the form is malformed)."),
            new(404, "No e-mail message has this id."),
        ],
    };

    public static readonly ApiOperation ListCases = Tenant("listCases", "GET", "/cases", "Cases", "Cases of the tenant, a page at a time.", ApiPermission.ReadCases, "cases.list") with
    {
        Parameters =
        [
            TenantParam,
            new("state", ParameterIn.Query, new ValueSchema("string") { Enum = EnumNames.Of<CaseState>() }, "Only cases in this state."),
            new("service", ParameterIn.Query, new ValueSchema("string") { MinLength = 1, MaxLength = 100 }, "Only cases that matched this service id."),
            new("from", ParameterIn.Query, new ValueSchema("string") { Format = "date" }, "Only events on or after this date."),
            new("to", ParameterIn.Query, new ValueSchema("string") { Format = "date" }, "Only events on or before this date."),
            PageTokenParam,
            new("pageSize", ParameterIn.Query, new ValueSchema("integer") { Minimum = 1, Maximum = 200, Default = 50 }, "Cases per page."),
        ],
        Responses = [new(200, "A page of cases; continuationToken is null on the last page.", MediaType.Json, typeof(CasesApi.CaseList))],
    };

    public static readonly ApiOperation GetCase = Tenant("getCase", "GET", "/cases/{caseId}", "Cases", "A case: matches with reasons and deadlines, messages, history (every resident shown is audited).", ApiPermission.ReadCases, "case.read") with
    {
        Parameters = [TenantParam, CaseIdParam],
        Responses = [new(200, "The case.", MediaType.Json, typeof(CasesApi.CaseDetail)), new(404, "No such case (or tenant).")],
    };

    public static readonly ApiOperation RaiseCaseEvent = Tenant("raiseCaseEvent", "POST", "/cases/{caseId}/events/{name}", "Cases", "Tell a case what happened: applied, declined (portal or staff), staff-takeover, close (staff).", ApiPermission.ResidentEvents, "case.event") with
    {
        Description = "staff-takeover and close need the ActOnCases permission (Staff, Admin, Test); a ResidentPortal credential gets 403 for them.",
        Parameters =
        [
            TenantParam,
            CaseIdParam,
            new("name", ParameterIn.Path, new ValueSchema("string") { Enum = [.. ExternalEvent.Names.Order(StringComparer.Ordinal)] }, "The event."),
        ],
        Body = new ApiBody(JsonOnly, typeof(CasesApi.EventBody), false, MaxJsonBytes, "Optional: a note, and for close the outcome."),
        Responses =
        [
            new(202, "Accepted: the case as it is now.", MediaType.Json, typeof(CasesApi.CaseSummary)),
            new(403, "A ResidentPortal credential on staff-takeover or close."),
            new(404, "No such case (or tenant)."),
            new(409, "The case cannot take this event now (e.g. it is closed, or it is still starting: try again after Retry-After)."),
        ],
    };

    public static readonly ApiOperation AddNote = Tenant("addCaseNote", "POST", "/cases/{caseId}/notes", "Staff", "Add a staff note to the case history (the audit keeps its length only).", ApiPermission.ActOnCases, "case.note") with
    {
        Parameters = [TenantParam, CaseIdParam],
        Body = new ApiBody(JsonOnly, typeof(StaffApi.NoteBody), true, MaxJsonBytes, "The note."),
        Responses = [new(201, "The history entry written.", MediaType.Json, typeof(HistoryEntry)), new(404, "No such case (or tenant).")],
    };

    public static readonly ApiOperation Resend = Tenant("resendCaseMessage", "POST", "/cases/{caseId}/resend", "Staff", "Send the case's message again to a recipient on a channel; a repeated request sends once.", ApiPermission.ActOnCases, "case.resend") with
    {
        Parameters = [TenantParam, CaseIdParam],
        Body = new ApiBody(JsonOnly, typeof(StaffApi.ResendBody), true, MaxJsonBytes, "Who, and on which channel."),
        Responses =
        [
            new(202, "Queued (repeated: true when this exact resend was asked before).", MediaType.Json, typeof(StaffApi.ResendAccepted)),
            new(404, "No such case (or tenant)."),
            new(409, "The case is closed, the resident is no longer registered, or there is no consented address on that channel."),
        ],
    };

    public static readonly ApiOperation Escalations = Tenant("listEscalations", "GET", "/escalations", "Staff", "Escalated cases, earliest deadline first (up to 2000).", ApiPermission.ReadCases, "escalations.list") with
    {
        Parameters = [TenantParam],
        Responses = [new(200, "The escalated cases; continuationToken is not null when there were more than 2000.", MediaType.Json, typeof(CasesApi.CaseList))],
    };

    public static readonly ApiOperation GetPreferences = Tenant("getPreferences", "GET", "/residents/{residentId}/preferences", "Preferences", "A resident's channels in effect (the newest record per channel), consent, language and preferred channel.", ApiPermission.Preferences, "preferences.read") with
    {
        Parameters = [TenantParam, ResidentIdParam],
        Responses = [new(200, "The preferences.", MediaType.Json, typeof(PreferencesApi.Preferences)), new(404, "No such resident (or tenant).")],
    };

    public static readonly ApiOperation PutPreferences = Tenant("putPreferences", "PUT", "/residents/{residentId}/preferences", "Preferences", "The resident's choices for the channels given and the channel to try first; a withdrawal cancels pending messages at once.", ApiPermission.Preferences, "preferences.write") with
    {
        Parameters = [TenantParam, ResidentIdParam],
        Description = "preferredChannel (line, sms or email; none clears it) is tried before the municipality's channel order while the resident has consented to it. "
            + "Choosing a channel the resident has no consented address for after this request's channel changes, or one the municipality does not send on, is 400 (errors.preferredChannel). "
            + "A later withdrawal keeps the choice, unused until consent is given again.",
        Body = new ApiBody(JsonOnly, typeof(PreferencesApi.PreferencesUpdate), true, MaxJsonBytes, "At least one of language, taxDataConsent, channels, preferredChannel. Channels not listed are left as they are."),
        Responses = [new(200, "The preferences now.", MediaType.Json, typeof(PreferencesApi.Preferences)), new(404, "No such resident (or tenant).")],
    };

    public static readonly ApiOperation Notifications = Tenant("listNotifications", "GET", "/notifications", "Notifications", "What the development sink recorded (locally and for test keys); addresses masked unless an admin reveals them.", ApiPermission.ReadSink, "notifications.read") with
    {
        Parameters =
        [
            TenantParam,
            new("max", ParameterIn.Query, new ValueSchema("integer") { Minimum = 1, Maximum = 5000, Default = 500 }, "At most this many, newest first."),
            new("reveal", ParameterIn.Query, new ValueSchema("boolean"), "true: addresses in clear (needs the RevealAddresses permission: Admin; 403 otherwise)."),
        ],
        Responses = [new(200, "The recorded messages.", MediaType.Json, typeof(List<NotificationsApi.Notification>)), new(403, "reveal=true without the RevealAddresses permission.")],
    };

    public static readonly ApiOperation UploadDrop = Tenant("uploadDrop", "POST", "/drops/{dataset}", "Drops", "Upload a drop: streamed into blob storage and ingested like one a municipal system placed.", ApiPermission.Drops, "drop.upload") with
    {
        Parameters =
        [
            TenantParam,
            Dataset("dataset"),
            new("name", ParameterIn.Query, new ValueSchema("string") { Pattern = ApiPatterns.DropName }, "The drop's file name (default: the time and a random suffix, .csv)."),
        ],
        Body = new ApiBody([MediaType.Csv, MediaType.OctetStream], null, true, MaxDropBytes, "The CSV file (UTF-8, UTF-8 with BOM or Shift_JIS/cp932), streamed.") { Binary = true },
        Responses =
        [
            new(202, "Stored; Location and report name where the ingestion report will be.", MediaType.Json, typeof(DropsApi.Accepted)),
            new(409, "A drop with this name exists already for this dataset."),
        ],
    };

    public static readonly ApiOperation DropReport = Tenant("getDropReport", "GET", "/drops/{dataset}/{name}/report", "Drops", "The ingestion report of a drop.", ApiPermission.Drops, "drop.report.read") with
    {
        Parameters =
        [
            TenantParam,
            Dataset("dataset"),
            new("name", ParameterIn.Path, new ValueSchema("string") { Pattern = ApiPatterns.DropName }, "The drop's file name."),
        ],
        Responses = [new(200, "The report.", MediaType.Json, typeof(Domain.Drops.DropReport)), new(404, "Not ingested yet, no such drop, or a dataset or name that cannot exist.")],
    };

    public static readonly ApiOperation Audit = Tenant("listAudit", "GET", "/audit", "Audit", "The audit log, newest first (default: the last 31 days; at most 400 days per listing).", ApiPermission.ReadAudit, "audit.read") with
    {
        Parameters =
        [
            TenantParam,
            new("from", ParameterIn.Query, new ValueSchema("string") { Format = "date-time" }, "Start (inclusive; default: 31 days before to). Must be before to, and to − from at most 400 days: 400 otherwise."),
            new("to", ParameterIn.Query, new ValueSchema("string") { Format = "date-time" }, "End (exclusive; default: now)."),
            PageTokenParam,
            new("pageSize", ParameterIn.Query, new ValueSchema("integer") { Minimum = 1, Maximum = 1000, Default = 100 }, "Entries per page."),
        ],
        Responses = [new(200, "A page of entries; continuationToken is null on the last page.", MediaType.Json, typeof(AuditApi.AuditPage))],
    };

    public static readonly ApiOperation Dashboard = Tenant("getDashboard", "GET", "/dashboard", "Dashboard", "What PushGov did for the tenant over days in Asia/Tokyo: drops, life events, cases, messages, the post-only share (counts only; the take-up funnel is getTakeUp).", ApiPermission.ReadCases, "dashboard.read") with
    {
        Parameters = [TenantParam, .. DayRange],
        Responses = [new(200, "The figures.", MediaType.Json, typeof(Infrastructure.Reporting.DashboardReport)), new(400, $"A parameter is not a day, or from is after to, or the range is longer than {Infrastructure.Reporting.Dashboard.MaxDays} days.")],
    };

    public static readonly ApiOperation TakeUp = Tenant("getTakeUp", "GET", "/takeup", "Dashboard", "The take-up funnel of the cases created over days in Asia/Tokyo, per service, channel and language: eligible, notified, link opened, applied (or confirmed), taken over by staff, and the median days from the event to the application (counts only).", ApiPermission.ReadCases, "takeup.read") with
    {
        Parameters = [TenantParam, .. DayRange],
        Responses = [new(200, "The funnel.", MediaType.Json, typeof(Domain.Cases.TakeUpReport)), new(400, $"A parameter is not a day, or from is after to, or the range is longer than {Infrastructure.Reporting.Dashboard.MaxDays} days.")],
    };

    public static readonly ApiOperation ListDrops = Tenant("listDrops", "GET", "/drops", "Drops", "Drops received over days in Asia/Tokyo, newest first, each with its report's figures.", ApiPermission.Drops, "drops.list") with
    {
        Parameters = [TenantParam, .. DayRange],
        Responses = [new(200, "The drops.", MediaType.Json, typeof(DashboardApi.DropListing)), new(400, $"A parameter is not a day, or from is after to, or the range is longer than {Infrastructure.Reporting.Dashboard.MaxDays} days.")],
    };

    public static readonly ApiOperation Catalog = Tenant("getCatalog", "GET", "/catalog", "Catalog", "The tenant's catalog: services, their rule versions with the day each comes into force, and deadlines.", ApiPermission.ReadCases, null) with
    {
        Parameters = [TenantParam],
        Responses = [new(200, "The catalog.", MediaType.Json, typeof(Infrastructure.Tenants.TenantCatalogView)), new(404, "No such tenant.")],
    };

    public static readonly ApiOperation CasePeople = Tenant("getCasePeople", "GET", "/cases/{caseId}/people", "Staff", "The people of a case in clear (names, dates of birth, addresses, contacts); the read is audited with every resident shown.", ApiPermission.ReadCases, "case.people.read") with
    {
        Parameters = [TenantParam, CaseIdParam],
        Responses = [new(200, "The people, and the audit action the read was recorded under.", MediaType.Json, typeof(CasePeopleApi.CasePeopleView)), new(404, "No such case (or tenant).")],
    };

    public static readonly ApiOperation LineWebhook = new("postLineWebhook", "POST", "/api/tenants/{tenant}/events/line", "Webhooks", "The tenant's LINE official account webhook (follow, unfollow, accountLink events).")
    {
        Security = [SecuritySchemes.LineSignature],
        Description = "Signed by LINE with X-Line-Signature (base64 HMAC-SHA256 of the body under the tenant's channel secret); the signature is checked before anything is read. A repeated delivery (same webhookEventId) is handled once.",
        Parameters = [TenantParam with { Description = "The local government code whose LINE channel this is. A tenant without a LINE channel: 404." }],
        Body = new ApiBody(JsonOnly, typeof(LineWebhookSchema), true, MaxLineWebhookBytes, "LINE's webhook body: destination and events."),
        Responses =
        [
            new(200, "Handled (how many events were handled, and how many were repeats).", MediaType.Json, typeof(LineApi.LineWebhookAnswer)),
            new(400, "Signed correctly but not a LINE webhook body."),
            new(401, "X-Line-Signature is missing or wrong."),
            new(404, "The tenant has no LINE channel."),
        ],
    };

    public static readonly ApiOperation LineLink = Tenant("startLineLink", "POST", "/residents/{residentId}/line-link", "LINE", "The residents' portal, having checked who the resident is, gets LINE's account-link URL with a fresh nonce.", ApiPermission.LinkLine, "line.link") with
    {
        Parameters = [TenantParam, ResidentIdParam],
        Body = new ApiBody(JsonOnly, typeof(LineApi.LineLinkRequest), true, MaxJsonBytes, "The linkToken LINE gave the portal."),
        Responses = [new(200, "Where to send the resident, and until when the nonce holds.", MediaType.Json, typeof(Infrastructure.Notifications.Providers.Line.LineLinkStart)), new(404, "No such resident (or tenant).")],
    };

    public static readonly ApiOperation LineQuota = Tenant("getLineQuota", "GET", "/line/quota", "LINE", "This month's LINE message quota and whether LINE is still used (it stops near the limit).", ApiPermission.ReadCases, "line.quota.read") with
    {
        Parameters = [TenantParam, new("refresh", ParameterIn.Query, new ValueSchema("boolean"), "true: ask LINE now instead of using the last reading.")],
        Responses = [new(200, "The quota (configured false when the tenant has no LINE channel).", MediaType.Json, typeof(Infrastructure.Notifications.Providers.Line.LineQuotaState)), new(404, "No such tenant.")],
    };

    private const string BadLink = "No such case, or the link does not open it: forged, altered, expired, revoked, or another case's or resident's (one answer for all, so nothing is revealed).";

    public static readonly ApiOperation ResidentView = Tenant("getResidentCase", "POST", "/cases/{caseId}/resident-view", "Residents", "What a resident sees through their signed link: what they can get, why in plain words, by when (西暦 and 和暦), how to apply.", ApiPermission.ResidentLinks, "resident.case.read") with
    {
        Description = "The residents' portal passes on the link token the resident followed ({portalBaseUrl}/r/{tenant}/{caseId}/{token}). The token is in the body, never in a URL the API logs. Only this resident's offers are shown.",
        Parameters = [TenantParam, CaseIdParam],
        Body = new ApiBody(JsonOnly, typeof(ResidentApi.LinkBody), true, MaxJsonBytes, "The link token."),
        Responses = [new(200, "The resident's view of the case.", MediaType.Json, typeof(Domain.Residents.ResidentCaseView)), new(404, BadLink)],
    };

    public static readonly ApiOperation ResidentAnswer = Tenant("answerResidentCase", "POST", "/cases/{caseId}/resident-answer", "Residents", "The resident's answer through their signed link: applied, or declined (not for me); handed to the case as an external event.", ApiPermission.ResidentLinks, "resident.case.answer") with
    {
        Parameters = [TenantParam, CaseIdParam],
        Body = new ApiBody(JsonOnly, typeof(ResidentApi.AnswerBody), true, MaxJsonBytes, "The link token and the answer (applied or declined)."),
        Responses =
        [
            new(202, "Accepted: the case as it is now.", MediaType.Json, typeof(CasesApi.CaseSummary)),
            new(404, BadLink),
            new(409, "The case cannot take the answer now (it is closed, or it is still starting: try again after Retry-After)."),
        ],
    };

    public static readonly ApiOperation ResidentApplication = Tenant("confirmResidentApplication", "POST", "/cases/{caseId}/resident-application", "Residents", "The resident confirms, through their signed link, the prefilled one-step application (申請不要) of a service of their case: it is handed to the back office and the case closes as applied.", ApiPermission.ResidentLinks, "resident.application.confirm") with
    {
        Description = "Only for a service the catalog marks oneStep and the resident is a recipient of. The application goes to container applications as {tenant}/{service}/{yyyy-MM-dd}/{applicationId}.json (the day in Asia/Tokyo) and into that day's CSV batch {tenant}/{service}/{yyyy-MM-dd}.csv. Its id is derived from tenant, case and service: confirming again hands nothing more over and answers 200 with the same application.",
        Parameters = [TenantParam, CaseIdParam],
        Body = new ApiBody(JsonOnly, typeof(ResidentApi.ConfirmBody), true, MaxJsonBytes, "The link token and the service id."),
        Responses =
        [
            new(201, "Handed over by this confirmation.", MediaType.Json, typeof(ResidentApi.ApplicationConfirmed)),
            new(200, "Handed over already by an earlier confirmation: the same application, nothing more handed over.", MediaType.Json, typeof(ResidentApi.ApplicationConfirmed)),
            new(404, BadLink + " Or the service offers this resident no one-step application."),
            new(409, "The case is closed and nothing was handed over, or the resident is no longer registered (apply at the counter)."),
        ],
    };

    public static readonly ApiOperation RevokeResidentLinks = Tenant("revokeResidentLinks", "POST", "/cases/{caseId}/resident-links/revoke", "Staff", "Stop every link of one resident for this case (a lost or forwarded message); the next message sent carries a link that is revoked too.", ApiPermission.ActOnCases, "resident.links.revoke") with
    {
        Parameters = [TenantParam, CaseIdParam],
        Body = new ApiBody(JsonOnly, typeof(ResidentApi.RevokeBody), true, MaxJsonBytes, "Whose links."),
        Responses = [new(200, "Revoked.", MediaType.Json, typeof(ResidentApi.Revoked)), new(404, "No such case (or tenant).")],
    };

    /// <summary>Every operation, in the order the document lists them.</summary>
    public static readonly IReadOnlyList<ApiOperation> All =
    [
        ListCases, GetCase, RaiseCaseEvent, AddNote, Resend, Escalations, CasePeople, GetPreferences, PutPreferences, Notifications, UploadDrop, DropReport, ListDrops, Audit,
        Dashboard, TakeUp, Catalog, LineLink, LineQuota, ResidentView, ResidentAnswer, ResidentApplication, RevokeResidentLinks,
        Health, OpenApi, EventGridEvents, DomesticSmsCallback, LineWebhook, UnsubscribePage, Unsubscribe,
    ];

    /// <summary>
    /// A tenant route: authenticated by a key or token of the tenant (401), of this tenant (404 otherwise), with a role
    /// that has the permission (403 when some role lacks it). A body adds 400/413/415; query parameters add 400.
    /// </summary>
    private static ApiOperation Tenant(string id, string method, string route, string tag, string summary, ApiPermission permission, string? audit) =>
        new(id, method, "/api/tenants/{tenant}" + route, tag, summary) { Permission = permission, Audit = audit, Security = TenantSecurity };

    private static ApiParameter Id(string name, string description) =>
        new(name, ParameterIn.Path, new ValueSchema("string") { Pattern = ApiPatterns.Id }, description);

    private static ApiParameter Dataset(string name) =>
        new(name, ParameterIn.Path, new ValueSchema("string") { Enum = [.. Datasets.Names] }, "The dataset (an unknown one: 400 on upload, 404 for a report).");

    /// <summary>
    /// The answers every operation gives beyond its own: for tenant routes 401, 403 (when a role lacks the permission)
    /// and 404 (another tenant's credential); 400 for query parameters or a body; 413 and 415 for a body.
    /// </summary>
    public static IReadOnlyList<ApiResponse> ResponsesOf(ApiOperation op)
    {
        var list = op.Responses.ToList();
        void Add(ApiResponse r)
        {
            if (list.All(x => x.Status != r.Status))
            {
                list.Add(r);
            }
        }

        if (op.Permission is { } permission)
        {
            Add(new(401, "No credential, or a malformed, wrong, revoked or expired one (WWW-Authenticate: Bearer)."));
            if (ApiPermissions.RolesWith(permission).Count < Enum.GetValues<ApiRole>().Length)
            {
                Add(new(403, $"The credential's role lacks the {permission} permission."));
            }

            Add(new(404, "A credential of another tenant, or a tenant that does not exist (the same answer)."));
        }

        if (op.Body is { } body)
        {
            // (A signed callback whose body is not the aggregator's is refused like a bad signature: 401, never 400.)
            if (op.Security is not [SecuritySchemes.DomesticSmsSignature])
            {
                Add(new(400, "The body is malformed or a value is not valid; the problem's errors name each field."));
            }

            Add(new(413, $"The body is larger than {(body.MaxBytes >= 1024 * 1024 ? $"{body.MaxBytes / (1024 * 1024)} MiB" : $"{body.MaxBytes / 1024} KiB")}."));
            if (op.Security is not [SecuritySchemes.EventGridSecret, ..] and not [SecuritySchemes.DomesticSmsSignature] and not [SecuritySchemes.LineSignature])
            {
                Add(new(415, $"The Content-Type is not {string.Join(" or ", body.MediaTypes)}."));
            }
        }

        if (op.Parameters.Any(p => p.In == ParameterIn.Query) || op.Parameters.Any(p => p.In == ParameterIn.Path && p.Schema.Enum is not null && op.Response(404) is null))
        {
            Add(new(400, "A parameter is not valid; the problem's errors name it."));
        }

        return [.. list.OrderBy(r => r.Status)];
    }

    /// <summary>The security schemes' names.</summary>
    public static class SecuritySchemes
    {
        public const string ApiKey = "apiKey";
        public const string ApiKeyHeader = "apiKeyHeader";
        public const string EntraId = "entraId";
        public const string EventGridSecret = "eventGridSecret";
        public const string EventGridCode = "eventGridCode";
        public const string EventGridEntra = "eventGridEntraId";
        public const string DomesticSmsSignature = "domesticSmsSignature";
        public const string LineSignature = "lineSignature";
    }

    /// <summary>An Event Grid event as delivered (EventGridEvent schema); <c>data</c> depends on the event type.</summary>
    public sealed record EventGridEventSchema(string Id, string EventType, string? Subject, DateTimeOffset? EventTime, System.Text.Json.JsonElement? Data, string? DataVersion, string? Topic, string? MetadataVersion);

    /// <summary>The answer: <c>{"validationResponse": code}</c> to the subscription validation handshake, <c>{}</c> otherwise.</summary>
    public sealed record EventGridAnswer([property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? ValidationResponse);

    /// <summary>The domestic aggregator's callback body.</summary>
    public sealed record DomesticSmsCallbackSchema(string Id, string? MessageId, string Status, string? ErrorCode, DateTimeOffset? Timestamp);

    /// <summary>LINE's webhook body (the events' fields depend on their type).</summary>
    public sealed record LineWebhookSchema(string Destination, IReadOnlyList<System.Text.Json.JsonElement> Events);

    /// <summary>The RFC 8058 one-click form.</summary>
    public sealed record OneClickForm([property: System.Text.Json.Serialization.JsonPropertyName("List-Unsubscribe")] string ListUnsubscribe);
}
