using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Residents;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

/// <summary>The bugs an outside fuzzer found (issue 18), one test each.</summary>
[Collection("Api")]
public sealed class ContractBugTests(ApiFixture fx)
{
    private const string Secret = "event-grid-secret-for-contract-tests-0123456789";
    private const string EntraTenant = "00000000-0000-0000-0000-0000000000e9";
    private const string EntraAudience = "api://pushgov-webhooks-test";

    private static readonly SymmetricSecurityKey SigningKey = new(Enumerable.Range(0, 32).Select(i => (byte)(i * 13 + 5)).ToArray()) { KeyId = "eg-key" };

    private static StringContent StopFrom(string phone) => new(
        $$"""[{"id":"in-{{Guid.NewGuid():N}}","topic":"t","subject":"/phonenumber/+81","eventType":"Microsoft.Communication.SMSReceived","eventTime":"2099-01-01T00:00:00Z","data":{"messageId":"Incoming_1","from":"{{phone}}","to":"+81500000000","message":"STOP","receivedTimestamp":"2099-01-01T00:00:00Z"},"dataVersion":"1","metadataVersion":"1"}]""",
        Encoding.UTF8,
        "application/json");

    /// <summary>A scenario whose SMS number is its own (a STOP must touch no other test's resident) and was texted (the opt-out index knows it).</summary>
    private async Task<Scenario> TextedAsync(TestTenant t, int serial)
    {
        var phone = $"0908765{serial:D4}";
        var s = await Scenario.BirthAsync(fx, t.Code, Pii.Default with { Phone = phone, PhoneE164 = "+81" + phone[1..] }, serial: serial);
        await fx.Service<SendIndex>().RecordSmsRecipientAsync(s.Pii.PhoneE164, t.Code, s.WifeId, $"m-{serial}", DateTimeOffset.UtcNow, CancellationToken.None);
        return s;
    }

    private static async Task<bool> SmsConsentAsync(ApiFixture fx, Scenario s) =>
        (await fx.Service<ResidentStore>().ContactsAsync(s.Tenant, s.WifeId, CancellationToken.None)).Where(c => c.Channel == Channel.Sms).OrderByDescending(c => c.ConsentedAt).First().Consent;

    [Fact]
    public async Task Bug1_without_authentication_configured_the_Event_Grid_webhook_refuses_a_forged_STOP_and_says_so_at_start()
    {
        var t = await fx.NewTenantAsync();
        var s = await TextedAsync(t, 181);
        await using var app = new ApiFactory(fx.Azurite.ConnectionString);
        using var client = app.CreateClient();

        using var forged = await client.PostAsync("/api/events/acs", StopFrom(s.Pii.PhoneE164));
        using var withSomeCode = await client.PostAsync("/api/events/acs?code=anything", StopFrom(s.Pii.PhoneE164));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withSomeCode.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.True(await SmsConsentAsync(fx, s), "a forged STOP withdrew consent");
        Assert.Contains("Event Grid webhook POST /api/events/acs is DISABLED", app.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bug1_with_a_secret_the_webhook_takes_it_in_the_delivery_attribute_header_or_the_code_and_nothing_else()
    {
        var t = await fx.NewTenantAsync();
        var s = await TextedAsync(t, 182);
        await using var app = new ApiFactory(fx.Azurite.ConnectionString, new Dictionary<string, string?> { ["PushGov:EventGrid:Secret"] = Secret });
        using var client = app.CreateClient();

        using var none = await client.PostAsync("/api/events/acs", StopFrom(s.Pii.PhoneE164));
        using var wrong = await client.PostAsync($"/api/events/acs?code={Secret}x", StopFrom(s.Pii.PhoneE164));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.True(await SmsConsentAsync(fx, s));

        // A secret too short to be one, or a Key Vault reference that did not resolve (its literal text), is no authentication at all.
        foreach (var weakSecret in new[] { "short", "@Microsoft.KeyVault(SecretUri=https://pushgov-kv.vault.azure.net/secrets/eventgrid-webhook-secret/)" })
        {
            await using var weak = new ApiFactory(fx.Azurite.ConnectionString, new Dictionary<string, string?> { ["PushGov:EventGrid:Secret"] = weakSecret });
            using var weakRequest = new HttpRequestMessage(HttpMethod.Post, "/api/events/acs") { Content = StopFrom(s.Pii.PhoneE164) };
            weakRequest.Headers.Add(ApiContract.EventGridSecretHeader, weakSecret);
            using var weakAnswer = await weak.CreateClient().SendAsync(weakRequest);
            Assert.Equal(HttpStatusCode.Unauthorized, weakAnswer.StatusCode);
            Assert.Contains("is DISABLED", weak.Logs.Text, StringComparison.Ordinal);
        }

        Assert.True(await SmsConsentAsync(fx, s));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/acs") { Content = StopFrom(s.Pii.PhoneE164) };
        request.Headers.Add(ApiContract.EventGridSecretHeader, Secret);
        using var header = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.False(await SmsConsentAsync(fx, s));
        Assert.Contains("authenticated by the shared secret", app.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bug1_with_Entra_configured_the_webhook_needs_an_Event_Grid_token_of_that_tenant_and_audience()
    {
        var t = await fx.NewTenantAsync();
        var s = await TextedAsync(t, 183);
        await using var app = new ApiFactory(
            fx.Azurite.ConnectionString,
            new Dictionary<string, string?> { ["PushGov:EventGrid:EntraTenantId"] = EntraTenant, ["PushGov:EventGrid:EntraAudience"] = EntraAudience },
            services =>
            {
                var configuration = new OpenIdConnectConfiguration();
                configuration.SigningKeys.Add(SigningKey);
                services.AddSingleton(new EventGridSigningKeys(new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<OpenIdConnectConfiguration>(configuration)));
            });
        using var client = app.CreateClient();

        async Task<HttpStatusCode> PostAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/acs") { Content = StopFrom(s.Pii.PhoneE164) };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(Token($"https://sts.windows.net/{EntraTenant}/", "api://someone-else")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(Token("https://sts.windows.net/another-tenant/", EntraAudience)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(Token($"https://sts.windows.net/{EntraTenant}/", EntraAudience, expires: DateTime.UtcNow.AddHours(-1))));
        Assert.True(await SmsConsentAsync(fx, s));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Token($"https://sts.windows.net/{EntraTenant}/", EntraAudience)));
        Assert.False(await SmsConsentAsync(fx, s));
    }

    private static string Token(string issuer, string audience, DateTime? expires = null)
    {
        var end = expires ?? DateTime.UtcNow.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("appid", "4962773b-9cdb-44cf-a8bf-237846a00ab7")]),
            NotBefore = end.AddHours(-2),
            IssuedAt = end.AddHours(-2),
            Expires = end,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task Bug2_a_numeric_outcome_state_or_channel_is_refused_naming_the_field_and_never_stored()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 184);
        var staff = fx.Client(t.StaffKey);

