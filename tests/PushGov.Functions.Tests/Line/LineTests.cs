using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;
using PushGov.Functions.Tests.Support;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Line;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;
using PushGov.Testing.Fakes;

namespace PushGov.Functions.Tests.Line;

/// <summary>
/// LINE end to end: the real app (trigger host included) on Azurite, the fake LINE platform on loopback as api.line.me,
/// a live tenant whose LINE channel is configured. The account link goes follow → link token → portal → accountLink.
/// </summary>
[Collection("Azurite")]
public sealed class LineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Secret = "line-channel-secret-for-tests";
    private const string Taro = "300000101";
    private const string Hanako = "300000102";
    private const string TaroLine = "U1111111111111111111111111111111a";

    private readonly string tenant = TestTenants.Next();
    private FakeLinePlatform line = null!;
    private FakeDomesticSmsProvider sms = null!;
    private PushGovApp app = null!;
    private HttpClient admin = null!;
    private HttpClient portal = null!;
    private HttpClient anonymous = null!;

    public async Task InitializeAsync()
    {
        line = await FakeLinePlatform.StartAsync();
        sms = await FakeDomesticSmsProvider.StartAsync();
        app = new PushGovApp(azurite.ConnectionString, settings: new Dictionary<string, string>
        {
            ["PushGov:DomesticSms:Endpoint"] = sms.Endpoint.AbsoluteUri,
            ["PushGov:DomesticSms:Secret"] = sms.Secret,
            ["PushGov:Line:BaseUrl"] = line.BaseAddress.AbsoluteUri,
            ["PushGov:Line:RequestTimeout"] = "00:00:01",
            [$"PushGov:Line:Tenants:{tenant}:ChannelAccessToken"] = line.AccessToken,
            [$"PushGov:Line:Tenants:{tenant}:ChannelSecret"] = Secret,
        });
        (_, admin, _) = await app.NewTenantAsync(ApiRole.Admin, tenant);
        var tenants = app.Services.GetRequiredService<TenantStore>();
        // The SMS fallbacks below must not wait for the morning when the test runs in the evening in Tokyo.
        var config = TestTenants.QuietHoursAwayFromNow((await tenants.GetAsync(tenant, CancellationToken.None))! with { LiveSending = true, PortalBaseUrl = "https://portal.example.jp" });
        await tenants.SaveAsync(config, create: false, CancellationToken.None);
        var (portalKey, _) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(tenant, ApiRole.ResidentPortal, "portal", CancellationToken.None);
        portal = app.ClientWith(portalKey);
        anonymous = app.CreateClient();
        await DropAsync("residents", "1.csv", EndToEndTests.Household);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await line.DisposeAsync();
        await sms.DisposeAsync();
    }

    private ResidentStore Residents => app.Services.GetRequiredService<ResidentStore>();

    private async Task DropAsync(string dataset, string name, string csv)
    {
        var blob = app.Storage.Container(StorageNames.Containers.Drops).GetBlobClient($"{tenant}/{dataset}/{name}");
        await blob.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
        var report = app.Storage.Container(StorageNames.Containers.DropReports).GetBlobClient($"{tenant}/{dataset}/{name}.report.json");
        await Wait.Eventually(async () => (bool)await report.ExistsAsync(), $"the report of {dataset}/{name}");
    }

    private Task<HttpResponseMessage> WebhookAsync(byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/tenants/{tenant}/events/line", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(LineSignature.HeaderName, signature);
        }

        return anonymous.SendAsync(request);
    }

    private Task<HttpResponseMessage> SignedAsync(params JsonObject[] events)
    {
        var body = FakeLinePlatform.Webhook.Body(events);
        return WebhookAsync(body, FakeLinePlatform.Webhook.Sign(Secret, body));
    }

    /// <summary>The whole account link: follow → invitation with a link token → the portal → accountLink with the nonce.</summary>
    private async Task LinkAsync(string residentId, string userId)
    {
        var replies = line.Replies.Count;
        Assert.Equal(HttpStatusCode.OK, (await SignedAsync(FakeLinePlatform.Webhook.Event("follow", userId))).StatusCode);
        var invitation = line.Replies[replies].Messages;
        var portalPage = new Uri(invitation[1]!["contents"]!["footer"]!["contents"]![0]!["action"]!["uri"]!.GetValue<string>());
        Assert.Equal("https://portal.example.jp/line/link", portalPage.GetLeftPart(UriPartial.Path));
        var linkToken = System.Web.HttpUtility.ParseQueryString(portalPage.Query)["linkToken"]!;

        var started = await portal.PostAsJsonAsync($"/api/tenants/{tenant}/residents/{residentId}/line-link", new { linkToken });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var redirect = new Uri((await started.Content.ReadFromJsonAsync<JsonObject>())!["redirectUrl"]!.GetValue<string>());
        Assert.Equal(LineAccountLinks.AccountLinkDialog, redirect.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(redirect.Query);
        Assert.Equal(linkToken, query["linkToken"]);

        Assert.Equal(HttpStatusCode.OK, (await SignedAsync(FakeLinePlatform.Webhook.AccountLink(userId, query["nonce"]!))).StatusCode);
    }

    [Fact]
    public async Task A_linked_resident_gets_a_birth_cases_message_on_line_exactly_once_even_when_the_first_push_times_out_after_line_took_it()
    {
        await LinkAsync(Taro, TaroLine);
        var contact = Assert.Single(await Residents.ContactsAsync(tenant, Taro, CancellationToken.None));
        Assert.Equal((Channel.Line, TaroLine, true, LineAccountLinks.LinkSource), (contact.Channel, contact.Address, contact.Consent, contact.Source));

        line.Enqueue(new FakeAnswer(200, Delay: TimeSpan.FromSeconds(4))); // taken, then answered after the client gave up
        await DropAsync("resident-changes", "2.csv", EndToEndTests.Birth);

        await Wait.Eventually(() => Task.FromResult(line.Pushes.Any(p => p.AnsweredStatus == 409)), "the retry of the timed-out push", TimeSpan.FromSeconds(60));
        var delivered = Assert.Single(line.Delivered, p => p.To == TaroLine);
        Assert.Contains("太郎さん", delivered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("山田", delivered.Text, StringComparison.Ordinal);
        Assert.All(line.Pushes.Where(p => p.To == TaroLine), p => Assert.Equal(delivered.RetryKey, p.RetryKey));

        var cases = await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/cases");
        var caseId = cases!["cases"]!.AsArray().Single(c => c!["kind"]!.GetValue<string>() == "BIRTH")!["caseId"]!.GetValue<string>();
        Assert.StartsWith($"https://portal.example.jp/r/{tenant}/{caseId}/", delivered.ButtonUri, StringComparison.Ordinal); // the resident's signed link
        var messages = app.Services.GetRequiredService<MessageStore>();
        await Wait.Eventually(
            async () => (await messages.ListForCaseAsync(tenant, caseId, CancellationToken.None)).Any(m => m.Channel == Channel.Line && m.Status == NotificationStatus.Delivered),
            "the LINE message delivered");
        var message = (await messages.ListForCaseAsync(tenant, caseId, CancellationToken.None)).Single(m => m.Channel == Channel.Line);
        Assert.Equal((LineSender.ProviderName, 2), (message.Provider, message.Attempts));
        Assert.Single(line.Delivered, p => p.To == TaroLine);
    }

    [Fact]
    public async Task A_missing_or_wrong_signature_is_401_and_changes_nothing()
    {
        var body = FakeLinePlatform.Webhook.Body(FakeLinePlatform.Webhook.Event("follow", TaroLine));

        var missing = await WebhookAsync(body, null);
        var wrong = await WebhookAsync(body, FakeLinePlatform.Webhook.Sign("another-secret", body));
        var tampered = await WebhookAsync([.. body, (byte)' '], FakeLinePlatform.Webhook.Sign(Secret, body));

        Assert.All([missing, wrong, tampered], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Empty(line.LinkTokenUsers);
        Assert.Empty(line.Replies);
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(body, FakeLinePlatform.Webhook.Sign(Secret, body))).StatusCode);
        Assert.Equal([TaroLine], line.LinkTokenUsers);
    }

    [Fact]
    public async Task A_webhook_for_a_tenant_without_a_line_channel_is_404()
    {
        var body = FakeLinePlatform.Webhook.Body(FakeLinePlatform.Webhook.Event("follow", TaroLine));

        var response = await anonymous.PostAsync(new Uri($"/api/tenants/{TestTenants.Next()}/events/line", UriKind.Relative), new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Follow_alone_consents_to_nothing_and_a_redelivered_event_changes_nothing()
    {
        var follow = FakeLinePlatform.Webhook.Event("follow", TaroLine);

        var first = await (await SignedAsync(follow)).Content.ReadFromJsonAsync<JsonObject>();
        var again = await (await SignedAsync(follow)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal((1, 0), (first!["handled"]!.GetValue<int>(), first["repeated"]!.GetValue<int>()));
        Assert.Equal((0, 1), (again!["handled"]!.GetValue<int>(), again["repeated"]!.GetValue<int>()));
        Assert.Single(line.Replies);
        Assert.Empty(await Residents.ContactsAsync(tenant, Taro, CancellationToken.None));
    }

    [Fact]
    public async Task An_account_link_with_an_unknown_nonce_or_a_failed_result_links_nobody()
    {
        var start = await portal.PostAsJsonAsync($"/api/tenants/{tenant}/residents/{Hanako}/line-link", new { linkToken = "ltSomething" });
        var nonce = System.Web.HttpUtility.ParseQueryString(new Uri((await start.Content.ReadFromJsonAsync<JsonObject>())!["redirectUrl"]!.GetValue<string>()).Query)["nonce"]!;

        await SignedAsync(FakeLinePlatform.Webhook.AccountLink(TaroLine, "an-unknown-nonce-0123456789"));
        await SignedAsync(FakeLinePlatform.Webhook.AccountLink(TaroLine, nonce, result: "failed"));

        Assert.Empty(await Residents.ContactsAsync(tenant, Hanako, CancellationToken.None));
        Assert.Empty(await Residents.ContactsAsync(tenant, Taro, CancellationToken.None));
    }

    [Fact]
    public async Task Unfollow_withdraws_line_consent_at_once_and_cancels_the_queued_line_message()
    {
        await LinkAsync(Hanako, TaroLine);
        var messages = app.Services.GetRequiredService<MessageStore>();
        var now = DateTimeOffset.UtcNow;
        await messages.TryAddAsync(
            new MessageRecord
            {
                Tenant = tenant,
                MessageId = "m-queued-line",
                CaseId = "case-unfollow",
                ResidentId = Hanako,
                Channel = Channel.Line,
                To = TaroLine,
                Language = "ja",
                ServiceIds = ["jidou-teate"],
                Purpose = "initial",
                Text = "花子さん",
                TemplateVersion = "t@1",
                Status = NotificationStatus.Created,
                NotBefore = now.AddHours(1),
                CreatedAt = now,
                UpdatedAt = now,
            },
            CancellationToken.None);

        var unfollow = FakeLinePlatform.Webhook.Event("unfollow", TaroLine);
        Assert.Equal(HttpStatusCode.OK, (await SignedAsync(unfollow)).StatusCode);
        var contactsAfter = await Residents.ContactsAsync(tenant, Hanako, CancellationToken.None);
        await SignedAsync(unfollow); // redelivered: nothing more

        Assert.Equal(NotificationStatus.Cancelled, (await messages.GetAsync(tenant, "m-queued-line", CancellationToken.None))!.Value.Message.Status);
        var newest = contactsAfter.Where(c => c.Channel == Channel.Line).OrderByDescending(c => c.ConsentedAt).First();
        Assert.Equal((false, OptOuts.LineUnfollowSource), (newest.Consent, newest.Source));
        Assert.Equal(contactsAfter.Count, (await Residents.ContactsAsync(tenant, Hanako, CancellationToken.None)).Count);
        var prefs = await portal.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/residents/{Hanako}/preferences");
        Assert.Contains(prefs!["channels"]!.AsArray(), c => c!["channel"]!.GetValue<string>() == "line" && !c["consent"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_portal_may_withdraw_line_consent_but_not_give_it_without_the_account_link()
    {
        var give = await portal.PutAsJsonAsync($"/api/tenants/{tenant}/residents/{Taro}/preferences", new { channels = new[] { new { channel = "line", consent = true } } });
        var withdraw = await portal.PutAsJsonAsync($"/api/tenants/{tenant}/residents/{Taro}/preferences", new { channels = new[] { new { channel = "line", consent = false } } });

        Assert.Equal(HttpStatusCode.BadRequest, give.StatusCode);
        Assert.Contains("channels[0].consent", await give.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
    }

    [Fact]
    public async Task The_link_route_checks_the_link_token_and_the_resident()
    {
        var noToken = await portal.PostAsJsonAsync($"/api/tenants/{tenant}/residents/{Taro}/line-link", new { linkToken = "" });
        var badToken = await portal.PostAsJsonAsync($"/api/tenants/{tenant}/residents/{Taro}/line-link", new { linkToken = "a b" });
        var nobody = await portal.PostAsJsonAsync($"/api/tenants/{tenant}/residents/999999999/line-link", new { linkToken = "ltok" });
        var staff = await admin.PostAsJsonAsync($"/api/tenants/{tenant}/residents/{Taro}/line-link", new { linkToken = "ltok" });

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
    }

    [Fact]
    public async Task Staff_see_the_quota_and_that_line_stops_near_the_limit()
    {
        line.SetQuota(1000, usedBefore: 960);

        var state = await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/line/quota?refresh=true");

        Assert.Equal((1000L, 960L, 95, false), (state!["limit"]!.GetValue<long>(), state["used"]!.GetValue<long>(), state["stopAtPercent"]!.GetValue<int>(), state["available"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync(new Uri($"/api/tenants/{tenant}/line/quota", UriKind.Relative))).StatusCode);
    }

    private async Task<string> BirthCaseAsync()
    {
        await DropAsync("resident-changes", "3.csv", EndToEndTests.Birth);
        string? caseId = null;
        await Wait.Eventually(
            async () => (caseId = (await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/cases"))!["cases"]!.AsArray().FirstOrDefault(c => c!["kind"]!.GetValue<string>() == "BIRTH")?["caseId"]?.GetValue<string>()) is not null,
            "the BIRTH case");
        return caseId!;
    }

    /// <summary>Waits until the case has an SMS to Taro accepted by the SMS provider, and returns the case's messages then.</summary>
    private async Task<IReadOnlyList<MessageRecord>> SmsAcceptedAsync(string caseId)
    {
        var messages = app.Services.GetRequiredService<MessageStore>();
        await Wait.Eventually(
            async () => (await messages.ListForCaseAsync(tenant, caseId, CancellationToken.None)).Any(m => m.Channel == Channel.Sms && m.ProviderMessageId is not null),
            "the SMS accepted by the provider",
            TimeSpan.FromSeconds(60));
        return await messages.ListForCaseAsync(tenant, caseId, CancellationToken.None);
    }

    [Fact]
    public async Task A_line_message_that_finds_the_quota_nearly_spent_when_it_is_sent_goes_by_sms_exactly_once_and_staff_see_line_stopped()
    {
        await DropAsync("contacts", "2.csv", EndToEndTests.Contacts);
        await LinkAsync(Taro, TaroLine);
        line.SetQuota(1000, usedBefore: 100);
        Assert.True((await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/line/quota?refresh=true"))!["available"]!.GetValue<bool>());
        line.Enqueue([.. Enumerable.Repeat(FakeAnswer.Throttled("2"), 8)]); // LINE busy: the message waits for its retry

        var caseId = await BirthCaseAsync();
        await Wait.Eventually(() => Task.FromResult(line.Pushes.Any(p => p.To == TaroLine)), "the first push (throttled)", TimeSpan.FromSeconds(60));
        line.SetQuota(1000, usedBefore: 960); // meanwhile the month's quota is nearly spent
        var quota = await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/line/quota?refresh=true");
        var messages = await SmsAcceptedAsync(caseId);

        Assert.False(quota!["available"]!.GetValue<bool>());
        Assert.Empty(line.Delivered);
        var text = Assert.Single(sms.Received, r => r.ProviderId is not null);
        Assert.Equal("+819012345678", text.To);
        Assert.Single(sms.Received.Select(r => r.IdempotencyKey).Distinct());
        var lineMessage = Assert.Single(messages, m => m.Channel == Channel.Line);
        var smsMessage = Assert.Single(messages, m => m.Channel == Channel.Sms);
        Assert.Equal(NotificationStatus.Cancelled, lineMessage.Status);
        Assert.StartsWith($"{Domain.Cases.CancelMessage.SupersededPrefix}{smsMessage.MessageId}: line → sms: LINE not available: 960 of 1000", lineMessage.LastError, StringComparison.Ordinal);
        Assert.Equal(Domain.Cases.MessageIds.Rerouted(lineMessage.MessageId, Channel.Sms), smsMessage.MessageId);
        Assert.Equal(smsMessage.Purpose, lineMessage.Purpose);

        var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/cases/{caseId}");
        Assert.Equal("Notified", detail!["summary"]!["state"]!.GetValue<string>());
        Assert.Contains(detail["history"]!.AsArray(), e => e!["cause"]!.GetValue<string>() == "delivery-rerouted" && e["detail"]!.GetValue<string>().StartsWith("line → sms: LINE not available", StringComparison.Ordinal));

        var dashboard = await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/dashboard");
        Assert.Equal((true, false), (dashboard!["line"]!["configured"]!.GetValue<bool>(), dashboard["line"]!["available"]!.GetValue<bool>()));
        Assert.Contains("960 of 1000", dashboard["line"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_monthly_limit_answer_moves_the_message_to_sms_and_line_stays_stopped_for_the_tenant()
    {
        await DropAsync("contacts", "2.csv", EndToEndTests.Contacts);
        await LinkAsync(Taro, TaroLine);
        line.SetQuota(1000, usedBefore: 100);
        await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/line/quota?refresh=true"); // the reading PushGov has: plenty left
        line.SetQuota(1000, usedBefore: 1000); // but LINE counts otherwise (messages sent from the LINE console)

        var caseId = await BirthCaseAsync();
        var messages = await SmsAcceptedAsync(caseId);

        Assert.Empty(line.Delivered);
        Assert.Contains(line.Pushes, p => p.AnsweredStatus == 429);
        Assert.Single(sms.Received, r => r.ProviderId is not null);
        Assert.Equal(NotificationStatus.Cancelled, Assert.Single(messages, m => m.Channel == Channel.Line).Status);
        var quota = await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/line/quota");
        Assert.False(quota!["available"]!.GetValue<bool>());
        Assert.Contains("monthly limit", quota["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resident_who_prefers_sms_gets_sms_although_line_is_linked_and_first_in_the_tenants_order()
    {
        await DropAsync("contacts", "2.csv", EndToEndTests.Contacts);
        await LinkAsync(Taro, TaroLine);
        var put = await portal.PutAsJsonAsync($"/api/tenants/{tenant}/residents/{Taro}/preferences", new { preferredChannel = "sms" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var caseId = await BirthCaseAsync();
        var messages = await SmsAcceptedAsync(caseId);

        Assert.Equal([Channel.Sms], messages.Select(m => m.Channel));
        Assert.Empty(line.Pushes);
        Assert.Single(sms.Received);
    }
}
