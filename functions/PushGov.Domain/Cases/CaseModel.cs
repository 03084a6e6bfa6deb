using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Cases;

/// <summary>Where a case stands. "Notified" is 通知済・申請待ち: the messages are out and the resident is awaited.</summary>
public enum CaseState
{
    Detected,
    Matched,
    Notified,
    Reminded,
    Escalated,
    Closed,
}

/// <summary>Why a case closed.</summary>
public enum CaseOutcome
{
    None,
    Applied,
    Declined,
    Expired,
    NothingToOffer,

    /// <summary>Every service offered was automatic and every message was delivered: nothing more to do.</summary>
    Informed,
    OptedOut,
    RecipientDied,
    ClosedByStaff,
}

/// <summary>Why a case went to staff.</summary>
public static class EscalationReasons
{
    public const string NoReply = "no-reply";
    public const string NoDigitalChannel = "no-digital-channel";
    public const string NoChannel = "no-channel";
    public const string DeliveryFailed = "delivery-failed";
    public const string NeedsPerson = "needs-person";
    public const string StaffTakeover = "staff-takeover";
    public const string StepFailed = "step-failed";

    /// <summary>The case's orchestration ended in failure outside a step (see <see cref="OrchestrationFailed"/>).</summary>
    public const string OrchestrationFailed = "orchestration-failed";
}

public enum TimerKind
{
    Reminder,
    Escalation,
    Expiry,
}

/// <summary>A durable timer the case waits for. <see cref="Token"/> is stored on the case, so a stale timer does nothing.</summary>
public sealed record CaseTimer(TimerKind Kind, string Token, DateTimeOffset DueAt);

/// <summary>What happened to one message of the case.</summary>
public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
    Cancelled,
}

/// <summary>
/// One message the case sends: to whom, on which channel, in which language, and about which services.
/// <see cref="Address"/> is personal data (kept in storage, never logged in clear).
/// </summary>
public sealed record Delivery(
    string MessageId,
    string ResidentId,
    Channel Channel,
    string Address,
    string Language,
    IReadOnlyList<string> ServiceIds,
    string Purpose,
    DeliveryState State = DeliveryState.Pending,
    string? GivenName = null,
    string? FamilyName = null,
    string? GivenNameKana = null,
    string? FamilyNameKana = null);

/// <summary>An external event that came before the case could take it (kept, then applied in order).</summary>
public sealed record PendingEvent(string Name, string? Actor, string? Note, DateTimeOffset ReceivedAt);

/// <summary>The persisted state of one case (one life event). Immutable: transitions return a new one.</summary>
public sealed record CaseData
{
    public required string Tenant { get; init; }

    public required string CaseId { get; init; }

    public required LifeEvent Event { get; init; }

    /// <summary>
    /// A random value drawn once when the case is created (never inside a transition) and part of every message id, so
    /// message ids — which appear in unsubscribe links — cannot be derived from what is known about a resident.
    /// </summary>
    public string Nonce { get; init; } = string.Empty;

    /// <summary>True when the drop that started the case came from a test key: its messages only go to the development sink.</summary>
    public bool TestMode { get; init; }

    /// <summary>The key message ids are derived from: the case id and its nonce.</summary>
    public string MessageKey => Nonce.Length == 0 ? CaseId : $"{CaseId}|{Nonce}";

    public CaseState State { get; init; } = CaseState.Detected;

    public CaseOutcome Outcome { get; init; } = CaseOutcome.None;

    public string? EscalationReason { get; init; }

    /// <summary>The member of staff who took the case over or closed it.</summary>
    public string? AssignedTo { get; init; }

    public string? Note { get; init; }

    public IReadOnlyList<ServiceMatch> Matches { get; init; } = [];

    public IReadOnlyList<Delivery> Deliveries { get; init; } = [];

    public IReadOnlyList<CaseTimer> Timers { get; init; } = [];

    public IReadOnlyList<PendingEvent> PendingEvents { get; init; } = [];

    /// <summary>Incremented on every transition; history rows are keyed by it.</summary>
    public int Version { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateOnly? EarliestDeadline => Matches.Where(m => m.Deadline is not null).Select(m => m.Deadline).Min();

    public bool IsOpen => State != CaseState.Closed;
}

/// <summary>One transition, kept for audit.</summary>
public sealed record HistoryEntry(int Version, DateTimeOffset At, CaseState From, CaseState To, string Cause, string Actor, string? Detail);
