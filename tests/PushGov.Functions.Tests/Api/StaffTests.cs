using System.Net;
using System.Net.Http.Json;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Functions.Api;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

[Collection("Api")]
public sealed class StaffTests(ApiFixture fx)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public sealed record Detail(CasesApi.CaseSummary Summary, string? AssignedTo, List<HistoryEntry> History, List<CasesApi.MessageStatusView> Messages);

    [Fact]
    public async Task A_note_is_appended_to_the_case_history_with_the_staff_actor()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 501);
        var staff = fx.Client(t.StaffKey);
        var before = (await staff.GetFromJsonAsync<Detail>($"/api/tenants/{t.Code}/cases/{s.CaseId}", Json))!;

        using var first = await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/notes", new { text = "電話で申請方法を説明" });
        using var second = await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/notes", new { text = "来庁予定 12/1" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        using var empty = await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/notes", new { text = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using var missing = await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/nope/notes", new { text = "x" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var after = (await staff.GetFromJsonAsync<Detail>($"/api/tenants/{t.Code}/cases/{s.CaseId}", Json))!;
        var notes = after.History.Where(h => h.Cause == "note").ToList();
        Assert.Equal(["電話で申請方法を説明", "来庁予定 12/1"], notes.Select(n => n.Detail));
        Assert.All(notes, n => Assert.Equal($"staff:{t.StaffKeyId}", n.Actor));
        Assert.All(notes, n => Assert.Equal(before.Summary.State, n.To.ToString()));
        Assert.Equal(before.History.Count + 2, after.History.Count);
        Assert.Equal(before.Summary.State, after.Summary.State);
    }

    [Fact]
    public async Task Notes_posted_at_the_same_moment_on_one_case_are_all_kept()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 502);
        var staff = fx.Client(t.StaffKey);

        // Each request counts the notes there are and takes the next version: at once, they count the same notes.
        var texts = Enumerable.Range(1, 8).Select(i => $"同時のメモ {i}").ToList();
        var answers = await Task.WhenAll(texts.Select(text => staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/notes", new { text })));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var stored = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<HistoryEntry>(Json)));
        Assert.Equal(8, stored.Select(n => n!.Version).Distinct().Count());
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        var after = (await staff.GetFromJsonAsync<Detail>($"/api/tenants/{t.Code}/cases/{s.CaseId}", Json))!;
        Assert.Equal(texts.Order(StringComparer.Ordinal), after.History.Where(h => h.Cause == "note").Select(n => n.Detail!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Escalations_list_escalated_cases_earliest_deadline_first()
    {
        var t = await fx.NewTenantAsync();
        var later = await Scenario.BirthAsync(fx, t.Code, serial: 511, bornDaysAgo: 1);
        var sooner = await Scenario.BirthAsync(fx, t.Code, serial: 512, bornDaysAgo: 5);
        var untouched = await Scenario.BirthAsync(fx, t.Code, serial: 513, bornDaysAgo: 3);
        var staff = fx.Client(t.StaffKey);
        foreach (var s in new[] { later, sooner })
        {
            using var takeover = await staff.PostAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/events/staff-takeover", null);
            Assert.Equal(HttpStatusCode.Accepted, takeover.StatusCode);
        }

        // The 202 means the case took the input; the list reads the projection, which the case writes next.
        CasesApi.CaseList list = null!;
        await Wait.Eventually(async () => (list = (await staff.GetFromJsonAsync<CasesApi.CaseList>($"/api/tenants/{t.Code}/escalations"))!).Cases.Count == 2, "both escalations listed");
        Assert.Equal([sooner.CaseId, later.CaseId], list.Cases.Select(c => c.CaseId));
        Assert.All(list.Cases, c => Assert.Equal("Escalated", c.State));
        Assert.DoesNotContain(list.Cases, c => c.CaseId == untouched.CaseId);
    }

    [Fact]
    public async Task Resend_on_another_channel_sends_once_and_only_where_the_resident_may_be_reached()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 521);
        var staff = fx.Client(t.StaffKey);
        var url = $"/api/tenants/{t.Code}/cases/{s.CaseId}/resend";

        // The head consented to e-mail only: SMS is refused; a letter to the registered address is possible.
        using var sms = await staff.PostAsJsonAsync(url, new { residentId = s.HeadId, channel = "sms" });
        Assert.Equal(HttpStatusCode.Conflict, sms.StatusCode);
        using var notRecipient = await staff.PostAsJsonAsync(url, new { residentId = "123456789", channel = "post" });
        Assert.Equal(HttpStatusCode.BadRequest, notRecipient.StatusCode);

        using var post = await staff.PostAsJsonAsync(url, new { residentId = s.HeadId, channel = "post" });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var accepted = (await post.Content.ReadFromJsonAsync<StaffApi.ResendAccepted>())!;
        Assert.False(accepted.Repeated);
        using var again = await staff.PostAsJsonAsync(url, new { residentId = s.HeadId, channel = "post" });
        var repeated = (await again.Content.ReadFromJsonAsync<StaffApi.ResendAccepted>())!;
        Assert.True(repeated.Repeated);
        Assert.Equal(accepted.MessageId, repeated.MessageId);

        await fx.DrainAsync();
        var sink = await fx.Service<DevSink>().ListAsync(t.Code, 1000, CancellationToken.None);
        var letter = Assert.Single(sink, e => e.MessageId == accepted.MessageId);
        Assert.Equal("Post", letter.Channel);
        Assert.Contains(s.Pii.Address, letter.To);
        var stored = (await fx.Service<MessageStore>().GetAsync(t.Code, accepted.MessageId, CancellationToken.None))!.Value.Message;
        Assert.Equal(StaffApi.ResendPurpose, stored.Purpose);
        Assert.Equal(s.CaseId, stored.CaseId);
        Assert.NotEqual(NotificationStatus.Created, stored.Status);
    }
}
