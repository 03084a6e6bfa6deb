using System.Net;
using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Cases;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

/// <summary>
/// A case whose orchestration failed outside the steps it handles is never silently stuck: the sweep sends it to staff
/// with the reason, once, and restarts it so it takes inputs again. On the local host (orchestrations on Azurite) with
/// the app's own <c>Sweep</c> timer running beside the sweeps the test runs.
/// </summary>
[Collection("Api")]
public sealed class FailedCaseSweepTests(ApiFixture fx)
{
    [Fact]
    public async Task A_failed_case_orchestration_is_escalated_once_with_the_reason_and_takes_a_staff_close_afterwards()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 741);
        var client = fx.Service<DurableTaskClient>();
        var store = fx.Service<CaseStore>();
        var before = (await store.GetAsync(t.Code, s.CaseId, CancellationToken.None))!;
        Assert.True(before.IsOpen);

        // A real failure, no test hook: an input this orchestrator cannot read (as one raised by another version of the
        // app during a deployment would be) makes the orchestrator throw, and the instance ends Failed.
        await client.RaiseEventAsync(s.CaseId, CaseOrchestration.InputEvent, """{"$type":"from-another-version"}""");
        await Wait.Eventually(
            async () => (await client.GetInstanceAsync(s.CaseId))?.RuntimeStatus == OrchestrationRuntimeStatus.Failed
                || (await store.GetAsync(t.Code, s.CaseId, CancellationToken.None))?.EscalationReason == EscalationReasons.OrchestrationFailed,
            "the case's orchestration to fail (or the app's own sweep to have escalated it already)");

        var sweep = fx.Service<FailedCases>();
        await sweep.EscalateAsync(client, CancellationToken.None);
        var escalated = (await store.GetAsync(t.Code, s.CaseId, CancellationToken.None))!;
        var history = await store.GetHistoryAsync(t.Code, s.CaseId, CancellationToken.None);

        Assert.Equal((CaseState.Escalated, EscalationReasons.OrchestrationFailed), (escalated.State, escalated.EscalationReason));
        Assert.StartsWith("The case's orchestration failed (", escalated.Note, StringComparison.Ordinal);
        Assert.Equal(before.Deliveries.Select(d => d.MessageId), escalated.Deliveries.Select(d => d.MessageId));
        Assert.Equal(before.Matches.Select(m => m.ServiceId), escalated.Matches.Select(m => m.ServiceId));
        var entry = Assert.Single(history, h => h.Detail == EscalationReasons.OrchestrationFailed);
        Assert.Equal((CaseState.Escalated, escalated.Version), (entry.To, entry.Version));
        Assert.NotEqual(OrchestrationRuntimeStatus.Failed, (await client.GetInstanceAsync(s.CaseId))!.RuntimeStatus);

        // A second sweep changes nothing.
        await sweep.EscalateAsync(client, CancellationToken.None);
        var again = (await store.GetAsync(t.Code, s.CaseId, CancellationToken.None))!;
        Assert.Equal((escalated.Version, escalated.UpdatedAt, escalated.Note), (again.Version, again.UpdatedAt, again.Note));
        Assert.Equal(history, await store.GetHistoryAsync(t.Code, s.CaseId, CancellationToken.None));

        // The restarted case takes a staff close like any other.
        using (var close = await fx.Client(t.StaffKey).PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/events/close", new { outcome = "ClosedByStaff", note = "窓口で対応済み" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, close.StatusCode);
        }

        var closed = await Wait.Eventually(
            async () => await store.GetAsync(t.Code, s.CaseId, CancellationToken.None) is { State: CaseState.Closed } c ? c : null,
            "the restarted case to close");
        Assert.Equal(CaseOutcome.ClosedByStaff, closed.Outcome);

        // The log says which case failed, never who it is about.
        var lines = fx.Factory.Logs.Lines.Where(l => l.Contains(nameof(FailedCases), StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains(s.CaseId, StringComparison.Ordinal));
        Assert.All(s.Pii.Secrets, secret => Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal)));
    }
}
