using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Cases;

/// <summary>Reminder and escalation at the right dates, with a clock that skips days.</summary>
public sealed class CaseTimingTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);
    private static readonly DateTimeOffset Notified = new(2026, 11, 21, 10, 0, 0, Jst);

    private static CaseTestHost NotifiedCase(CaseSettings? settings = null, DateOnly? deadline = null)
    {
        var e = new LifeEvent
        {
            Kind = LifeEventKind.BIRTH,
            Tenant = "401307",
            EventId = "BIRTH-t",
            ResidentId = "child",
            HouseholdId = "h",
            EventDate = new DateOnly(2026, 11, 20),
            Source = new EventSource("resident-changes", 2),
        };
        var host = new CaseTestHost(CaseWorkflow.Start(new CaseData { Tenant = "401307", CaseId = "BIRTH-t", Event = e, CreatedAt = Notified }, Notified).State, Notified, settings);
        host.Apply(new MatchCompleted([new ServiceMatch { EventId = "BIRTH-t", ServiceId = "jidou-teate", RecipientIds = ["mother"], Deadline = deadline ?? new DateOnly(2026, 12, 5), NeedsClaim = true }]));
        host.Apply(new RecipientsResolved([new Delivery(MessageIds.For("BIRTH-t", Purposes.Initial, "mother", Channel.Sms), "mother", Channel.Sms, "+819012345678", "ja", ["jidou-teate"], Purposes.Initial)]));
        return host;
    }

    [Fact]
    public void The_reminder_goes_out_5_days_before_the_deadline_and_staff_get_the_case_2_days_before()
    {
        var host = NotifiedCase();
        host.AdvanceTo(new DateTimeOffset(2026, 11, 30, 8, 59, 0, Jst));
        Assert.Equal(CaseState.Notified, host.Case.State);

        host.AdvanceTo(new DateTimeOffset(2026, 11, 30, 9, 0, 0, Jst));
        Assert.Equal(CaseState.Reminded, host.Case.State);
        var reminder = host.Sends.Last();
        Assert.Equal(Purposes.Reminder, reminder.Send.Delivery.Purpose);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, Jst), reminder.At);

        host.AdvanceTo(new DateTimeOffset(2026, 12, 3, 9, 0, 0, Jst));
        Assert.Equal(CaseState.Escalated, host.Case.State);
        Assert.Equal(EscalationReasons.NoReply, host.Case.EscalationReason);
    }

    [Fact]
    public void The_tenant_setting_moves_the_reminder()
    {
        var host = NotifiedCase(new CaseSettings { ReminderDaysBeforeDeadline = 10, EscalateDaysBeforeDeadline = 3 }, new DateOnly(2026, 12, 20));
        host.AdvanceTo(new DateTimeOffset(2026, 12, 10, 9, 0, 0, Jst));
        Assert.Equal(CaseState.Reminded, host.Case.State);
        host.AdvanceTo(new DateTimeOffset(2026, 12, 17, 9, 0, 0, Jst));
        Assert.Equal(CaseState.Escalated, host.Case.State);
    }

    [Fact]
    public void Applied_before_the_reminder_cancels_it_and_nothing_fires_afterwards()
    {
        var host = NotifiedCase();
        host.AdvanceTo(new DateTimeOffset(2026, 11, 25, 12, 0, 0, Jst));
        host.Apply(new ExternalEvent(ExternalEvent.Applied) { Actor = "resident" });
        var sendsBefore = host.Sends.Count();
        host.AdvanceTo(new DateTimeOffset(2027, 1, 1, 0, 0, 0, Jst));
        Assert.Equal(CaseOutcome.Applied, host.Case.Outcome);
        Assert.Equal(sendsBefore, host.Sends.Count());
    }

    [Fact]
    public void A_deadline_too_close_for_a_reminder_still_escalates_and_expires()
    {
        // Notified on 11-21 with a deadline on 11-24: the reminder day (11-19) has passed; escalation 11-22 and expiry 11-25 remain.
        var host = NotifiedCase(deadline: new DateOnly(2026, 11, 24));
        Assert.DoesNotContain(host.Case.Timers, t => t.Kind == TimerKind.Reminder);
        host.AdvanceTo(new DateTimeOffset(2026, 11, 22, 9, 0, 0, Jst));
        Assert.Equal(CaseState.Escalated, host.Case.State);
    }

    [Fact]
    public void An_unanswered_case_with_escalation_closed_by_staff_does_not_expire_again()
    {
        var host = NotifiedCase();
        host.AdvanceTo(new DateTimeOffset(2026, 12, 3, 9, 0, 0, Jst));
        host.Apply(new ExternalEvent(ExternalEvent.Close, CaseOutcome.Declined, "電話で辞退") { Actor = "staff:1" });
        host.AdvanceTo(new DateTimeOffset(2026, 12, 31, 9, 0, 0, Jst));
        Assert.Equal(CaseOutcome.Declined, host.Case.Outcome);
    }
}
