using System.Text.Json.Serialization;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Cases;

/// <summary>An input to a case: the result of a step, a timer, a delivery report or an event from outside.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(MatchCompleted), "matched")]
[JsonDerivedType(typeof(RecipientsResolved), "resolved")]
[JsonDerivedType(typeof(TimerFired), "timer")]
[JsonDerivedType(typeof(DeliveryReported), "delivery")]
[JsonDerivedType(typeof(DeliveryRerouted), "rerouted")]
[JsonDerivedType(typeof(ExternalEvent), "event")]
[JsonDerivedType(typeof(ConsentWithdrawn), "consent-withdrawn")]
[JsonDerivedType(typeof(RecipientDied), "recipient-died")]
[JsonDerivedType(typeof(StepFailed), "step-failed")]
[JsonDerivedType(typeof(OrchestrationFailed), "orchestration-failed")]
public abstract record CaseInput
{
    /// <summary>Who caused it: "system", "resident", or the staff member's id.</summary>
    public string Actor { get; init; } = "system";

    public abstract string Name { get; }
}

/// <summary>The match step's result.</summary>
public sealed record MatchCompleted(IReadOnlyList<ServiceMatch> Matches) : CaseInput
{
    public override string Name => "matched";
}

/// <summary>The resolve step's result: whom to tell on which channel in which language (consent first).</summary>
public sealed record RecipientsResolved(IReadOnlyList<Delivery> Deliveries) : CaseInput
{
    public override string Name => "resolved";
}

public sealed record TimerFired(TimerKind Kind, string Token) : CaseInput
{
    public override string Name => "timer-" + Kind.ToString().ToLowerInvariant();
}

public sealed record DeliveryReported(string MessageId, DeliveryState State) : CaseInput
{
    public override string Name => "delivery-" + State.ToString().ToLowerInvariant();
}

/// <summary>
/// The sender found a message's channel stopped for the tenant when it came to send it (LINE's monthly quota nearly
/// spent): <see cref="Replacement"/> (the next usable channel of that resident, its id derived from the original's)
/// takes the place of message <see cref="MessageId"/>, which is cancelled. <see cref="Reason"/> is kept in the history.
/// </summary>
public sealed record DeliveryRerouted(string MessageId, Delivery Replacement, string Reason) : CaseInput
{
    public override string Name => "delivery-rerouted";
}

/// <summary>An event from a portal or staff: applied, declined, staff-takeover, close.</summary>
public sealed record ExternalEvent(string EventName, CaseOutcome? Outcome = null, string? Note = null) : CaseInput
{
    public const string Applied = "applied";
    public const string Declined = "declined";
    public const string StaffTakeover = "staff-takeover";
    public const string Close = "close";

    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { Applied, Declined, StaffTakeover, Close };

    public override string Name => EventName;
}

public sealed record ConsentWithdrawn(string ResidentId, Channel Channel) : CaseInput
{
    public override string Name => "consent-withdrawn";
}

public sealed record RecipientDied(string ResidentId) : CaseInput
{
    public override string Name => "recipient-died";
}

/// <summary>A step kept failing after its retries: the case surfaces on the staff list.</summary>
public sealed record StepFailed(string Step, string Reason) : CaseInput
{
    public override string Name => "step-failed";
}

/// <summary>
/// The machinery that runs the case failed outside every step it handles (the orchestrator threw, or writing the effects
/// of a failed step failed too): the case goes to staff with <see cref="Reason"/>, so it is never silently stuck.
/// </summary>
public sealed record OrchestrationFailed(string Reason) : CaseInput
{
    public override string Name => "orchestration-failed";
}

/// <summary>An effect a transition asks for. Commands leave through the case's outbox, written with the state.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(RunStep), "run")]
[JsonDerivedType(typeof(SendMessage), "send")]
[JsonDerivedType(typeof(CancelMessage), "cancel")]
[JsonDerivedType(typeof(StartTimer), "timer")]
[JsonDerivedType(typeof(AppendHistory), "history")]
public abstract record CaseCommand;

/// <summary>Run a step that needs I/O (match, resolve) and feed its result back as an input.</summary>
public sealed record RunStep(string Step) : CaseCommand
{
    public const string Match = "match";
    public const string Resolve = "resolve";
}

/// <summary>Render and send one delivery (the sender reloads the message and sends it only if still 'created').</summary>
public sealed record SendMessage(Delivery Delivery) : CaseCommand;

/// <summary>
/// Cancel a message not yet sent (consent withdrawn, case closed, replaced). <see cref="Why"/>, when given, is kept on the
/// message's row (<c>LastError</c>), written by the same effect that cancels it.
/// </summary>
public sealed record CancelMessage(string MessageId, string? Why = null) : CaseCommand
{
    /// <summary>The start of <see cref="Why"/> for a message another one replaced.</summary>
    public const string SupersededPrefix = "superseded by ";

    /// <summary>Cancels <paramref name="messageId"/> for the replacement <paramref name="rerouted"/> brings, naming it and why.</summary>
    public static CancelMessage Superseded(string messageId, DeliveryRerouted rerouted) =>
        new(messageId, $"{SupersededPrefix}{rerouted.Replacement.MessageId}: {rerouted.Reason}");
}

public sealed record StartTimer(CaseTimer Timer) : CaseCommand;

/// <summary>Append the transitions to the history table (idempotent: keyed by version).</summary>
public sealed record AppendHistory(IReadOnlyList<HistoryEntry> Entries) : CaseCommand;

/// <summary>The outcome of one transition.</summary>
public sealed record Decision(CaseData State, IReadOnlyList<CaseCommand> Commands, bool Accepted, string? RefusedBecause = null)
{
    public static Decision Refuse(CaseData state, string because) => new(state, [], false, because);
}
