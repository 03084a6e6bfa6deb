using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;

namespace PushGov.Infrastructure.Tests.Cases;

/// <summary>The durable case engine on a real Azurite: crashes at every step boundary, repeats, and competing instances.</summary>
[Collection("Azurite")]
public sealed class CaseEngineTests(AzuriteFixture azurite)
{
    private async Task<(CaseHarness Harness, string Tenant)> HouseholdAsync(CaseHarness? harness = null)
    {
        harness ??= new CaseHarness(azurite.ConnectionString);
        var tenant = await harness.NewTenantAsync();
        await harness.DropAsync(tenant, "residents", "snapshot.csv", CaseHarness.Household);
        await harness.DropAsync(tenant, "contacts", "contacts.csv", CaseHarness.Contacts);
        await harness.DrainAsync();
        return (harness, tenant);
    }

    private static async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(CaseHarness h, string tenant, string caseId) =>
        await h.Cases.GetHistoryAsync(tenant, caseId, CancellationToken.None);

    [Fact]
    public async Task A_case_runs_from_detected_to_notified_with_one_message_and_a_history_of_each_step()
    {
        var (h, tenant) = await HouseholdAsync();
        var e = CaseHarness.Birth(tenant);
        Assert.True(await h.Engine.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None));
        Assert.False(await h.Engine.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None)); // starting twice is harmless
        await h.DrainAsync();

        var stored = await h.Cases.GetAsync(tenant, e.EventId, CancellationToken.None);
        Assert.Equal(CaseState.Notified, stored!.Data.State);
        Assert.Empty(stored.Outbox);
        var messages = await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None);
        var message = Assert.Single(messages);
        Assert.Equal(NotificationStatus.Delivered, message.Status);
        var history = await HistoryAsync(h, tenant, e.EventId);
        Assert.Equal([CaseState.Detected, CaseState.Matched, CaseState.Notified, CaseState.Notified], history.Select(x => x.To));
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(x => x.Version));
    }

    [Fact]
    public async Task A_crash_between_saving_the_state_and_dispatching_neither_loses_nor_repeats_an_effect()
    {
        var baseline = new CaseHarness(azurite.ConnectionString);
        var h = new CaseHarness(azurite.ConnectionString, composer: new FailingComposer(baseline.Composer, failures: 1));
        var (_, tenant) = await HouseholdAsync(h);
        var e = CaseHarness.Birth(tenant, "BIRTH-crash-dispatch");
        await h.Engine.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);

        // The match step saves "notified" with its outbox, then dies while sending.
        var step = new CaseStepMessage(tenant, e.EventId, Step: RunStep.Match);
        await Assert.ThrowsAsync<IOException>(() => h.Engine.HandleAsync(step, CancellationToken.None));
        var afterCrash = await h.Cases.GetAsync(tenant, e.EventId, CancellationToken.None);
        Assert.Equal(CaseState.Notified, afterCrash!.Data.State);
        Assert.Contains(afterCrash.Outbox, c => c is SendMessage);

        // The queue delivers the message again: the outbox is finished, the step itself is recognised as done.
        await h.Engine.HandleAsync(step, CancellationToken.None);
        await h.DrainAsync();
        var done = await h.Cases.GetAsync(tenant, e.EventId, CancellationToken.None);
        Assert.Empty(done!.Outbox);
        Assert.Single(await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None));
        Assert.Single(await h.Sink.ListAsync(tenant, 100, CancellationToken.None), s => s.MessageId.StartsWith("m-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_outbox_sweep_finishes_what_a_crash_left_when_no_message_comes_again()
    {
        var baseline = new CaseHarness(azurite.ConnectionString);
        var h = new CaseHarness(azurite.ConnectionString, composer: new FailingComposer(baseline.Composer, failures: 1));
        var (_, tenant) = await HouseholdAsync(h);
        var e = CaseHarness.Birth(tenant, "BIRTH-crash-sweep");
        await h.Engine.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => h.Engine.HandleAsync(new CaseStepMessage(tenant, e.EventId, Step: RunStep.Match), CancellationToken.None));

        await h.Engine.FinishOutboxAsync(tenant, e.EventId, CancellationToken.None);
        await h.DrainAsync();
        Assert.Empty((await h.Cases.GetAsync(tenant, e.EventId, CancellationToken.None))!.Outbox);
        Assert.Single(await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None));
    }

    [Fact]
    public async Task A_message_handled_again_after_its_effects_went_out_changes_nothing()
    {
        var sent = new ConcurrentBag<string>();
        var h = new CaseHarness(azurite.ConnectionString, selector: sink => new CountingSelector(sink, sent));
        var (_, tenant) = await HouseholdAsync(h);
        var e = CaseHarness.Birth(tenant, "BIRTH-lost-ack");
        await h.Engine.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);

        // Every message is handled twice, as when the process dies between the effect and the ack.
        await h.DrainAsync(async text =>
        {
            if (text.Contains("\"caseId\"", StringComparison.Ordinal))
            {
                await h.Engine.HandleAsync(CaseStepMessage.Parse(text), CancellationToken.None);
            }
            else
            {
                await h.Sender.HandleAsync(SendQueueMessage.Parse(text), CancellationToken.None);
            }
        });

        var message = Assert.Single(await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None));
        Assert.Single(sent, id => id == message.MessageId);
        var history = await HistoryAsync(h, tenant, e.EventId);
        Assert.Equal(history.Count, history.Select(x => x.Version).Distinct().Count());
    }

    [Fact]
    public async Task Two_app_instances_on_the_same_queues_advance_every_case_exactly_once()
    {
        var sent = new ConcurrentBag<string>();
        var first = new CaseHarness(azurite.ConnectionString, selector: sink => new CountingSelector(sink, sent));
        var second = new CaseHarness(azurite.ConnectionString, selector: sink => new CountingSelector(sink, sent));
        var (_, tenant) = await HouseholdAsync(first);
        var events = Enumerable.Range(0, 12).Select(i => CaseHarness.Birth(tenant, $"BIRTH-pair-{i:D2}")).ToList();
        foreach (var e in events)
        {
            await first.Engine.StartAsync(CaseHarness.NewCase(e, first.Clock), CancellationToken.None);
        }

        await Task.WhenAll(first.DrainAsync(), second.DrainAsync());
        await first.DrainAsync();

        foreach (var e in events)
        {
            var stored = await first.Cases.GetAsync(tenant, e.EventId, CancellationToken.None);
            Assert.Equal(CaseState.Notified, stored!.Data.State);
            var history = await HistoryAsync(first, tenant, e.EventId);
            Assert.Equal(Enumerable.Range(1, history.Count), history.Select(x => x.Version));
            Assert.Single(history, x => x.To == CaseState.Matched);
            var message = Assert.Single(await first.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None));
            Assert.Single(sent, id => id == message.MessageId);
        }
    }

    [Fact]
    public async Task Timers_beyond_a_queue_messages_reach_wait_in_the_timer_table_until_the_sweep_moves_them()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));
        var h = new CaseHarness(azurite.ConnectionString, clock);
        var (_, tenant) = await HouseholdAsync(h);
        var e = CaseHarness.Birth(tenant, "BIRTH-timers");
        await h.Engine.StartAsync(CaseHarness.NewCase(e, clock), CancellationToken.None);
        await h.DrainAsync();

        // Deadline 2026-12-05: reminder 11-30, escalation 12-03, expiry 12-06 — all more than 6 days away.
        var timers = h.Storage.Table(StorageNames.Tables.Timers);
        async Task<List<string>> Pending() =>
            await timers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Tenant eq {tenant}")).Select(t => t.GetString("Kind")).ToListAsync();
        Assert.Equal(["Reminder", "Escalation", "Expiry"], (await Pending()).OrderBy(k => k == "Reminder" ? 0 : k == "Escalation" ? 1 : 2));

        clock.Advance(TimeSpan.FromDays(4)); // 11-25: the reminder is now within reach
        await h.Engine.SweepTimersAsync(CancellationToken.None);
        Assert.DoesNotContain("Reminder", await Pending());
        Assert.Contains("Escalation", await Pending());
    }

    [Fact]
    public async Task Applied_from_the_portal_closes_the_case_and_the_history_names_the_actor()
    {
        var (h, tenant) = await HouseholdAsync();
        var e = CaseHarness.Birth(tenant, "BIRTH-applied");
        await h.Engine.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);
        await h.DrainAsync();

        var decision = await h.Engine.ApplyAsync(tenant, e.EventId, new ExternalEvent(ExternalEvent.Applied) { Actor = "resident-portal:abc" }, CancellationToken.None);
        Assert.Equal(CaseOutcome.Applied, decision!.State.Outcome);
        var last = (await HistoryAsync(h, tenant, e.EventId))[^1];
        Assert.Equal("resident-portal:abc", last.Actor);
        Assert.Equal(CaseState.Closed, last.To);

        var again = await h.Engine.ApplyAsync(tenant, e.EventId, new ExternalEvent(ExternalEvent.Declined), CancellationToken.None);
        Assert.False(again!.Accepted);
    }

    [Fact]
    public async Task Withdrawing_consent_cancels_a_queued_message_before_it_is_sent()
    {
        var (h, tenant) = await HouseholdAsync();
        var e = CaseHarness.Birth(tenant, "BIRTH-withdraw");
        await h.Engine.StartAsync(CaseHarness.NewCase(e, h.Clock), CancellationToken.None);

        // Run the case but not the sender: the SMS is created and queued.
        var steps = h.Storage.Queue(StorageNames.Queues.CaseSteps);
        foreach (var m in (await steps.ReceiveMessagesAsync(16)).Value)
        {
            await h.Engine.HandleAsync(CaseStepMessage.Parse(m.Body.ToString()), CancellationToken.None);
            await steps.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }

        Assert.Equal(1, await h.Engine.WithdrawConsentAsync(tenant, "300000101", Domain.Residents.Channel.Sms, CancellationToken.None));
        await h.DrainAsync();
        var message = Assert.Single(await h.Messages.ListForCaseAsync(tenant, e.EventId, CancellationToken.None));
        Assert.Equal(NotificationStatus.Cancelled, message.Status);
        Assert.DoesNotContain(await h.Sink.ListAsync(tenant, 100, CancellationToken.None), s => s.MessageId == message.MessageId);
        Assert.Equal(CaseOutcome.OptedOut, (await h.Cases.GetAsync(tenant, e.EventId, CancellationToken.None))!.Data.Outcome);
    }
}
