using PushGov.Domain.Cases;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Cases;

public sealed class CaseWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static CaseData NewCase() => BirthCase.New(Now);

    private static ServiceMatch Claim(DateOnly? deadline = null, bool needsPerson = false) => BirthCase.ChildAllowance(deadline ?? BirthCase.Deadline, needsPerson: needsPerson);

    private static Delivery Sms(string resident = BirthCase.Mother) => BirthCase.Initial(Channel.Sms, "+819012345678", resident);

    private static CaseData InState(CaseState state)
    {
        var c = CaseWorkflow.Start(NewCase(), Now).State;
        if (state == CaseState.Detected)
        {
            return c;
        }

        c = CaseWorkflow.Apply(c, new MatchCompleted([Claim()]), Now).State;
        if (state == CaseState.Matched)
        {
            return c;
        }

        c = CaseWorkflow.Apply(c, new RecipientsResolved([Sms()]), Now).State;
        return state switch
        {
            CaseState.Notified => c,
            CaseState.Reminded => CaseWorkflow.Apply(c, Timer(c, TimerKind.Reminder), Now).State,
            CaseState.Escalated => CaseWorkflow.Apply(c, new ExternalEvent(ExternalEvent.StaffTakeover) { Actor = "staff:1" }, Now).State,
            CaseState.Closed => CaseWorkflow.Apply(c, new ExternalEvent(ExternalEvent.Applied), Now).State,
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
    }

    private static TimerFired Timer(CaseData c, TimerKind kind) => new(kind, c.Timers.Single(t => t.Kind == kind).Token);

    public static TheoryData<CaseState, string, bool> Table()
    {
        // state × input → accepted? (an ignored stale input counts as accepted-without-change)
        var data = new TheoryData<CaseState, string, bool>();
        var accepts = new Dictionary<CaseState, string[]>
        {
            [CaseState.Detected] = ["matched", "applied", "declined", "staff-takeover", "close", "consent-withdrawn", "recipient-died", "step-failed", "timer"],
            [CaseState.Matched] = ["resolved", "applied", "declined", "staff-takeover", "close", "consent-withdrawn", "recipient-died", "step-failed", "timer"],
            [CaseState.Notified] = ["applied", "declined", "staff-takeover", "close", "consent-withdrawn", "recipient-died", "step-failed", "timer", "delivery", "rerouted"],
            [CaseState.Reminded] = ["applied", "declined", "staff-takeover", "close", "consent-withdrawn", "recipient-died", "step-failed", "timer", "delivery", "rerouted"],
            [CaseState.Escalated] = ["applied", "declined", "staff-takeover", "close", "consent-withdrawn", "recipient-died", "step-failed", "timer", "delivery", "rerouted"],
            [CaseState.Closed] = [],
        };
        foreach (var state in Enum.GetValues<CaseState>())
        {
            foreach (var input in Inputs.Keys)
            {
                data.Add(state, input, accepts[state].Contains(input));
            }
        }

        return data;
    }

    private static readonly Dictionary<string, Func<CaseData, CaseInput>> Inputs = new()
    {
        ["matched"] = _ => new MatchCompleted([Claim()]),
        ["resolved"] = _ => new RecipientsResolved([Sms()]),
        ["timer"] = c => new TimerFired(TimerKind.Escalation, c.Timers.FirstOrDefault(t => t.Kind == TimerKind.Escalation)?.Token ?? "none"),
        ["delivery"] = _ => new DeliveryReported(Sms().MessageId, DeliveryState.Delivered),
        ["applied"] = _ => new ExternalEvent(ExternalEvent.Applied),
        ["declined"] = _ => new ExternalEvent(ExternalEvent.Declined),
        ["staff-takeover"] = _ => new ExternalEvent(ExternalEvent.StaffTakeover) { Actor = "staff:1" },
        ["close"] = _ => new ExternalEvent(ExternalEvent.Close, CaseOutcome.ClosedByStaff, "done") { Actor = "staff:1" },
        ["consent-withdrawn"] = _ => new ConsentWithdrawn("mother", Channel.Sms),
        ["recipient-died"] = _ => new RecipientDied("mother"),
        ["step-failed"] = _ => new StepFailed("match", "storage down"),
        ["rerouted"] = _ => new DeliveryRerouted(Sms().MessageId, Sms() with { MessageId = MessageIds.Rerouted(Sms().MessageId, Channel.Email), Channel = Channel.Email, Address = "hanako@example.jp" }, "sms → email: stopped"),
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_state_accepts_exactly_its_inputs_and_refuses_the_rest(CaseState state, string input, bool accepted)
    {
        var c = InState(state);
        var decision = CaseWorkflow.Apply(c, Inputs[input](c), Now);
        Assert.Equal(accepted, decision.Accepted);
        if (!accepted)
        {
            Assert.Same(c, decision.State);
            Assert.Empty(decision.Commands);
            Assert.False(string.IsNullOrEmpty(decision.RefusedBecause));
        }
    }

    [Fact]
    public void Start_asks_for_the_match_step_and_records_history()
    {
        var d = CaseWorkflow.Start(NewCase(), Now);
        Assert.Equal(CaseState.Detected, d.State.State);
        Assert.Contains(new RunStep(RunStep.Match), d.Commands);
        Assert.Single(d.Commands.OfType<AppendHistory>().Single().Entries);
    }

    [Fact]
    public void Nothing_to_offer_closes_the_case()
    {
        var d = CaseWorkflow.Apply(InState(CaseState.Detected), new MatchCompleted([]), Now);
        Assert.Equal(CaseState.Closed, d.State.State);
        Assert.Equal(CaseOutcome.NothingToOffer, d.State.Outcome);
    }

    [Fact]
    public void Resolving_sends_each_delivery_and_schedules_reminder_escalation_and_expiry_in_tokyo_morning()
    {
        var d = CaseWorkflow.Apply(InState(CaseState.Matched), new RecipientsResolved([Sms()]), Now);
        Assert.Equal(CaseState.Notified, d.State.State);
        Assert.Single(d.Commands.OfType<SendMessage>());
        var timers = d.Commands.OfType<StartTimer>().Select(t => t.Timer).ToDictionary(t => t.Kind);

        // Deadline 2026-12-05: reminder 5 days before, escalation 2 days before, expiry the day after, 09:00 JST.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(9)), timers[TimerKind.Reminder].DueAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.FromHours(9)), timers[TimerKind.Escalation].DueAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.FromHours(9)), timers[TimerKind.Expiry].DueAt);
    }

    [Fact]
    public void Reminder_sends_a_second_message_with_its_own_id_and_a_stale_reminder_does_nothing()
    {
        var notified = InState(CaseState.Notified);
        var reminder = Timer(notified, TimerKind.Reminder);
        var d = CaseWorkflow.Apply(notified, reminder, Now);
        Assert.Equal(CaseState.Reminded, d.State.State);
        var sent = Assert.Single(d.Commands.OfType<SendMessage>());
        Assert.Equal(Purposes.Reminder, sent.Delivery.Purpose);
        Assert.NotEqual(Sms().MessageId, sent.Delivery.MessageId);

        var again = CaseWorkflow.Apply(d.State, reminder, Now);
        Assert.Same(d.State, again.State);
        Assert.Empty(again.Commands);
    }

    [Fact]
    public void No_reply_escalates_before_the_deadline_and_expiry_closes_an_unanswered_case()
    {
        var notified = InState(CaseState.Notified);
        var escalated = CaseWorkflow.Apply(notified, Timer(notified, TimerKind.Escalation), Now).State;
        Assert.Equal(CaseState.Escalated, escalated.State);
        Assert.Equal(EscalationReasons.NoReply, escalated.EscalationReason);

        var expired = CaseWorkflow.Apply(notified, Timer(notified, TimerKind.Expiry), Now).State;
        Assert.Equal(CaseOutcome.Expired, expired.Outcome);
    }

    [Fact]
    public void Applied_before_the_reminder_closes_the_case_and_cancels_its_timers()
    {
        var notified = InState(CaseState.Notified);
        var closed = CaseWorkflow.Apply(notified, new ExternalEvent(ExternalEvent.Applied) { Actor = "resident" }, Now).State;
        Assert.Equal(CaseOutcome.Applied, closed.Outcome);
        Assert.Empty(closed.Timers);
        Assert.False(CaseWorkflow.Apply(closed, Timer(notified, TimerKind.Reminder), Now).Accepted);
    }

    [Fact]
    public void An_early_applied_is_kept_and_applied_once_the_case_is_notified()
    {
        var detected = InState(CaseState.Detected);
        var kept = CaseWorkflow.Apply(detected, new ExternalEvent(ExternalEvent.Applied) { Actor = "resident" }, Now).State;
        Assert.Equal(CaseState.Detected, kept.State);
        Assert.Single(kept.PendingEvents);

        var matched = CaseWorkflow.Apply(kept, new MatchCompleted([Claim()]), Now).State;
        var d = CaseWorkflow.Apply(matched, new RecipientsResolved([Sms()]), Now);
        Assert.Equal(CaseState.Closed, d.State.State);
        Assert.Equal(CaseOutcome.Applied, d.State.Outcome);
        Assert.Empty(d.State.PendingEvents);

        // Both transitions are in the history, each with its own version.
        var history = d.Commands.OfType<AppendHistory>().Single().Entries;
        Assert.Equal([CaseState.Notified, CaseState.Closed], history.Select(h => h.To));
        Assert.Equal(history.Select(h => h.Version).Distinct().Count(), history.Count);
    }

    [Fact]
    public void Only_a_letter_for_a_service_that_needs_a_claim_sends_the_letter_and_goes_to_staff()
    {
        var post = new Delivery("m-post", "mother", Channel.Post, "8100001\n福岡市中央区天神1-1", "ja", ["jidou-teate"], Purposes.Initial);
        var d = CaseWorkflow.Apply(InState(CaseState.Matched), new RecipientsResolved([post]), Now);
        Assert.Equal(CaseState.Escalated, d.State.State);
        Assert.Equal(EscalationReasons.NoDigitalChannel, d.State.EscalationReason);
        Assert.Single(d.Commands.OfType<SendMessage>());
    }

    [Fact]
    public void Nobody_reachable_goes_to_staff()
    {
        var d = CaseWorkflow.Apply(InState(CaseState.Matched), new RecipientsResolved([]), Now);
        Assert.Equal(EscalationReasons.NoChannel, d.State.EscalationReason);
    }

    [Fact]
    public void A_service_that_needs_a_person_goes_to_staff_at_once()
    {
        var matched = CaseWorkflow.Apply(InState(CaseState.Detected), new MatchCompleted([Claim(needsPerson: true)]), Now).State;
        var d = CaseWorkflow.Apply(matched, new RecipientsResolved([Sms()]), Now);
        Assert.Equal(EscalationReasons.NeedsPerson, d.State.EscalationReason);
    }

    [Fact]
    public void A_failed_orchestration_sends_an_open_case_to_staff_with_the_reason_and_leaves_a_closed_one_alone()
    {
        var notified = InState(CaseState.Notified);
        var d = CaseWorkflow.Apply(notified, new OrchestrationFailed("JsonException: unknown input"), Now);
        Assert.Equal((CaseState.Escalated, EscalationReasons.OrchestrationFailed), (d.State.State, d.State.EscalationReason));
        Assert.Equal("JsonException: unknown input", d.State.Note);
        Assert.Equal(notified.Deliveries, d.State.Deliveries);
        var entry = Assert.Single(d.Commands.OfType<AppendHistory>().Single().Entries);
        Assert.Equal((CaseState.Notified, CaseState.Escalated, EscalationReasons.OrchestrationFailed), (entry.From, entry.To, entry.Detail));

        var closed = CaseWorkflow.Apply(notified, new ExternalEvent(ExternalEvent.Declined) { Actor = "resident" }, Now).State;
        Assert.False(CaseWorkflow.Apply(closed, new OrchestrationFailed("late"), Now).Accepted);
    }

    [Fact]
    public void Delivery_failure_on_every_channel_of_a_recipient_escalates()
    {
        var d = CaseWorkflow.Apply(InState(CaseState.Notified), new DeliveryReported(Sms().MessageId, DeliveryState.Failed), Now);
        Assert.Equal(CaseState.Escalated, d.State.State);
        Assert.Equal(EscalationReasons.DeliveryFailed, d.State.EscalationReason);
    }

    [Fact]
    public void A_delivery_report_the_case_already_took_changes_nothing_and_adds_no_history()
    {
        var reported = CaseWorkflow.Apply(InState(CaseState.Reminded), new DeliveryReported(Sms().MessageId, DeliveryState.Delivered), Now);
        Assert.Equal(DeliveryState.Delivered, reported.State.Deliveries.Single(x => x.MessageId == Sms().MessageId).State);

        var again = CaseWorkflow.Apply(reported.State, new DeliveryReported(Sms().MessageId, DeliveryState.Delivered), Now.AddMinutes(5));
        Assert.Same(reported.State, again.State);
        Assert.Empty(again.Commands);
    }

    [Fact]
    public void Automatic_services_close_as_informed_once_every_message_is_delivered()
    {
        var info = Claim() with { NeedsClaim = false, Deadline = null, ServiceId = "kaigo-1go" };
        var matched = CaseWorkflow.Apply(InState(CaseState.Detected), new MatchCompleted([info]), Now).State;
        var notified = CaseWorkflow.Apply(matched, new RecipientsResolved([Sms()]), Now).State;
        Assert.Empty(notified.Timers);
        var closed = CaseWorkflow.Apply(notified, new DeliveryReported(Sms().MessageId, DeliveryState.Delivered), Now).State;
        Assert.Equal(CaseOutcome.Informed, closed.Outcome);
    }

    [Fact]
    public void Withdrawing_consent_cancels_pending_messages_on_that_channel_and_closes_when_none_remain()
    {
        var d = CaseWorkflow.Apply(InState(CaseState.Notified), new ConsentWithdrawn("mother", Channel.Sms) { Actor = "resident" }, Now);
        Assert.Contains(new CancelMessage(Sms().MessageId), d.Commands);
        Assert.Equal(CaseOutcome.OptedOut, d.State.Outcome);
    }

    [Fact]
    public void Death_of_the_recipient_sends_the_case_back_to_matching()
    {
        var d = CaseWorkflow.Apply(InState(CaseState.Notified), new RecipientDied("mother"), Now);
        Assert.Equal(CaseState.Detected, d.State.State);
        Assert.Contains(new RunStep(RunStep.Match), d.Commands);
        Assert.Contains(new CancelMessage(Sms().MessageId), d.Commands);
        Assert.Empty(d.State.Timers);
    }

    [Fact]
    public void Staff_close_records_the_outcome_the_note_and_the_actor()
    {
        var d = CaseWorkflow.Apply(InState(CaseState.Escalated), new ExternalEvent(ExternalEvent.Close, CaseOutcome.Applied, "applied at the counter") { Actor = "staff:7" }, Now);
        Assert.Equal(CaseOutcome.Applied, d.State.Outcome);
        Assert.Equal("applied at the counter", d.State.Note);
        Assert.Equal("staff:7", d.State.AssignedTo);
        Assert.Equal("staff:7", d.Commands.OfType<AppendHistory>().Single().Entries[^1].Actor);
    }

    [Fact]
    public void Every_accepted_change_bumps_the_version_once_per_transition()
    {
        var c = InState(CaseState.Notified);
        var d = CaseWorkflow.Apply(c, new DeliveryReported(Sms().MessageId, DeliveryState.Delivered), Now);
        Assert.Equal(c.Version + 1, d.State.Version);
        Assert.Equal(d.State.Version, d.Commands.OfType<AppendHistory>().Single().Entries.Single().Version);
    }

    [Fact]
    public void Message_ids_depend_on_the_cases_random_nonce_so_they_cannot_be_derived_from_the_event()
    {
        var a = NewCase() with { Nonce = "0f1e2d3c4b5a69788796a5b4" };
        var b = NewCase() with { Nonce = "aaaaaaaaaaaaaaaaaaaaaaaa" };
        var match = new MatchCompleted([Claim()]);
        Delivery Resolve(CaseData c) => RecipientResolver.Resolve(
            CaseWorkflow.Apply(CaseWorkflow.Start(c, Now).State, match, Now).State,
            new HouseholdSnapshot { HouseholdId = "h1", Members = [new Person { ResidentId = "mother", HouseholdId = "h1", FamilyName = "山田", GivenName = "花子", BirthDate = RegistryDate.Of(new DateOnly(1992, 8, 1)), Relationship = "妻" }] },
            [new ContactRecord("mother", Channel.Sms, "+819012345678", "ja", true, Now, "drop")])[0];
        Assert.NotEqual(Resolve(a).MessageId, Resolve(b).MessageId);
        Assert.Equal(Resolve(a).MessageId, Resolve(a).MessageId);
    }

    [Fact]
    public void Message_ids_are_deterministic()
    {
        Assert.Equal(MessageIds.For("c", "initial", "r", Channel.Sms), MessageIds.For("c", "initial", "r", Channel.Sms));
        Assert.NotEqual(MessageIds.For("c", "initial", "r", Channel.Sms), MessageIds.For("c", "initial", "r", Channel.Email));
    }
}
