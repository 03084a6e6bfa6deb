using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PushGov.Infrastructure.Audit;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Tests.Api;

[Collection("Api")]
public sealed class RetentionTests(ApiFixture fx)
{
    [Fact]
    public async Task Bodies_then_closed_cases_are_purged_after_the_tenants_limits_and_each_purge_is_audited()
    {
        var t = await fx.NewTenantAsync(c => c with { RetainMessageBodiesDays = 30, RetainCasesYears = 1 });
        var closed = await Scenario.BirthAsync(fx, t.Code, serial: 701);
        var open = await Scenario.BirthAsync(fx, t.Code, serial: 702);
        using (var close = await fx.Client(t.StaffKey).PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{closed.CaseId}/events/close", new { outcome = "ClosedByStaff", note = "窓口で完了" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, close.StatusCode);
        }

        var messages = fx.Service<MessageStore>();
        var sent = (await messages.ListForCaseAsync(t.Code, closed.CaseId, CancellationToken.None)).Concat(await messages.ListForCaseAsync(t.Code, open.CaseId, CancellationToken.None)).ToList();
        Assert.NotEmpty(sent);
        Assert.NotEmpty(await fx.Service<DevSink>().ListAsync(t.Code, 100, CancellationToken.None));
        var tenant = (await fx.Service<TenantStore>().GetAsync(t.Code, CancellationToken.None))!;

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(10));
        var audit = new AuditLog(fx.Storage, clock);
        var retention = new Retention(fx.Storage, messages, audit, clock, NullLogger<Retention>.Instance);

        Assert.Equal(new RetentionResult(t.Code, 0, 0, 0), await retention.RunAsync(tenant, CancellationToken.None));

        clock.SetUtcNow(DateTimeOffset.UtcNow.AddDays(31));
        var bodies = await retention.RunAsync(tenant, CancellationToken.None);
        Assert.Equal(sent.Count, bodies.MessageBodiesPurged);
        Assert.Equal(sent.Count, bodies.SinkRowsDeleted);
        Assert.Equal(0, bodies.CasesDeleted);
        foreach (var m in sent)
        {
            var after = (await messages.GetAsync(t.Code, m.MessageId, CancellationToken.None))!.Value.Message;
            Assert.Equal(Retention.Purged, after.To);
            Assert.Equal(Retention.Purged, after.Text);
            Assert.Equal(m.Status, after.Status);
        }

        Assert.Empty(await fx.Service<DevSink>().ListAsync(t.Code, 100, CancellationToken.None));
        Assert.Equal(new RetentionResult(t.Code, 0, 0, 0), await retention.RunAsync(tenant, CancellationToken.None));

        clock.SetUtcNow(DateTimeOffset.UtcNow.AddYears(1).AddDays(2));
        var cases = await retention.RunAsync(tenant, CancellationToken.None);
        Assert.Equal(1, cases.CasesDeleted);
        var store = fx.Service<CaseStore>();
        Assert.Null(await store.GetAsync(t.Code, closed.CaseId, CancellationToken.None));
        Assert.Empty(await store.GetHistoryAsync(t.Code, closed.CaseId, CancellationToken.None));
        Assert.Empty(await messages.ListForCaseAsync(t.Code, closed.CaseId, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(t.Code, open.CaseId, CancellationToken.None));
        Assert.NotEmpty(await store.GetHistoryAsync(t.Code, open.CaseId, CancellationToken.None));

        // Audited as system:retention: one row for the bodies, one for the case (with its residents).
        var rows = new List<AuditEntry>();
        var (page, _) = await audit.ListAsync(t.Code, DateTimeOffset.UtcNow.AddDays(-1), clock.GetUtcNow().AddDays(1), null, 1000, CancellationToken.None);
        rows.AddRange(page.Where(e => e.Actor == Retention.Actor));
        Assert.Equal(["retention.case-deleted", "retention.message-bodies"], rows.Select(r => r.Action));
        Assert.Equal(closed.CaseId, rows[0].CaseId);
        Assert.Contains(closed.ChildId, rows[0].ResidentIds);
        Assert.Contains($"bodies={sent.Count}", rows[1].Detail);
    }
}
