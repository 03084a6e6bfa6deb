using System.Net;
using System.Net.Http.Json;
using PushGov.Domain;
using PushGov.Functions.Api;
using PushGov.Infrastructure.Reporting;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Tests.Api;

/// <summary>The routes the staff portal needed: dashboard figures, the drops list, the catalog and the audited read of a case's people.</summary>
[Collection("Api")]
public sealed class DashboardTests(ApiFixture fx)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Fact]
    public async Task The_dashboard_counts_the_days_drops_events_cases_messages_and_post_only_share_of_the_tenant_only()
    {
        var t = await fx.NewTenantAsync();
        var other = await fx.NewTenantAsync();
        await Scenario.BirthAsync(fx, t.Code, serial: 601);
        await Scenario.BirthAsync(fx, other.Code, serial: 602);
        var staff = fx.Client(t.StaffKey);

        var report = (await staff.GetFromJsonAsync<DashboardReport>($"/api/tenants/{t.Code}/dashboard", Json))!;
        Assert.Equal(JapanTime.Today(TimeProvider.System.GetUtcNow()), report.From);
        Assert.Equal(3, report.Drops.Count);
        Assert.All(report.Drops, d => Assert.True(d.Reported));
        var changes = Assert.Single(report.Drops, d => d.Dataset == "resident-changes");
        Assert.Equal(1, changes.Accepted);
        Assert.Equal(1, changes.Events);
        Assert.Equal(1, Assert.Single(report.LifeEvents, e => e.Key == "BIRTH").Count);
        Assert.Equal(report.LifeEvents.Sum(e => e.Count), report.CasesByState.Sum(c => c.Count));
        var messages = report.Messages.Sum(m => m.Count);
        Assert.True(messages >= 1, $"{messages} messages");
        Assert.Equal(0, report.PostOnly.ReachedOnlyByPost);

        // A range before today shows nothing (the take-up funnel has its own route: TakeUpTests).
        var yesterday = JapanTime.Today(TimeProvider.System.GetUtcNow()).AddDays(-1);
        var past = (await staff.GetFromJsonAsync<DashboardReport>($"/api/tenants/{t.Code}/dashboard?from={yesterday.AddDays(-30):yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}", Json))!;
        Assert.Empty(past.Drops);
        Assert.Empty(past.LifeEvents);

        using var backwards = await staff.GetAsync($"/api/tenants/{t.Code}/dashboard?from=2026-12-02&to=2026-12-01");
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        using var tooLong = await staff.GetAsync($"/api/tenants/{t.Code}/dashboard?from=2020-01-01&to=2026-12-01");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        using var notADay = await staff.GetAsync($"/api/tenants/{t.Code}/dashboard?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, notADay.StatusCode);
        using var otherTenant = await staff.GetAsync($"/api/tenants/{other.Code}/dashboard");
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        using var portal = await fx.Client(t.PortalKey).GetAsync($"/api/tenants/{t.Code}/dashboard");
        Assert.Equal(HttpStatusCode.Forbidden, portal.StatusCode);
    }

    [Fact]
    public async Task The_drops_list_shows_each_drop_with_its_report_and_the_rejected_rows_reasons()
    {
        var t = await fx.NewTenantAsync();
        await fx.IngestAsync(t.Code, "contacts",
            "resident_id,channel,address,language,consent,consented_at\n" +
            "100000102,sms,090-1234-5678,ja,1,2026-04-01\n" +
            "100000103,fax,03-1234-5678,ja,1,2026-04-01\n" +
            "100000104,pigeon,x,ja,1,2026-04-01\n");
        var staff = fx.Client(t.StaffKey);
        var listing = (await staff.GetFromJsonAsync<DashboardApi.DropListing>($"/api/tenants/{t.Code}/drops", Json))!;
        var drop = Assert.Single(listing.Drops);
        Assert.Equal("contacts", drop.Dataset);
        Assert.Equal(3, drop.RowsRead);
        Assert.Equal(1, drop.Accepted);
        Assert.Equal(2, drop.RejectedCount);
        Assert.Equal(2, drop.TopReasons.Sum(r => r.Rows));
        Assert.DoesNotContain(drop.TopReasons, r => r.Reason.Contains("03-1234-5678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_catalog_lists_services_with_rule_versions_and_deadlines()
    {
        var t = await fx.NewTenantAsync();
        var catalog = (await fx.Client(t.StaffKey).GetFromJsonAsync<TenantCatalogView>($"/api/tenants/{t.Code}/catalog", Json))!;
        Assert.Equal(t.Code, catalog.Tenant);
        Assert.True(catalog.Services.Count >= 5);
        Assert.All(catalog.Services, s => Assert.NotEmpty(s.Versions));
        Assert.All(catalog.Services, s => Assert.True(s.Names.ContainsKey("ja")));
        Assert.Contains(catalog.Services.SelectMany(s => s.Versions).SelectMany(v => v.Parts), p => p.Deadline != "none");
        using var missing = await fx.Client(t.StaffKey).GetAsync($"/api/tenants/{ApiFixture.NewTenantCode()}/catalog");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Opening_a_cases_people_shows_them_in_clear_and_audits_every_resident_shown()
    {
        var t = await fx.NewTenantAsync();
        var other = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 611);
        var staff = fx.Client(t.StaffKey);
        var view = (await staff.GetFromJsonAsync<CasePeopleApi.CasePeopleView>($"/api/tenants/{t.Code}/cases/{s.CaseId}/people", Json))!;
        var child = Assert.Single(view.People, p => p.ResidentId == s.ChildId);
        Assert.Contains("subject", child.Roles);
        Assert.Equal(s.Pii.ChildGivenName, child.GivenName);
        var head = Assert.Single(view.People, p => p.ResidentId == s.HeadId);
        Assert.Contains("recipient", head.Roles);
        Assert.Contains(head.Contacts, c => c.Channel == "email" && c.Address == s.Pii.Email && c.Consent);

        using var elsewhere = await fx.Client(other.StaffKey).GetAsync($"/api/tenants/{other.Code}/cases/{s.CaseId}/people");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        using var crossKey = await fx.Client(other.StaffKey).GetAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/people");
        Assert.Equal(HttpStatusCode.NotFound, crossKey.StatusCode);

        var audit = (await fx.Client(t.AdminKey).GetFromJsonAsync<AuditApi.AuditPage>($"/api/tenants/{t.Code}/audit", Json))!;
        var row = Assert.Single(audit.Entries, e => e.Action == view.AuditedAs);
        Assert.Equal($"staff:{t.StaffKeyId}", row.Actor);
        Assert.Equal(s.CaseId, row.CaseId);
        Assert.Equal(view.People.Select(p => p.ResidentId).Order(), row.ResidentIds.Order());
        Assert.DoesNotContain(s.Pii.ChildGivenName, row.Detail ?? string.Empty, StringComparison.Ordinal);
    }
}
