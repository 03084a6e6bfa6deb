using System.Net;
using System.Net.Http.Json;
using System.Text;
using Azure.Data.Tables;
using PushGov.Infrastructure.Audit;
using PushGov.Infrastructure.Storage;

namespace PushGov.Functions.Tests.Api;

[Collection("Api")]
public sealed class AuditTests(ApiFixture fx)
{
    public sealed record Page(List<AuditEntry> Entries, string? ContinuationToken);

    private async Task<List<AuditEntry>> AuditAsync(TestTenant t)
    {
        var all = new List<AuditEntry>();
        string? token = null;
        do
        {
            var url = $"/api/tenants/{t.Code}/audit?pageSize=7" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await fx.Client(t.AdminKey).GetFromJsonAsync<Page>(url);
            all.AddRange(page!.Entries);
            token = page.ContinuationToken;
        }
        while (token is not null);

        return all.Where(e => e.Action != "audit.read").ToList();
    }

    [Fact]
    public async Task Each_staff_read_of_a_case_is_audited_exactly_once_with_the_actor_and_every_resident_shown()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 301);

        var shown = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            using var read = await fx.Client(t.StaffKey).GetAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            using var detail = System.Text.Json.JsonDocument.Parse(await read.Content.ReadAsStringAsync());
            shown.Add(detail.RootElement.GetProperty("residentId").GetString()!);
            shown.UnionWith(detail.RootElement.GetProperty("matches").EnumerateArray().SelectMany(m => m.GetProperty("recipientIds").EnumerateArray().Select(r => r.GetString()!)));
            shown.UnionWith(detail.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("residentId").GetString()!));
        }

        Assert.Contains(s.ChildId, shown);
        Assert.Contains(s.HeadId, shown);

        using var prefs = await fx.Client(t.AdminKey).GetAsync($"/api/tenants/{t.Code}/residents/{s.WifeId}/preferences");
        Assert.Equal(HttpStatusCode.OK, prefs.StatusCode);
        using var sink = await fx.Client(t.StaffKey).GetAsync($"/api/tenants/{t.Code}/notifications");
        Assert.Equal(HttpStatusCode.OK, sink.StatusCode);

        var audit = await AuditAsync(t);
        var caseReads = audit.Where(e => e.Action == "case.read").ToList();
        Assert.Equal(3, caseReads.Count);
        Assert.All(caseReads, e =>
        {
            Assert.Equal($"staff:{t.StaffKeyId}", e.Actor);
            Assert.Equal(s.CaseId, e.CaseId);
            Assert.Equal(200, e.Status);
            Assert.Equal(shown.Order(), e.ResidentIds.Order());
            Assert.Equal($"GET /api/tenants/{t.Code}/cases/{s.CaseId}", e.Route);
        });
        Assert.Equal(3, caseReads.Select(e => e.Id).Distinct().Count());

        var prefRead = Assert.Single(audit, e => e.Action == "preferences.read");
        Assert.Equal($"admin:{t.AdminKeyId}", prefRead.Actor);
        Assert.Equal([s.WifeId], prefRead.ResidentIds);
        var sinkRead = Assert.Single(audit, e => e.Action == "notifications.read");
        Assert.Equal($"staff:{t.StaffKeyId}", sinkRead.Actor);
        Assert.Contains("revealed=False", sinkRead.Detail);
    }

    [Fact]
    public async Task Staff_actions_are_audited_with_their_outcome_and_refused_requests_leave_no_row()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 302);
        var staff = fx.Client(t.StaffKey);

        using var note = await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/notes", new { text = "窓口で説明済み" });
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        using var takeover = await staff.PostAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/events/staff-takeover", null);
        Assert.Equal(HttpStatusCode.Accepted, takeover.StatusCode);
        using var missing = await staff.GetAsync($"/api/tenants/{t.Code}/cases/no-such-case");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // Refused before the handler: another tenant's key, a portal key on a staff route, no key.
        var other = await fx.NewTenantAsync();
        using var cross = await fx.Client(other.StaffKey).GetAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}");
        using var portal = await fx.Client(t.PortalKey).GetAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}");
        using var anonymous = await fx.Client(null).GetAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}");
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized], new[] { cross.StatusCode, portal.StatusCode, anonymous.StatusCode });

        var audit = await AuditAsync(t);
        var noteRow = Assert.Single(audit, e => e.Action == "case.note");
        Assert.Equal(201, noteRow.Status);
        Assert.Equal($"staff:{t.StaffKeyId}", noteRow.Actor);
        Assert.DoesNotContain("窓口", noteRow.Detail);
        var takeoverRow = Assert.Single(audit, e => e.Action == "case.event");
        Assert.Equal(202, takeoverRow.Status);
        Assert.Equal(s.CaseId, takeoverRow.CaseId);
        var missingRow = Assert.Single(audit, e => e.Action == "case.read");
        Assert.Equal(404, missingRow.Status);
        Assert.Equal("no-such-case", missingRow.CaseId);
        Assert.Empty(await AuditAsync(other));
    }

    [Fact]
    public async Task No_route_updates_or_deletes_the_audit()
    {
        var t = await fx.NewTenantAsync();
        using var read = await fx.Client(t.StaffKey).GetAsync($"/api/tenants/{t.Code}/escalations");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var before = await AuditAsync(t);
        var row = Assert.Single(before);

        var admin = fx.Client(t.AdminKey);
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Post, HttpMethod.Delete, HttpMethod.Patch })
        {
            foreach (var path in new[] { "audit", $"audit/{row.Id}", $"audit?id={row.Id}" })
            {
                using var request = new HttpRequestMessage(method, $"/api/tenants/{t.Code}/{path}") { Content = new StringContent("{\"actor\":\"nobody\"}", Encoding.UTF8, "application/json") };
                using var response = await admin.SendAsync(request);
                Assert.True(response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal(before.Select(e => (e.Id, e.Actor, e.Action, e.Status)), (await AuditAsync(t)).Select(e => (e.Id, e.Actor, e.Action, e.Status)));

        // And in the table: the row is as written (one partition per tenant and month, inverted-time key).
        var table = fx.Storage.Table(StorageNames.Tables.Audit);
        var entity = (await table.GetEntityAsync<TableEntity>(AuditLog.Partition(t.Code, row.At), row.Id)).Value;
        Assert.Equal("escalations.list", entity.GetString("Action"));
        Assert.Equal($"staff:{t.StaffKeyId}", entity.GetString("Actor"));
    }

    [Fact]
    public async Task Audit_pages_run_newest_first_across_months_and_honour_from_and_to()
    {
        var t = await fx.NewTenantAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 9, 28, 0, 0, 0, TimeSpan.Zero));
        var log = new AuditLog(fx.Storage, clock);
        for (var i = 0; i < 12; i++)
        {
            await log.AppendAsync(t.Code, "staff:x", "case.read", null, $"c{i:D2}", [$"r{i}"], 200, null, CancellationToken.None);
            clock.Advance(TimeSpan.FromDays(1)); // crosses from September into October
        }

        var seen = new List<AuditEntry>();
        string? token = null;
        var pages = 0;
        do
        {
            var (entries, next) = await log.ListAsync(t.Code, new DateTimeOffset(2026, 9, 30, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 6, 0, 0, 0, TimeSpan.Zero), token, 2, CancellationToken.None);
            seen.AddRange(entries);
            token = next;
            pages++;
        }
        while (token is not null && pages < 20);

        Assert.Equal(["c07", "c06", "c05", "c04", "c03", "c02"], seen.Select(e => e.CaseId));
    }
}