        foreach (var outcome in new[] { "999", "1", "Applied,Declined", "applied", " Applied", "None" })
        {
            using var close = await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/events/close", new { outcome });
            Assert.Equal(HttpStatusCode.BadRequest, close.StatusCode);
            Assert.True((await Errors(close)).ContainsKey("outcome"), outcome);
        }

        var stored = (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!;
        Assert.True(stored.IsOpen);
        Assert.Equal(CaseOutcome.None, stored.Outcome);

        using var state = await staff.GetAsync($"/api/tenants/{t.Code}/cases?state=4");
        Assert.Equal(HttpStatusCode.BadRequest, state.StatusCode);
        Assert.True((await Errors(state)).ContainsKey("state"));

        using var resend = await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/resend", new { residentId = s.HeadId, channel = "2" });
        Assert.Equal(HttpStatusCode.BadRequest, resend.StatusCode);
        Assert.True((await Errors(resend)).ContainsKey("channel"));

        using var closed = await staff.PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/events/close", new { outcome = "ClosedByStaff" });
        Assert.Equal(HttpStatusCode.Accepted, closed.StatusCode);
        Assert.Equal("ClosedByStaff", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Bug3_admin_and_test_keys_may_take_over_and_close_a_case_as_staff_can_and_a_portal_key_may_not()
    {
        var t = await fx.NewTenantAsync();
        foreach (var (key, serial) in new[] { (t.AdminKey, 185), (t.TestKey, 186) })
        {
            var s = await Scenario.BirthAsync(fx, t.Code, serial: serial);
            using var portal = await fx.Client(t.PortalKey).PostAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/events/staff-takeover", null);
            Assert.Equal(HttpStatusCode.Forbidden, portal.StatusCode);

            using var takeover = await fx.Client(key).PostAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/events/staff-takeover", null);
            Assert.Equal(HttpStatusCode.Accepted, takeover.StatusCode);
            using var close = await fx.Client(key).PostAsJsonAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/events/close", new { outcome = "Applied" });
            Assert.Equal(HttpStatusCode.Accepted, close.StatusCode);
            await Wait.Eventually(async () => (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!.State == CaseState.Closed, "the case closed");
        }

        // One check everywhere: a test key reads cases like staff, not the audit; reveal needs the admin's permission.
        using var cases = await fx.Client(t.TestKey).GetAsync($"/api/tenants/{t.Code}/cases");
        using var audit = await fx.Client(t.TestKey).GetAsync($"/api/tenants/{t.Code}/audit");
        using var reveal = await fx.Client(t.StaffKey).GetAsync($"/api/tenants/{t.Code}/notifications?reveal=true");
        using var adminReveal = await fx.Client(t.AdminKey).GetAsync($"/api/tenants/{t.Code}/notifications?reveal=true");
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK],
            new[] { cases.StatusCode, audit.StatusCode, reveal.StatusCode, adminReveal.StatusCode });
    }

    [Fact]
    public async Task Bug4_a_drop_is_taken_as_text_csv_or_octet_stream_and_a_415_names_the_types_of_its_route()
    {
        var t = await fx.NewTenantAsync();
        var staff = fx.Client(t.StaffKey);
        const string Csv = "resident_id,channel,address,language,consent,consented_at\n";

        foreach (var type in new[] { "application/octet-stream", "text/csv", "text/csv; charset=utf-8" })
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Csv));
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            using var upload = await staff.PostAsync($"/api/tenants/{t.Code}/drops/contacts?name=c-{Guid.NewGuid():N}.csv", content);
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        }

        using var json = JsonContent.Create(new { x = 1 });
        using var wrong = await staff.PostAsync($"/api/tenants/{t.Code}/drops/contacts?name=wrong.csv", json);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrong.StatusCode);
        var detail = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("text/csv or application/octet-stream", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("application/json", detail.Split(';')[0], StringComparison.Ordinal);

        var s = await Scenario.BirthAsync(fx, t.Code, serial: 187);
        using var csvToJsonRoute = await staff.PostAsync($"/api/tenants/{t.Code}/cases/{s.CaseId}/notes", new StringContent("text\nx", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, csvToJsonRoute.StatusCode);
        Assert.StartsWith("This route takes application/json;", (await csvToJsonRoute.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bug5_an_invalid_continuation_token_is_400_naming_it_and_a_valid_one_pages_on()
    {
        var t = await fx.NewTenantAsync();
        await Scenario.BirthAsync(fx, t.Code, serial: 188);
        await Scenario.BirthAsync(fx, t.Code, serial: 189);
        var staff = fx.Client(t.StaffKey);
        var admin = fx.Client(t.AdminKey);

        var first = await staff.GetFromJsonAsync<JsonElement>($"/api/tenants/{t.Code}/cases?pageSize=1");
        var token = first.GetProperty("continuationToken").GetString()!;
        using var next = await staff.GetAsync($"/api/tenants/{t.Code}/cases?pageSize=1&continuationToken={Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);

        var other = await fx.NewTenantAsync();
        foreach (var (client, url) in new[]
        {
            (staff, $"/api/tenants/{t.Code}/cases?continuationToken=garbage"),
            (staff, $"/api/tenants/{t.Code}/cases?continuationToken={Uri.EscapeDataString(token[..^2])}"),
            (staff, $"/api/tenants/{t.Code}/cases?state=Escalated&continuationToken={Uri.EscapeDataString(token)}"),
            (fx.Client(other.StaffKey), $"/api/tenants/{other.Code}/cases?continuationToken={Uri.EscapeDataString(token)}"),
            (admin, $"/api/tenants/{t.Code}/audit?continuationToken=MjAyNjExfGp1bms"),
            (admin, $"/api/tenants/{t.Code}/audit?continuationToken={Uri.EscapeDataString(token)}"),
        })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await Errors(response)).ContainsKey("continuationToken"), url);
        }
    }

    [Theory]
    [InlineData("cases?pageSize=abc", "pageSize")]
    [InlineData("cases?pageSize=0", "pageSize")]
    [InlineData("cases?pageSize=201", "pageSize")]
    [InlineData("cases?from=2026-13-45", "from")]
    [InlineData("cases?to=yesterday", "to")]
    [InlineData("cases?pageSize=1&pageSize=2", "pageSize")]
    [InlineData("notifications?max=abc", "max")]
    [InlineData("notifications?max=0", "max")]
    [InlineData("notifications?reveal=maybe", "reveal")]
    [InlineData("audit?from=garbage", "from")]
    [InlineData("audit?pageSize=1001", "pageSize")]
    [InlineData("drops/residents?name=..%2Fx.csv", "name")]
    [InlineData("drops/nonsense?name=x.csv", "dataset")]
    public async Task Bug5_every_400_names_the_parameter_that_was_wrong(string path, string parameter)
    {
        var t = await fx.NewTenantAsync();
        var client = fx.Client(t.AdminKey);
        using var response = path.StartsWith("drops/", StringComparison.Ordinal)
            ? await client.PostAsync($"/api/tenants/{t.Code}/{path}", new StringContent("a\n1\n", Encoding.UTF8, "text/csv"))
            : await client.GetAsync($"/api/tenants/{t.Code}/{path}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([parameter], (await Errors(response)).Keys);
    }

    private static async Task<Dictionary<string, string[]>> Errors(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("errors", out var errors)
            ? errors.Deserialize<Dictionary<string, string[]>>()!
            : [];
    }
}
