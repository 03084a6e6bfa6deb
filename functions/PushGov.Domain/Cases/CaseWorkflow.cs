using PushGov.Domain.Residents;

namespace PushGov.Domain.Cases;

/// <summary>Tenant settings the case workflow follows.</summary>
public sealed record CaseSettings
{
    /// <summary>Remind this many days before the earliest deadline (default 5).</summary>
    public int ReminderDaysBeforeDeadline { get; init; } = 5;

    /// <summary>With no reply, go to staff this many days before the deadline (default 2).</summary>
    public int EscalateDaysBeforeDeadline { get; init; } = 2;

    /// <summary>Timers fire at this local hour (Asia/Tokyo) on their day.</summary>
    public int TimerHourLocal { get; init; } = 9;

    public static CaseSettings Default { get; } = new();
}

/// <summary>
/// The case workflow, read top-down. Each transition is a pure function (state, input, now) → (state, commands):
/// no clock reads, no new ids, no I/O. Ids are derived from the case id and the step; time comes in as an argument.
///
/// detected ─match─► matched ─resolve─► notified ─timer(reminder)─► reminded ─timer(escalation)─► escalated ─close─► closed
///     └─ nothing to offer ─► closed        │ no digital channel + claim, needs a person ─► escalated
///                                          └─ applied / declined ─► closed;  expiry ─► closed(expired)
/// Withdrawal of consent cancels that channel's messages (no channel left ─► closed as opted out);
/// death of a recipient sends the case back to matching (the dead are never recipients).
/// </summary>
public static class CaseWorkflow
{

    /// <summary>A new case for a detected life event; its first command runs the match step.</summary>
    public static Decision Start(CaseData fresh, DateTimeOffset now)
    {
        var state = fresh with { State = CaseState.Detected, Version = 1, CreatedAt = now, UpdatedAt = now };
        var history = new HistoryEntry(1, now, CaseState.Detected, CaseState.Detected, "detected", "system", fresh.Event.Kind.ToString());
        return new Decision(state, [new RunStep(RunStep.Match), new AppendHistory([history])], true);
    }

    /// <summary>
    /// Applies an input, then any events that came early and that the case can now take (in the order they came).
    /// The history of every transition is gathered into one <see cref="AppendHistory"/> command.
    /// </summary>
    public static Decision Apply(CaseData c, CaseInput input, DateTimeOffset now, CaseSettings? settings = null)
    {
        var decision = Decide(c, input, now, settings);
        while (decision.Accepted && decision.State.PendingEvents.Count > 0 &&
               decision.State.State is CaseState.Notified or CaseState.Reminded or CaseState.Escalated)
        {
            var pending = decision.State.PendingEvents[0];
            var rest = decision.State with { PendingEvents = decision.State.PendingEvents.Skip(1).ToList() };
            var replay = Decide(rest, new ExternalEvent(pending.Name, Note: pending.Note) { Actor = pending.Actor ?? "resident" }, now, settings);
            decision = replay.Accepted
                ? new Decision(replay.State, Combine(decision.Commands, replay.Commands), true)
                : decision with { State = rest };
        }

        return decision;
    }

    /// <summary>The commands of two transitions in a row, their history gathered into one <see cref="AppendHistory"/>.</summary>
    public static List<CaseCommand> Combine(IReadOnlyList<CaseCommand> first, IReadOnlyList<CaseCommand> second)
    {
        var history = first.Concat(second).OfType<AppendHistory>().SelectMany(h => h.Entries).ToList();
        var merged = first.Concat(second).Where(c => c is not AppendHistory).ToList();
        if (history.Count > 0)
        {
            merged.Add(new AppendHistory(history));
        }

        return merged;
    }

