using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;
using PushGov.Functions.Cases;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Cases;

/// <summary>
/// The case orchestration on the Durable Task in-process host, its activities on a real Azurite: the generic loop runs
/// what <see cref="CaseWorkflow"/> decides, repeats of an activity change nothing outside, timers and inputs reach the
/// workflow, and a step that keeps failing sends the case to staff.
/// </summary>
[Collection("Azurite")]
public sealed class CaseOrchestrationTests(AzuriteFixture azurite)
{
    private async Task<(CaseHarness Harness, string Tenant)> HouseholdAsync(IMessageComposer? composer = null)
    {
        var h = await CaseHarness.StartAsync(azurite.ConnectionString, composer);
        var tenant = await h.NewTenantAsync();
        await h.DropAsync(tenant, "residents", "snapshot.csv", CaseHarness.Household);
        await h.DropAsync(tenant, "contacts", "contacts.csv", CaseHarness.Contacts);
        return (h, tenant);
    }

    [Fact]
    public async Task A_case_runs_from_detected_to_notified_with_one_message_and_a_history_of_each_step()
    {
        var (h, tenant) = await HouseholdAsync();
        await using var _ = h;
        var e = CaseHarness.Birth(tenant);
        Assert.True(await h.Cases.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None));
        Assert.False(await h.Cases.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None)); // starting twice is harmless

        var c = await h.SettleAsync(tenant, e.EventId, c => c.Deliveries.Any(d => d.State == DeliveryState.Delivered));
        Assert.Equal(CaseState.Notified, c.State);
        var message = Assert.Single(await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None));
        Assert.Equal(NotificationStatus.Delivered, message.Status);
        var history = await h.HistoryAsync(tenant, e.EventId);
        Assert.Equal([CaseState.Detected, CaseState.Matched, CaseState.Notified, CaseState.Notified], history.Select(x => x.To));
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(x => x.Version));
    }

    [Fact]
    public async Task An_activity_that_dies_midway_is_run_again_and_its_message_is_created_and_sent_once()
    {
        var baseline = await CaseHarness.StartAsync(azurite.ConnectionString);
        await baseline.DisposeAsync();
        var (h, tenant) = await HouseholdAsync(new FailingComposer(baseline.Composer, failures: 2));
        await using var _ = h;
        var e = CaseHarness.Birth(tenant, "BIRTH-crash-effects");
        await h.Cases.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);

        var c = await h.SettleAsync(tenant, e.EventId, c => c.Deliveries.Any(d => d.State == DeliveryState.Delivered));
        Assert.Equal(CaseState.Notified, c.State);
        var message = Assert.Single(await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None));
        Assert.Single(await h.Sink.ListAsync(tenant, 100, CancellationToken.None), s => s.MessageId == message.MessageId);
    }

    [Fact]
    public async Task Effects_that_fail_every_retry_send_the_case_to_staff_with_the_reason()
    {
        var baseline = await CaseHarness.StartAsync(azurite.ConnectionString);
        await baseline.DisposeAsync();
        var (h, tenant) = await HouseholdAsync(new FailingComposer(baseline.Composer, failures: int.MaxValue));
        await using var _ = h;
        var e = CaseHarness.Birth(tenant, "BIRTH-step-failed");
        await h.Cases.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);

        var c = await h.SettleAsync(tenant, e.EventId, c => c.State == CaseState.Escalated, TimeSpan.FromSeconds(90));
        Assert.Equal(EscalationReasons.StepFailed, c.EscalationReason);
        Assert.Contains(CaseOrchestration.EffectsActivity, c.Note, StringComparison.Ordinal);
        Assert.Empty(await h.Sink.ListAsync(tenant, 100, CancellationToken.None));
    }

    [Fact]
    public async Task Applied_from_the_portal_closes_the_case_the_history_names_the_actor_and_a_second_answer_is_refused()
    {
        var (h, tenant) = await HouseholdAsync();
        await using var _ = h;
        var e = CaseHarness.Birth(tenant, "BIRTH-applied");
        await h.Cases.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);
        await h.SettleAsync(tenant, e.EventId, c => c.State == CaseState.Notified);

        var decision = await h.Cases.SendAsync(tenant, e.EventId, new ExternalEvent(ExternalEvent.Applied) { Actor = "resident-portal:abc" }, CancellationToken.None);
        Assert.Equal(CaseOutcome.Applied, decision!.State.Outcome);
        var c = await h.SettleAsync(tenant, e.EventId, c => c.State == CaseState.Closed);
        Assert.Equal(CaseOutcome.Applied, c.Outcome);
        var last = (await h.HistoryAsync(tenant, e.EventId))[^1];
        Assert.Equal("resident-portal:abc", last.Actor);
        Assert.Equal(CaseState.Closed, last.To);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await h.Client.GetInstanceAsync(e.EventId))!.RuntimeStatus);

        var again = await h.Cases.SendAsync(tenant, e.EventId, new ExternalEvent(ExternalEvent.Declined), CancellationToken.None);
        Assert.False(again!.Accepted);
        Assert.Null(await h.Cases.SendAsync(tenant, "no-such-case", new ExternalEvent(ExternalEvent.Applied), CancellationToken.None));
    }

    [Fact]
    public async Task Withdrawing_consent_cancels_a_queued_message_before_it_is_sent_and_the_case_closes_as_opted_out()
    {
        var (h, tenant) = await HouseholdAsync();
        await using var _ = h;
        var e = CaseHarness.Birth(tenant, "BIRTH-withdraw");
        await h.Cases.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);

        // The case runs but the sender does not: the SMS is created and queued.
        await Wait.Eventually(
            async () => (await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None)).Count > 0
                && (await h.Projection.GetAsync(tenant, e.EventId, CancellationToken.None))?.State == CaseState.Notified,
            "the case to notify (a message created and the case notified)");

        Assert.Equal(1, await h.Cases.WithdrawConsentAsync(tenant, "300000101", Channel.Sms, CancellationToken.None));
        var c = await h.SettleAsync(tenant, e.EventId, c => c.State == CaseState.Closed);
        Assert.Equal(CaseOutcome.OptedOut, c.Outcome);
        var message = Assert.Single(await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None));
        Assert.Equal(NotificationStatus.Cancelled, message.Status);
        Assert.DoesNotContain(await h.Sink.ListAsync(tenant, 100, CancellationToken.None), s => s.MessageId == message.MessageId);
    }

    [Fact]
    public async Task A_timer_the_state_holds_fires_and_the_reminder_goes_out()
    {
        var (h, tenant) = await HouseholdAsync();
        await using var _ = h;
        var notified = await NotifiedWithTimerAsync(h, tenant, "BIRTH-reminder", TimeSpan.FromSeconds(2));

        var c = await h.SettleAsync(tenant, notified.CaseId, c => c.State == CaseState.Reminded && c.Deliveries.Any(d => d.Purpose == Purposes.Reminder && d.State == DeliveryState.Delivered));
        Assert.Equal(2, (await h.Messages.ListForCaseAsync(tenant, c.CaseId, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_case_waiting_for_a_timer_two_years_ahead_still_takes_an_input_at_once()
    {
        var (h, tenant) = await HouseholdAsync();
        await using var _ = h;
        var notified = await NotifiedWithTimerAsync(h, tenant, "BIRTH-long-timer", TimeSpan.FromDays(730));

        await h.Cases.SendAsync(tenant, notified.CaseId, new ExternalEvent(ExternalEvent.Declined) { Actor = "resident" }, CancellationToken.None);
        var c = await h.SettleAsync(tenant, notified.CaseId, c => c.State == CaseState.Closed);
        Assert.Equal(CaseOutcome.Declined, c.Outcome);
    }

    /// <summary>Runs a case to 'notified', then restarts its orchestration with a reminder timer due after <paramref name="dueIn"/>.</summary>
    private static async Task<CaseData> NotifiedWithTimerAsync(CaseHarness h, string tenant, string eventId, TimeSpan dueIn)
    {
        var e = CaseHarness.Birth(tenant, eventId);
        await h.Cases.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);
        var c = await h.SettleAsync(tenant, e.EventId, c => c.State == CaseState.Notified && c.Deliveries.All(d => d.State == DeliveryState.Delivered));
        await h.Client.TerminateInstanceAsync(e.EventId);
        await h.Client.WaitForInstanceCompletionAsync(e.EventId);
        await h.Client.PurgeInstanceAsync(e.EventId);

        var timer = new CaseTimer(TimerKind.Reminder, "reminder-test", h.Clock.GetUtcNow() + dueIn);
        c = c with { Timers = [timer], Matches = c.Matches.Select(m => m with { NeedsClaim = true }).ToList() };
        var run = new CaseRun(c, CaseSettings.Default, []);
        await h.Client.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, run.ToJson(), new Microsoft.DurableTask.StartOrchestrationOptions(e.EventId));
        return c;
    }
}

/// <summary>A composer that fails the first <paramref name="failures"/> times: a process killed while the effects ran.</summary>
public sealed class FailingComposer(IMessageComposer inner, int failures) : IMessageComposer
{
    private int _left = failures;

    public ComposedMessage Compose(TenantConfig tenant, CaseData c, Delivery delivery) =>
        Interlocked.Decrement(ref _left) >= 0 ? throw new IOException("process killed during the effects") : inner.Compose(tenant, c, delivery);
}
