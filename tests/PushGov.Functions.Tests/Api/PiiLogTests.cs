using System.Net;
using System.Net.Http.Json;

namespace PushGov.Functions.Tests.Api;

/// <summary>
/// A whole flow with known personal data — drops in, a case, messages out through the sink, then the portal and staff
/// APIs (including refused and failing requests) — and every log line the app wrote, with scopes and exceptions, is
/// searched for that data.
/// </summary>
[Collection("Api")]
public sealed class PiiLogTests(ApiFixture fx)
{
    private static readonly Pii Known = new("高橋", "翔太", "結衣", "陽葵", "080-5555-6666", "+818055556666", "shota.takahashi@example.org", "8130017", "福岡市東区香椎照葉5-6-7");

    [Fact]
    public async Task The_logs_of_a_whole_flow_hold_no_name_phone_email_or_address()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, Known, serial: 601);

        // A contacts drop with a broken row that repeats the data (the report may name the line, never the value).
        await fx.IngestAsync(t.Code, "contacts", $"resident_id,channel,address,language,consent,consented_at\n{s.WifeId},sms,{Known.Phone}x,ja,1,2026-04-01\n{s.HeadId},email,{Known.Email}@,ja,1,2026-04-01\n");

        var staff = fx.Client(t.StaffKey);
        var portal = fx.Client(t.PortalKey);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/tenants/{t.Code}/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync($"/api/tenants/{t.Code}/residents/{s.WifeId}/preferences")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await portal.PutAsJsonAsync($"/api/tenants/{t.Code}/residents/{s.HeadId}/preferences", new { channels = new[] { new { channel = "email", address = Known.Email + " " + Known.Address, consent = true } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.PutAsJsonAsync($"/api/tenants/{t.Code}/residents/{s.WifeId}/preferences", new { channels = new[] { new { channel = "sms", consent = false } } })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/resend", new { residentId = s.HeadId, channel = "post" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/notes", new { text = $"{Known.FamilyName}{Known.HeadGivenName}さんに電話 {Known.Phone}" })).StatusCode);
        await fx.DrainAsync();

        // The flow really ran and really logged (the test could fail).
        var sink = await fx.Service<Infrastructure.Notifications.Providers.Development.DevSink>().ListAsync(t.Code, 100, CancellationToken.None);
        Assert.Contains(sink, e => e.To == Known.Email);
        Assert.Contains(sink, e => e.To.Contains(Known.Address, StringComparison.Ordinal));
        var text = fx.Factory.Logs.Text;
        Assert.Contains(t.Code, text);
        Assert.Contains("Send via", text);
        Assert.Contains("withdrawn", text);

        var found = Known.Secrets.Where(secret => text.Contains(secret, StringComparison.Ordinal)).ToList();
        var lines = fx.Factory.Logs.Lines.Where(l => found.Any(f => l.Contains(f, StringComparison.Ordinal))).Take(5);
        Assert.True(found.Count == 0, $"Personal data in the logs: {string.Join(", ", found)}\n{string.Join("\n", lines)}");
    }
}
