using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PushGov.Domain;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Cases;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

[Collection("Api")]
public sealed class ResidentLinkTests(ApiFixture fx)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly ResidentLinkSigner signer = new(TestAppSettings.LinkKey);

    [Fact]
    public async Task The_link_in_a_message_opens_that_residents_own_case_view()
    {
        var (t, s, link) = await Scenario.MessagedAsync(fx, 531);
        var portal = fx.Client(t.PortalKey);

        using var answer = await portal.PostAsJsonAsync(View(t.Code, s.CaseId), new { link });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var view = (await answer.Content.ReadFromJsonAsync<ResidentCaseView>(Json))!;
        Assert.Equal((s.CaseId, s.HeadId, "BIRTH"), (view.CaseId, view.ResidentId, view.EventKind));
        Assert.Contains(view.Offers, o => o.ServiceId == "jidou-teate" && o.DeadlineWareki!.StartsWith("令和", StringComparison.Ordinal));
        var c = (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!;
        Assert.All(view.Offers, o => Assert.Contains(s.HeadId, c.Matches.Single(m => m.ServiceId == o.ServiceId).RecipientIds));
    }

    [Fact]
    public async Task Forged_altered_expired_and_other_cases_links_all_get_the_same_not_found()
    {
        var (t, s, link) = await Scenario.MessagedAsync(fx, 532);
        var other = await Scenario.BirthAsync(fx, t.Code, serial: 533);
        var portal = fx.Client(t.PortalKey);
        var yesterday = JapanTime.Today(DateTimeOffset.UtcNow).AddDays(-1);
        var bad = new[]
        {
            ("forged", new ResidentLinkSigner("an-attackers-own-key-0123456789abcdefgh").Sign(t.Code, s.CaseId, s.HeadId, yesterday.AddDays(60)), s.CaseId),
            ("altered", link[..^1] + (link[^1] == 'A' ? 'B' : 'A'), s.CaseId),
            ("expired", signer.Sign(t.Code, s.CaseId, s.HeadId, yesterday), s.CaseId),
            ("another case", link, other.CaseId),
            ("not a recipient", signer.Sign(t.Code, s.CaseId, "999999999", yesterday.AddDays(60)), s.CaseId),
            ("garbage", "../../etc/passwd", s.CaseId),
        };

        foreach (var (why, token, caseId) in bad)
        {
            using var answer = await portal.PostAsJsonAsync(View(t.Code, caseId), new { link = token });
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, why);
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("No such case or link", problem.GetProperty("title").GetString());
            Assert.DoesNotContain(token, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var answerBad = await portal.PostAsJsonAsync(Answer(t.Code, s.CaseId), new { link = link[..^1] + (link[^1] == 'A' ? 'B' : 'A'), answer = "applied" });
        Assert.Equal(HttpStatusCode.NotFound, answerBad.StatusCode);
        Assert.True((await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!.IsOpen);
    }

    [Fact]
    public async Task Applied_through_the_link_closes_the_case_as_the_residents_act_and_a_second_answer_is_refused()
    {
        var (t, s, link) = await Scenario.MessagedAsync(fx, 534);
        var portal = fx.Client(t.PortalKey);

        using var applied = await portal.PostAsJsonAsync(Answer(t.Code, s.CaseId), new { link, answer = "applied" });
        Assert.Equal(HttpStatusCode.Accepted, applied.StatusCode);
        using var again = await portal.PostAsJsonAsync(Answer(t.Code, s.CaseId), new { link, answer = "declined" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var unknown = await portal.PostAsJsonAsync(Answer(t.Code, s.CaseId), new { link, answer = "close" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        // The 202 means the case took the answer; the projection shows it once the case has written it.
        CaseData stored = null!;
        await Wait.Eventually(async () => (stored = (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!).State == CaseState.Closed, "the case closed");
        Assert.Equal((CaseState.Closed, CaseOutcome.Applied), (stored.State, stored.Outcome));
        var history = await fx.Service<ICaseReader>().GetHistoryAsync(t.Code, s.CaseId, CancellationToken.None);
        Assert.Equal("resident:" + signer.ResidentTag(t.Code, s.CaseId, s.HeadId), history[^1].Actor);
    }

    [Fact]
    public async Task Staff_revoke_a_residents_links_and_only_the_residents_portal_opens_links()
    {
        var (t, s, link) = await Scenario.MessagedAsync(fx, 535);
        using var byStaff = await fx.Client(t.StaffKey).PostAsJsonAsync(View(t.Code, s.CaseId), new { link });
        Assert.Equal(HttpStatusCode.Forbidden, byStaff.StatusCode);
        using var revokeByPortal = await fx.Client(t.PortalKey).PostAsJsonAsync(Revoke(t.Code, s.CaseId), new { residentId = s.HeadId });
        Assert.Equal(HttpStatusCode.Forbidden, revokeByPortal.StatusCode);
        using var notOfTheCase = await fx.Client(t.StaffKey).PostAsJsonAsync(Revoke(t.Code, s.CaseId), new { residentId = "999999999" });
        Assert.Equal(HttpStatusCode.BadRequest, notOfTheCase.StatusCode);

        using var before = await fx.Client(t.PortalKey).PostAsJsonAsync(View(t.Code, s.CaseId), new { link });
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        using var revoke = await fx.Client(t.StaffKey).PostAsJsonAsync(Revoke(t.Code, s.CaseId), new { residentId = s.HeadId });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var after = await fx.Client(t.PortalKey).PostAsJsonAsync(View(t.Code, s.CaseId), new { link });
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    private static string View(string tenant, string caseId) => $"/api/tenants/{tenant}/cases/{caseId}/resident-view";

    private static string Answer(string tenant, string caseId) => $"/api/tenants/{tenant}/cases/{caseId}/resident-answer";

    private static string Revoke(string tenant, string caseId) => $"/api/tenants/{tenant}/cases/{caseId}/resident-links/revoke";
}