    /// <summary>One transition. Prefer <see cref="Apply"/>, which also replays events that came early.</summary>
    public static Decision Decide(CaseData c, CaseInput input, DateTimeOffset now, CaseSettings? settings = null)
    {
        settings ??= CaseSettings.Default;
        var decision = (c.State, input) switch
        {
            (CaseState.Closed, _) => Decision.Refuse(c, "the case is closed"),
            (_, StepFailed f) when c.IsOpen => Escalate(c, EscalationReasons.StepFailed, now, f.Step + ": " + f.Reason),
            (_, OrchestrationFailed f) when c.IsOpen => Escalate(c, EscalationReasons.OrchestrationFailed, now, f.Reason),

            (CaseState.Detected, MatchCompleted m) when m.Matches.Count == 0 => Close(c, CaseOutcome.NothingToOffer, now),
            (CaseState.Detected, MatchCompleted m) => Go(c with { Matches = m.Matches }, CaseState.Matched, now, new RunStep(RunStep.Resolve)),

            (CaseState.Matched, RecipientsResolved r) => Notify(c, r.Deliveries, now, settings),

            (CaseState.Notified or CaseState.Reminded or CaseState.Escalated, TimerFired t) when !IsCurrent(c, t) => Ignore(c, "stale timer"),
            (CaseState.Notified, TimerFired { Kind: TimerKind.Reminder }) => Remind(c, now),
            (CaseState.Notified or CaseState.Reminded, TimerFired { Kind: TimerKind.Escalation }) => Escalate(c, EscalationReasons.NoReply, now),
            (CaseState.Notified or CaseState.Reminded, TimerFired { Kind: TimerKind.Expiry }) => Close(c, CaseOutcome.Expired, now),
            (_, TimerFired) => Ignore(c, "timer not for this state"),

            (CaseState.Notified or CaseState.Reminded or CaseState.Escalated, DeliveryReported d) => Delivered(c, d, now),
            (CaseState.Notified or CaseState.Reminded or CaseState.Escalated, DeliveryRerouted r) => SwitchChannel(c, r, now),

            (CaseState.Notified or CaseState.Reminded or CaseState.Escalated, ExternalEvent { EventName: ExternalEvent.Applied }) => Close(c, CaseOutcome.Applied, now, input.Actor),
            (CaseState.Notified or CaseState.Reminded or CaseState.Escalated, ExternalEvent { EventName: ExternalEvent.Declined }) => Close(c, CaseOutcome.Declined, now, input.Actor),
            (CaseState.Detected or CaseState.Matched, ExternalEvent { EventName: ExternalEvent.Applied or ExternalEvent.Declined } e) => KeepForLater(c, e, now, input.Actor),
            (not CaseState.Closed, ExternalEvent { EventName: ExternalEvent.StaffTakeover }) =>
                Escalate(c with { AssignedTo = input.Actor }, EscalationReasons.StaffTakeover, now, null, input.Actor),
            (not CaseState.Closed, ExternalEvent { EventName: ExternalEvent.Close } e) =>
                Close(c with { AssignedTo = input.Actor, Note = e.Note }, e.Outcome ?? CaseOutcome.ClosedByStaff, now, input.Actor),

            (not CaseState.Closed, ConsentWithdrawn w) => Withdraw(c, w, now),
            (not CaseState.Closed, RecipientDied d) => Reroute(c, d, now),

            _ => Decision.Refuse(c, $"'{input.Name}' is not accepted while the case is {c.State}"),
        };

        return decision.Accepted && !ReferenceEquals(decision.State, c) && decision.State.Version == c.Version
            ? WithHistory(c, decision, input, now)
            : decision;
    }

