using System.Net;
using System.Net.Http.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Cases;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

/// <summary>
/// An input for a case whose projection exists but whose orchestration has not started (status Pending) is not raised
/// into the window in which Durable Task's Azure Storage provider discards events for an instance without history
/// (Azure/durabletask #720; the load drill lost 4 "applied" of 200 that way): it waits for the start, then is taken.
/// </summary>
[Collection("Api")]
public sealed class StartingCaseTests(ApiFixture fx)
{
    [Fact]
    public async Task A_staff_close_sent_while_the_case_orchestration_is_still_pending_is_taken_once_it_starts()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 751);
        var store = fx.Service<CaseStore>();
        var client = fx.Service<DurableTaskClient>();
        var running = (await store.GetAsync(t.Code, s.CaseId, CancellationToken.None))!;

        // A second case of the same birth, started as DurableCases.StartAsync starts one (projection first, then the
        // orchestration), except that its orchestration is scheduled a few seconds ahead: it stays Pending meanwhile.
        var caseId = $"{s.CaseId}-pending";
        var start = CaseWorkflow.Start(new CaseData { Tenant = t.Code, CaseId = caseId, Event = running.Event with { EventId = caseId }, CreatedAt = DateTimeOffset.UtcNow }, DateTimeOffset.UtcNow);
        Assert.True(await store.TryCreateAsync(start.State, CancellationToken.None));
        var run = new CaseRun(start.State, await fx.Service<CaseActivities>().SettingsForAsync(t.Code, CancellationToken.None), start.Commands);
        await client.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, run.ToJson(), new StartOrchestrationOptions(caseId) { StartAt = DateTimeOffset.UtcNow.AddSeconds(5) });
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await client.GetInstanceAsync(caseId))!.RuntimeStatus);

        using (var close = await fx.Client(t.StaffKey).PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{caseId}/events/close", new { outcome = "ClosedByStaff", note = "窓口で対応済み" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, close.StatusCode);
        }

        var closed = await Wait.Eventually(
            async () => await store.GetAsync(t.Code, caseId, CancellationToken.None) is { State: CaseState.Closed } c ? c : null,
            "the case closed by the close sent while it was pending",
            TimeSpan.FromSeconds(60));
        Assert.Equal(CaseOutcome.ClosedByStaff, closed.Outcome);
    }
}
