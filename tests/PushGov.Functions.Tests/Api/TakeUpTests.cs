using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using PushGov.Domain;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

/// <summary>The take-up funnel over a drop with known outcomes: one birth applied through its link, one left alone, one taken over by staff.</summary>
[Collection("Api")]
public sealed class TakeUpTests(ApiFixture fx)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Fact]
    public async Task The_funnel_counts_eligible_notified_opened_once_applied_and_taken_over_with_the_median_days()
    {
        var t = await fx.NewTenantAsync(TestTenants.QuietHoursAwayFromNow);
        var other = await fx.NewTenantAsync();
        var applied = await Scenario.BirthAsync(fx, t.Code, serial: 641);
        await Scenario.BirthAsync(fx, t.Code, serial: 642);
        var takenOver = await Scenario.BirthAsync(fx, t.Code, serial: 643);
        var portal = fx.Client(t.PortalKey);
        var staff = fx.Client(t.StaffKey);

        // The head opens the e-mail's link, reloads the page, then answers "applied"; staff take the third case over.
        var link = await LinkAsync(t.Code, applied);
        for (var i = 0; i < 2; i++)
        {
            using var view = await portal.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{applied.CaseId}/resident-view", new { link });
            Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        }

        using var answer = await portal.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{applied.CaseId}/resident-answer", new { link, answer = "applied" });
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        using var takeover = await staff.PostAsync($"/api/tenants/{t.Code}/cases/{takenOver.CaseId}/events/staff-takeover", null);
        Assert.Equal(HttpStatusCode.Accepted, takeover.StatusCode);
        await fx.DrainAsync();

        var report = (await staff.GetFromJsonAsync<TakeUpReport>($"/api/tenants/{t.Code}/takeup", Json))!;

        var closed = (await fx.Service<CaseStore>().GetAsync(t.Code, applied.CaseId, CancellationToken.None))!;
        var days = JapanTime.Today(closed.UpdatedAt).DayNumber - closed.Event.EventDate.DayNumber;
        Assert.Equal(JapanTime.Today(TimeProvider.System.GetUtcNow()), report.To);
        Assert.Equal(new TakeUpRow("total", "all", 3, 3, 1, 1, 1, days), report.Rows[0]);
        Assert.Equal(new TakeUpRow("service", "jidou-teate", 3, 3, 1, 1, 1, days), Assert.Single(report.Rows, r => r.Key == "jidou-teate"));
        Assert.Equal(new TakeUpRow("channel", "email", 3, 3, 1, 1, 1, days), Assert.Single(report.Rows, r => r.Key == "email"));
        Assert.Equal(new TakeUpRow("language", "ja", 3, 3, 1, 1, 1, days), Assert.Single(report.Rows, r => r.Dimension == "language"));

        var yesterday = JapanTime.Today(TimeProvider.System.GetUtcNow()).AddDays(-1);
        var past = (await staff.GetFromJsonAsync<TakeUpReport>($"/api/tenants/{t.Code}/takeup?from={yesterday.AddDays(-30):yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}", Json))!;
        Assert.Equal([new TakeUpRow("total", "all", 0, 0, 0, 0, 0, null)], past.Rows);

        using var backwards = await staff.GetAsync($"/api/tenants/{t.Code}/takeup?from=2026-12-02&to=2026-12-01");
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        using var otherTenant = await staff.GetAsync($"/api/tenants/{other.Code}/takeup");
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        using var byPortal = await portal.GetAsync($"/api/tenants/{t.Code}/takeup");
        Assert.Equal(HttpStatusCode.Forbidden, byPortal.StatusCode);
    }

    /// <summary>The token of the link in the e-mail to the head of the household.</summary>
    private async Task<string> LinkAsync(string tenant, Scenario s)
    {
        var sink = await fx.Service<DevSink>().ListAsync(tenant, 1000, CancellationToken.None);
        var email = Assert.Single(sink, e => e.Channel == "Email" && e.To == s.Pii.Email && e.Text.Contains(s.CaseId, StringComparison.Ordinal));
        var match = Regex.Match(email.Text, $@"/r/{tenant}/{Regex.Escape(s.CaseId)}/([A-Za-z0-9_-]{{{ResidentLinkSigner.TokenLength}}})");
        Assert.True(match.Success, email.Text);
        return match.Groups[1].Value;
    }
}