    private static Decision Notify(CaseData c, IReadOnlyList<Delivery> deliveries, DateTimeOffset now, CaseSettings settings)
    {
        var notified = c with { Deliveries = deliveries };
        if (deliveries.Count == 0)
        {
            return Escalate(notified, EscalationReasons.NoChannel, now);
        }

        var commands = new List<CaseCommand>();
        commands.AddRange(deliveries.Select(d => new SendMessage(d)));
        var timers = PlanTimers(c, now, settings);
        commands.AddRange(timers.Select(t => new StartTimer(t)));
        notified = notified with { Timers = timers };

        var needsClaim = c.Matches.Any(m => m.NeedsClaim);
        var onlyPost = deliveries.All(d => d.Channel == Channel.Post);
        if (c.Matches.Any(m => m.NeedsPerson))
        {
            return Escalate(notified, EscalationReasons.NeedsPerson, now, null, "system", commands);
        }

        if (onlyPost && needsClaim)
        {
            return Escalate(notified, EscalationReasons.NoDigitalChannel, now, null, "system", commands);
        }

        return Go(notified, CaseState.Notified, now, [.. commands]);
    }

    /// <summary>Reminder before the deadline, escalation before that, expiry after it; only those still in the future.</summary>
    private static List<CaseTimer> PlanTimers(CaseData c, DateTimeOffset now, CaseSettings settings)
    {
        var timers = new List<CaseTimer>();
        if (c.EarliestDeadline is not { } deadline || !c.Matches.Any(m => m.NeedsClaim))
        {
            return timers;
        }

        var version = c.Version + 1;
        void Add(TimerKind kind, DateOnly day)
        {
            var due = AtLocalHour(day, settings.TimerHourLocal);
            if (due > now)
            {
                timers.Add(new CaseTimer(kind, $"{kind.ToString().ToLowerInvariant()}-{version}", due));
            }
        }

        Add(TimerKind.Reminder, deadline.AddDays(-settings.ReminderDaysBeforeDeadline));
        Add(TimerKind.Escalation, deadline.AddDays(-settings.EscalateDaysBeforeDeadline));
        Add(TimerKind.Expiry, deadline.AddDays(1));
        return timers;
    }

    private static Decision Remind(CaseData c, DateTimeOffset now)
    {
        var reminders = c.Deliveries
            .Where(d => d.Purpose == Purposes.Initial && d.State is DeliveryState.Pending or DeliveryState.Delivered)
            .Select(d => d with { MessageId = MessageIds.For(c.MessageKey, Purposes.Reminder, d.ResidentId, d.Channel), Purpose = Purposes.Reminder, State = DeliveryState.Pending })
            .ToList();
        var next = c with { Deliveries = [.. c.Deliveries, .. reminders], Timers = c.Timers.Where(t => t.Kind != TimerKind.Reminder).ToList() };
        return Go(next, CaseState.Reminded, now, [.. reminders.Select(r => new SendMessage(r))]);
    }

    private static Decision Delivered(CaseData c, DeliveryReported d, DateTimeOffset now)
    {
        if (c.Deliveries.All(x => x.MessageId != d.MessageId))
        {
            return Ignore(c, "not a message of this case");
        }

        // A report the case has already taken (the sender tells again after a crash between its two writes) changes nothing.
        if (c.Deliveries.Any(x => x.MessageId == d.MessageId && x.State == d.State))
        {
            return Ignore(c, "report already taken");
        }

        var deliveries = c.Deliveries.Select(x => x.MessageId == d.MessageId ? x with { State = d.State } : x).ToList();
        var next = c with { Deliveries = deliveries };

        // A resident none of whose channels delivered (a message cancelled for its replacement or a withdrawal aside): a
        // person must take over.
        var unreachable = deliveries.GroupBy(x => x.ResidentId)
            .Select(g => g.Where(x => x.State != DeliveryState.Cancelled).ToList())
            .Any(live => live.Count > 0 && live.All(x => x.State == DeliveryState.Failed));
        if (unreachable && c.State != CaseState.Escalated)
        {
            return Escalate(next, EscalationReasons.DeliveryFailed, now);
        }

        var allDelivered = deliveries.All(x => x.State is DeliveryState.Delivered or DeliveryState.Cancelled);
        if (allDelivered && c.State == CaseState.Notified && !c.Matches.Any(m => m.NeedsClaim))
        {
            return Close(next, CaseOutcome.Informed, now);
        }

        return Updated(next, now);
    }

