using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Functions.Tests.Support;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;
using PushGov.Testing.Sending;

namespace PushGov.Functions.Tests.Sending;

/// <summary>The sending endpoints of the real app (on the local host) over a real Azurite of its own.</summary>
public sealed class SendingApiTests : IAsyncLifetime
{
    private const string Tenant = "401307";
    private const string EventGridSecret = "eg-secret-for-tests-0123456789-abcdefghij";
    private const string DomesticSecret = "domestic-secret-for-tests-0123456789";

    private Azurite azurite = null!;
    private StorageClients storage = null!;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string CaseId, CaseInput Input)> handed = new();
    private PushGovApp app = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        app = new PushGovApp(azurite.ConnectionString, services: s => s.AddSingleton<ICaseInbox>(sp => new RecordingInbox(sp.GetRequiredService<PushGov.Functions.Cases.DurableCases>(), handed)), settings: new Dictionary<string, string>
        {
            ["PushGov:EventGrid:Secret"] = EventGridSecret,
            ["PushGov:DomesticSms:Endpoint"] = "http://127.0.0.1:9/",
            ["PushGov:DomesticSms:Secret"] = DomesticSecret,
        });
        http = app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task Event_grid_validation_is_answered_with_the_code_and_a_missing_secret_is_refused()
    {
        var body = """[{"id":"v1","topic":"t","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-24T01:00:00Z","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://x"},"dataVersion":"1","metadataVersion":"1"}]""";

        var refused = await http.PostAsync("/api/events/acs", Json(body));
        var answered = await http.PostAsync($"/api/events/acs?code={EventGridSecret}", Json(body));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using var doc = JsonDocument.Parse(await answered.Content.ReadAsStringAsync());
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", doc.RootElement.GetProperty("validationResponse").GetString());
    }

    [Fact]
    public async Task Sms_and_email_delivery_reports_update_the_messages_and_tell_the_cases()
    {
        await SendingAsync("m-sms", Channel.Sms, "+14255550123", "Outgoing_0001", "case-a");
        await SendingAsync("m-mail", Channel.Email, "taro@example.jp", "6f0c0f7e-0000-8000-8000-000000000001", "case-b");
        var body = """
            [{"id":"e1","topic":"t","subject":"/phonenumber/+14255550123","eventType":"Microsoft.Communication.SMSDeliveryReportReceived","eventTime":"2099-01-01T00:00:00Z",
              "data":{"messageId":"Outgoing_0001","from":"+18005550100","to":"+14255550123","deliveryStatus":"Delivered","deliveryStatusDetails":"No error.","deliveryAttempts":[],"tag":"m-sms"},"dataVersion":"1.0","metadataVersion":"1"},
             {"id":"e2","topic":"t","subject":"sender/x","eventType":"Microsoft.Communication.EmailDeliveryReportReceived","eventTime":"2099-01-01T00:00:00Z",
              "data":{"sender":"DoNotReply@x","recipient":"taro@example.jp","messageId":"6f0c0f7e-0000-8000-8000-000000000001","status":"Bounced","deliveryStatusDetails":{"statusMessage":"no mailbox"}},"dataVersion":"1.0","metadataVersion":"1"}]
            """;

        var response = await http.PostAsync($"/api/events/acs?code={EventGridSecret}", Json(body));
        var again = await http.PostAsync($"/api/events/acs?code={EventGridSecret}", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(NotificationStatus.Delivered, (await GetAsync("m-sms")).Status);
        var mail = await GetAsync("m-mail");
        Assert.Equal(NotificationStatus.PermanentFailure, mail.Status);
        Assert.Equal("Bounced: no mailbox", mail.LastError);
        var steps = await CaseStepsAsync();
        Assert.Equal(2, steps.Count); // the repeat changed nothing
        Assert.Contains(steps, s => s.CaseId == "case-a" && s.Input == new DeliveryReported("m-sms", DeliveryState.Delivered));
        Assert.Contains(steps, s => s.CaseId == "case-b" && s.Input == new DeliveryReported("m-mail", DeliveryState.Failed));
    }

    [Fact]
    public async Task A_report_for_a_message_not_yet_recorded_asks_event_grid_to_deliver_it_again()
    {
        var body = """[{"id":"e9","topic":"t","subject":"s","eventType":"Microsoft.Communication.SMSDeliveryReportReceived","eventTime":"2099-01-01T00:00:00Z","data":{"messageId":"Outgoing_unknown","from":"+1","to":"+1","deliveryStatus":"Delivered"},"dataVersion":"1.0","metadataVersion":"1"}]""";

        var response = await http.PostAsync($"/api/events/acs?code={EventGridSecret}", Json(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_domestic_callback_updates_the_message_and_a_stale_one_is_refused()
    {
        await SendingAsync("m-jp", Channel.Sms, "+819012345678", "dom-42", "case-jp");
        var body = Encoding.UTF8.GetBytes("""{"id":"dom-42","messageId":"m-jp","status":"delivered","timestamp":"2099-01-01T00:00:00Z"}""");

        var stale = await PostSignedAsync(body, DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal(NotificationStatus.Sending, (await GetAsync("m-jp")).Status);

        var fresh = await PostSignedAsync(body, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(NotificationStatus.Delivered, (await GetAsync("m-jp")).Status);
    }

    [Fact]
    public async Task Stop_by_sms_withdraws_sms_consent_and_cancels_a_queued_message()
    {
        var index = new SendIndex(storage);
        await index.RecordSmsRecipientAsync("+819012345678", Tenant, "R0042", "m-old", DateTimeOffset.UtcNow, CancellationToken.None);
        await AddAsync(Message("m-queued", Channel.Sms, "+819012345678", "case-stop", "R0042") with { Status = NotificationStatus.Created });
        var body = """[{"id":"in1","topic":"t","subject":"/phonenumber/+18005550100","eventType":"Microsoft.Communication.SMSReceived","eventTime":"2099-01-01T00:00:00Z","data":{"messageId":"Incoming_1","from":"+819012345678","to":"+18005550100","message":"配信停止","receivedTimestamp":"2099-01-01T00:00:00Z"},"dataVersion":"1.0","metadataVersion":"1"}]""";

        var response = await http.PostAsync($"/api/events/acs?code={EventGridSecret}", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(NotificationStatus.Cancelled, (await GetAsync("m-queued")).Status);
        var contact = Assert.Single(await new ResidentStore(storage).ContactsAsync(Tenant, "R0042", CancellationToken.None));
        Assert.Equal((Channel.Sms, false, "reply", "+819012345678"), (contact.Channel, contact.Consent, contact.Source, contact.Address));
    }

    [Fact]
    public async Task Unsubscribe_get_changes_nothing_and_the_one_click_post_withdraws_email_consent()
    {
        await SendingAsync("m-news", Channel.Email, "hanako@example.jp", "op-1", "case-u", "R0007");
        await new SendIndex(storage).RecordMessageAsync("m-news", Tenant, CancellationToken.None);
        await AddAsync(Message("m-next", Channel.Email, "hanako@example.jp", "case-u2", "R0007") with { Status = NotificationStatus.Created });

        var page = await http.GetAsync("/api/unsubscribe/m-news");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"m-news\">", html, StringComparison.Ordinal);
        Assert.Contains("配信を停止する / Unsubscribe", html, StringComparison.Ordinal);
        Assert.Equal(NotificationStatus.Created, (await GetAsync("m-next")).Status);
        Assert.Empty(await new ResidentStore(storage).ContactsAsync(Tenant, "R0007", CancellationToken.None));

        var wrong = await http.PostAsync("/api/unsubscribe/m-news", new FormUrlEncodedContent([new("List-Unsubscribe", "Maybe")]));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var unknown = await http.PostAsync("/api/unsubscribe/m-nope", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var done = await http.PostAsync("/api/unsubscribe/m-news", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("配信を停止しました", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(NotificationStatus.Cancelled, (await GetAsync("m-next")).Status);
        var contact = Assert.Single(await new ResidentStore(storage).ContactsAsync(Tenant, "R0007", CancellationToken.None));
        Assert.Equal((Channel.Email, false, "unsubscribe", "hanako@example.jp"), (contact.Channel, contact.Consent, contact.Source, contact.Address));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PostSignedAsync(byte[] body, DateTimeOffset at)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/domestic-sms") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(DomesticSmsSignature.HeaderName, DomesticSmsSignature.Header(DomesticSecret, at, body));
        return http.SendAsync(request);
    }

    private static MessageRecord Message(string id, Channel channel, string to, string caseId, string residentId = "R0001") =>
        SendingHarness.Message(id, channel, to, Tenant, residentId, caseId) with { Status = NotificationStatus.Sending, CreatedAt = DateTimeOffset.UtcNow };

    private async Task AddAsync(MessageRecord m) => Assert.True(await new MessageStore(storage).TryAddAsync(m, CancellationToken.None));

    /// <summary>A message a provider has taken, as the send worker leaves it.</summary>
    private async Task SendingAsync(string id, Channel channel, string to, string providerId, string caseId, string residentId = "R0001")
    {
        await AddAsync(Message(id, channel, to, caseId, residentId) with { ProviderMessageId = providerId, Attempts = 1 });
        await new SendIndex(storage).RecordProviderIdAsync(providerId, Tenant, id, CancellationToken.None);
    }

    private async Task<MessageRecord> GetAsync(string id) => (await new MessageStore(storage).GetAsync(Tenant, id, CancellationToken.None))!.Value.Message;

    /// <summary>What the endpoints handed to cases (these tests' cases have no orchestration).</summary>
    private Task<IReadOnlyList<(string CaseId, CaseInput Input)>> CaseStepsAsync() => Task.FromResult<IReadOnlyList<(string CaseId, CaseInput Input)>>([.. handed]);

    /// <summary>Records the inputs handed to cases; consent withdrawals go to the real cases (they cancel messages).</summary>
    private sealed class RecordingInbox(ICaseInbox inner, System.Collections.Concurrent.ConcurrentQueue<(string CaseId, CaseInput Input)> handed) : ICaseInbox
    {
        public Task<Decision?> SendAsync(string tenant, string caseId, CaseInput input, CancellationToken ct)
        {
            handed.Enqueue((caseId, input));
            return Task.FromResult<Decision?>(null);
        }

        public Task<int> WithdrawConsentAsync(string tenant, string residentId, Channel channel, CancellationToken ct) => inner.WithdrawConsentAsync(tenant, residentId, channel, ct);

        public Task<HistoryEntry> AddNoteAsync(string tenant, string caseId, HistoryEntry note, CancellationToken ct) => inner.AddNoteAsync(tenant, caseId, note, ct);
    }
}
