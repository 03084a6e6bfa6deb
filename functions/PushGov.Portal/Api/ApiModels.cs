namespace PushGov.Portal.Api;

// The shapes of PushGov's API answers as this client reads them (see docs/api.md and /api/openapi.json).
#pragma warning disable SA1649, SA1402
public sealed record KeyCount(string Key, long Count);

public sealed record MessageCount(string Channel, string Status, long Count);

/// <summary>One row of the take-up funnel (GET /takeup): counted in cases; the median in days from the event to applying.</summary>
public sealed record TakeUpRow(string Dimension, string Key, long Eligible, long Notified, long Opened, long Applied, long TakenOver, double? MedianDaysToApply);

public sealed record TakeUpReport(DateOnly From, DateOnly To, IReadOnlyList<TakeUpRow> Rows);

public sealed record PostOnlyReach(long ResidentsReached, long ReachedOnlyByPost, double Share);

public sealed record ReasonCount(string Reason, long Rows);

public sealed record DropSummary(
    string Dataset,
    string Name,
    DateTimeOffset ReceivedAt,
    long Bytes,
    string? UploadedBy,
    bool Reported,
    long? RowsRead,
    long? Accepted,
    long? RejectedCount,
    long? WarningCount,
    string? RejectedWhole,
    int? Events,
    IReadOnlyList<ReasonCount> TopReasons);

public sealed record DashboardReport(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<DropSummary> Drops,
    IReadOnlyList<KeyCount> LifeEvents,
    IReadOnlyList<KeyCount> CasesByState,
    IReadOnlyList<MessageCount> Messages,
    PostOnlyReach PostOnly,
    LineQuotaView? Line = null);

/// <summary>The tenant's LINE quota as the dashboard shows it: stopped (not available) near the month's limit.</summary>
public sealed record LineQuotaView(bool Configured, long? Limit, long? Used, int StopAtPercent, bool Available, string Reason);

public sealed record DropListing(DateOnly From, DateOnly To, IReadOnlyList<DropSummary> Drops);

public sealed record RowIssue(long Line, string? Column, string Message);

public sealed record DropReport(string? Dataset, long RowsRead, long Accepted, long RejectedCount, long WarningCount, IReadOnlyList<RowIssue> Rejected, IReadOnlyList<RowIssue> Warnings, string? RejectedWhole, string? Encoding, long Bytes, bool Truncated, DropProgress? Progress = null);

/// <summary>How far a drop being ingested has got (present only while it runs).</summary>
public sealed record DropProgress(string Phase, long RowsRead, long RowsApplied, long BytesRead, long TotalBytes, long CasesStarted, long CasesToStart, DateTimeOffset UpdatedAt);

public sealed record DropAccepted(string Tenant, string Dataset, string Name, string Report);

public sealed record CaseSummary(string CaseId, string Kind, DateOnly EventDate, string State, string Outcome, string? EscalationReason, DateOnly? Deadline, IReadOnlyList<string> ServiceIds, DateTimeOffset UpdatedAt);

public sealed record CaseList(IReadOnlyList<CaseSummary> Cases, string? ContinuationToken);

public sealed record ReasonStep(string Condition, bool Holds, string Detail);

public sealed record Eligibility(string ServiceId, IReadOnlyList<string> RecipientIds, DateOnly? Deadline, long? AmountYen, bool NeedsClaim, bool UsesTaxData, string? RuleVersion, IReadOnlyList<ReasonStep> Reasons);

public sealed record MessageStatusView(string MessageId, string ResidentId, string Channel, string Purpose, string Status, int Attempts, string? Provider, string Language, string TemplateVersion, DateTimeOffset UpdatedAt);

public sealed record HistoryEntry(int Version, DateTimeOffset At, string From, string To, string Cause, string Actor, string? Detail);

public sealed record CaseDetail(CaseSummary Summary, string HouseholdId, string ResidentId, string? AssignedTo, string? Note, IReadOnlyList<Eligibility> Matches, IReadOnlyList<MessageStatusView> Messages, IReadOnlyList<HistoryEntry> History);

public sealed record ContactView(string Channel, string Address, bool Consent, string? Language, DateTimeOffset ConsentedAt, string Source);

public sealed record PersonView(string ResidentId, IReadOnlyList<string> Roles, string FamilyName, string GivenName, string? FamilyNameKana, string? GivenNameKana, string BirthDate, string Relationship, string Status, string? PostalCode, string? Address, IReadOnlyList<ContactView> Contacts);

public sealed record CasePeopleView(string CaseId, string AuditedAs, IReadOnlyList<PersonView> People);

public sealed record ResendAccepted(string MessageId, string Channel, string Status, bool Repeated);

public sealed record CatalogPartView(string? Id, string Deadline, bool NeedsClaim, string? Note);

public sealed record CatalogVersionView(DateOnly ValidFrom, DateOnly? ValidTo, IReadOnlyDictionary<string, string>? Names, IReadOnlyList<CatalogPartView> Parts, string? Note);

public sealed record CatalogServiceView(string Id, IReadOnlyDictionary<string, string> Names, IReadOnlyList<string> Triggers, string? Department, string? Counter, string? PortalUrl, bool NeedsClaim, bool UsesTaxData, bool NeedsPerson, string? Note, IReadOnlyList<CatalogVersionView> Versions);

public sealed record TenantCatalogView(string Tenant, string Source, IReadOnlyList<CatalogServiceView> Services);
/// <summary>A text of the residents' pages in 日本語, やさしい日本語 and English.</summary>
public sealed record PlainText(string Ja, string Easy, string En)
{
    public string In(string lang) => lang switch
    {
        "ja-x-easy" => Easy,
        "en" => En,
        _ => Ja,
    };
}

public sealed record HowToApply(string? PortalUrl, string? Counter, string? Department);

public sealed record ApplicationPerson(string ResidentId, string FamilyName, string GivenName, string? FamilyNameKana, string? GivenNameKana, string BirthDate, string Relationship)
{
    public string Name => $"{FamilyName} {GivenName}";
}

public sealed record ApplicationHousehold(string HouseholdId, ApplicationPerson? Head, int Members);

/// <summary>A one-step application (申請不要) filled from the resident view; only the fields the catalog lists are set.</summary>
public sealed record PrefilledApplication(string ServiceId, IReadOnlyList<string> Fields, ApplicationPerson Applicant, IReadOnlyList<ApplicationPerson>? Children, ApplicationHousehold? Household, string? PublicFundsAccount);

public sealed record ResidentOffer(string ServiceId, PlainText Name, DateOnly? Deadline, string? DeadlineWareki, long? AmountYen, string? AmountPeriod, bool AmountUpTo, bool NeedsClaim, HowToApply Apply, IReadOnlyList<PlainText> Reasons, PrefilledApplication? OneStep);

public sealed record ResidentCase(string Tenant, string CaseId, string ResidentId, string Municipality, string PortalHost, string EventKind, PlainText EventName, DateOnly EventDate, string EventDateWareki, string State, string Outcome, string Language, DateOnly LinkLastDay, string LinkLastDayWareki, IReadOnlyList<ResidentOffer> Offers)
{
    public bool IsOpen => State != "Closed";
}
public sealed record ChannelPreference(string Channel, string Address, bool Consent, DateTimeOffset ConsentedAt, string Source, string? Language);

public sealed record ResidentPreferences(string ResidentId, string? Language, bool TaxDataConsent, IReadOnlyList<ChannelPreference> Channels);
#pragma warning restore SA1649, SA1402