    /// <summary>
    /// A pending message whose channel stopped before it was sent gives way to its replacement on the next channel: still
    /// one message per resident and purpose (the old one cancelled, the new one sent). Landing on post for a case that needs
    /// a claim goes to staff as the resolve step would (no digital channel), the letter still sent.
    /// </summary>
    private static Decision SwitchChannel(CaseData c, DeliveryRerouted r, DateTimeOffset now)
    {
        var original = c.Deliveries.FirstOrDefault(d => d.MessageId == r.MessageId);
        var replacement = r.Replacement with { State = DeliveryState.Pending };
        if (original is null || original.State != DeliveryState.Pending || c.Deliveries.Any(d => d.MessageId == replacement.MessageId))
        {
            return Ignore(c, "not a pending message of this case");
        }

        if (replacement.ResidentId != original.ResidentId || replacement.Purpose != original.Purpose || replacement.Channel == original.Channel)
        {
            return Decision.Refuse(c, "a replacement is for the same resident and purpose on another channel");
        }

        var deliveries = c.Deliveries.Select(d => d.MessageId == original.MessageId ? d with { State = DeliveryState.Cancelled } : d).Append(replacement).ToList();
        var next = c with { Deliveries = deliveries };
        CaseCommand[] commands = [CancelMessage.Superseded(original.MessageId, r), new SendMessage(replacement)];
        var live = deliveries.Where(d => d.State is DeliveryState.Pending or DeliveryState.Delivered).ToList();
        if (c.State != CaseState.Escalated && replacement.Channel == Channel.Post && c.Matches.Any(m => m.NeedsClaim) && live.All(d => d.Channel == Channel.Post))
        {
            return Escalate(next, EscalationReasons.NoDigitalChannel, now, null, "system", commands);
        }

        return Updated(next, now, commands);
    }

    private static Decision Withdraw(CaseData c, ConsentWithdrawn w, DateTimeOffset now)
    {
        var cancelled = c.Deliveries.Where(d => d.ResidentId == w.ResidentId && d.Channel == w.Channel && d.State == DeliveryState.Pending).ToList();
        var deliveries = c.Deliveries
            .Select(d => d.ResidentId == w.ResidentId && d.Channel == w.Channel && d.State == DeliveryState.Pending ? d with { State = DeliveryState.Cancelled } : d)
            .ToList();
        var next = c with { Deliveries = deliveries };
        var commands = cancelled.Select(d => (CaseCommand)new CancelMessage(d.MessageId)).ToList();

        if (c.State is CaseState.Notified or CaseState.Reminded && deliveries.All(d => d.State == DeliveryState.Cancelled))
        {
            return Close(next, CaseOutcome.OptedOut, now, "resident", commands);
        }

        // Before recipients are resolved, the resolve step reads consent afresh: nothing to change.
        return Updated(next, now, commands);
    }

    private static Decision Reroute(CaseData c, RecipientDied d, DateTimeOffset now)
    {
        var cancelled = c.Deliveries.Where(x => x.ResidentId == d.ResidentId && x.State == DeliveryState.Pending)
            .Select(x => (CaseCommand)new CancelMessage(x.MessageId)).ToList();
        var next = c with
        {
            Deliveries = c.Deliveries.Select(x => x.ResidentId == d.ResidentId && x.State == DeliveryState.Pending ? x with { State = DeliveryState.Cancelled } : x).ToList(),
            Matches = [],
            Timers = [],
        };
        return Go(next, CaseState.Detected, now, [.. cancelled, new RunStep(RunStep.Match)]);
    }

    private static Decision KeepForLater(CaseData c, ExternalEvent e, DateTimeOffset now, string actor) =>
        Updated(c with { PendingEvents = [.. c.PendingEvents, new PendingEvent(e.EventName, actor, e.Note, now)] }, now);

    private static Decision Escalate(CaseData c, string reason, DateTimeOffset now, string? detail = null, string actor = "system", IReadOnlyList<CaseCommand>? commands = null) =>
        Go(c with { EscalationReason = reason, Note = detail ?? c.Note, AssignedTo = actor == "system" ? c.AssignedTo : actor, Timers = c.Timers.Where(t => t.Kind == TimerKind.Expiry).ToList() },
            CaseState.Escalated, now, [.. commands ?? []]);

    private static Decision Close(CaseData c, CaseOutcome outcome, DateTimeOffset now, string actor = "system", IReadOnlyList<CaseCommand>? extra = null)
    {
        var cancels = c.Deliveries.Where(d => d.State == DeliveryState.Pending && outcome is not CaseOutcome.Informed)
            .Select(d => (CaseCommand)new CancelMessage(d.MessageId));
        _ = actor;
        return Go(c with { Outcome = outcome, Timers = [] }, CaseState.Closed, now, [.. extra ?? [], .. cancels.Where(x => extra?.Contains(x) != true)]);
    }

    private static Decision Go(CaseData c, CaseState to, DateTimeOffset now, params CaseCommand[] commands) =>
        new(c with { State = to, UpdatedAt = now }, commands, true);

    private static Decision Updated(CaseData c, DateTimeOffset now, IReadOnlyList<CaseCommand>? commands = null) =>
        new(c with { UpdatedAt = now }, commands ?? [], true);

    private static Decision Ignore(CaseData c, string why) => new(c, [], true, why);

    private static bool IsCurrent(CaseData c, TimerFired t) => c.Timers.Any(x => x.Kind == t.Kind && x.Token == t.Token);

    /// <summary>Bumps the version and records the transition for audit.</summary>
    private static Decision WithHistory(CaseData before, Decision d, CaseInput input, DateTimeOffset now)
    {
        var state = d.State with { Version = before.Version + 1 };
        var detail = state.State == CaseState.Closed ? state.Outcome.ToString()
            : input is DeliveryRerouted r ? r.Reason + (state.State != before.State ? $" ({state.EscalationReason})" : string.Empty)
            : state.State == CaseState.Escalated ? state.EscalationReason
            : null;
        var entry = new HistoryEntry(state.Version, now, before.State, state.State, input.Name, input.Actor, detail);
        var history = d.Commands.OfType<AppendHistory>().SelectMany(h => h.Entries).Append(entry).ToList();
        return d with { State = state, Commands = [.. d.Commands.Where(x => x is not AppendHistory), new AppendHistory(history)] };
    }

    private static DateTimeOffset AtLocalHour(DateOnly day, int hour)
    {
        var local = day.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, JapanTime.Tokyo.GetUtcOffset(local));
    }
}

/// <summary>Why a message is sent.</summary>
public static class Purposes
{
    public const string Initial = "initial";
    public const string Reminder = "reminder";
}

/// <summary>
/// Deterministic message ids: the same case, purpose, resident and channel always give the same id (so a repeat is
/// recognised). <c>caseKey</c> is <see cref="CaseData.MessageKey"/>, which carries the case's random nonce.
/// </summary>
public static class MessageIds
{
    public static string For(string caseKey, string purpose, string residentId, Channel channel)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{caseKey}|{purpose}|{residentId}|{channel}"));
        return "m-" + Convert.ToHexStringLower(bytes, 0, 12);
    }

    /// <summary>The id (and so the idempotency key) of the message that replaces <paramref name="messageId"/> on <paramref name="channel"/>.</summary>
    public static string Rerouted(string messageId, Channel channel)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{messageId}|rerouted|{channel}"));
        return "m-" + Convert.ToHexStringLower(bytes, 0, 12);
    }
}
