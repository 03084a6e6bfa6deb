using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Functions.Api;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;

namespace PushGov.Functions.Tests.Api;

[Collection("Api")]
public sealed class PreferencesTests(ApiFixture fx)
{
    private static string Url(TestTenant t, string residentId) => $"/api/tenants/{t.Code}/residents/{residentId}/preferences";

    [Fact]
    public async Task A_portal_choice_is_normalised_and_stored_with_source_portal()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 401);
        var portal = fx.Client(t.PortalKey);

        using var put = await portal.PutAsJsonAsync(Url(t, s.HeadId), new
        {
            language = "PT-br",
            taxDataConsent = true,
            channels = new object[]
            {
                new { channel = "sms", address = " 080-1111-2222 ", consent = true },
                new { channel = "email", address = "new.address@example.jp", consent = true },
            },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var got = await portal.GetFromJsonAsync<PreferencesApi.Preferences>(Url(t, s.HeadId));
        Assert.NotNull(got);
        Assert.Equal("pt-BR", got.Language);
        Assert.True(got.TaxDataConsent);
        var sms = Assert.Single(got.Channels, c => c.Channel == "sms");
        Assert.Equal("+818011112222", sms.Address);
        Assert.True(sms.Consent);
        Assert.Equal("portal", sms.Source);
        var email = Assert.Single(got.Channels, c => c.Channel == "email");
        Assert.Equal("new.address@example.jp", email.Address);
        Assert.Equal("pt-BR", email.Language);
        Assert.True(await fx.Service<ResidentStore>().HasTaxConsentAsync(t.Code, s.HeadId, CancellationToken.None));
    }

    [Fact]
    public async Task Validation_errors_name_each_field()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 402);
        using var put = await fx.Client(t.PortalKey).PutAsJsonAsync(Url(t, s.HeadId), new
        {
            language = "日本語",
            channels = new object[]
            {
                new { channel = "sms", address = "03-1234-5678", consent = true },
                new { channel = "email", address = "not an address", consent = true },
                new { channel = "fax", address = "x", consent = true },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await put.Content.ReadAsStringAsync());
        var fields = doc.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["channels[0].address", "channels[1].address", "channels[2].channel", "language"], fields);
        Assert.Contains("mobile", doc.RootElement.GetProperty("errors").GetProperty("channels[0].address")[0].GetString());

        using var consentWithoutAddress = await fx.Client(t.PortalKey).PutAsJsonAsync(Url(t, s.HeadId), new { channels = new object[] { new { channel = "post", consent = true }, new { channel = "post", consent = false } } });
        using var doc2 = JsonDocument.Parse(await consentWithoutAddress.Content.ReadAsStringAsync());
        Assert.Equal(["channels[0].address", "channels[1].channel"], doc2.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        // Nothing was written.
        var contacts = await fx.Service<ResidentStore>().ContactsAsync(t.Code, s.HeadId, CancellationToken.None);
        Assert.DoesNotContain(contacts, c => c.Source == "portal");
    }

    [Fact]
    public async Task An_unknown_resident_is_404()
    {
        var t = await fx.NewTenantAsync();
        using var get = await fx.Client(t.PortalKey).GetAsync(Url(t, "999999999"));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var put = await fx.Client(t.PortalKey).PutAsJsonAsync(Url(t, "999999999"), new { language = "ja" });
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task A_newer_portal_choice_wins_over_a_drop_of_older_consent()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 403);
        using var put = await fx.Client(t.PortalKey).PutAsJsonAsync(Url(t, s.WifeId), new { channels = new[] { new { channel = "sms", address = "070-3333-4444", consent = true } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // The municipal system sends its (older) record again, after the portal choice.
        await fx.IngestAsync(t.Code, "contacts", $"resident_id,channel,address,language,consent,consented_at\n{s.WifeId},sms,{s.Pii.Phone},ja,1,2026-05-01\n");

        var stored = await fx.Service<ResidentStore>().ContactsAsync(t.Code, s.WifeId, CancellationToken.None);
        Assert.Equal(["drop", "portal"], stored.Where(c => c.Channel == Channel.Sms).Select(c => c.Source).Order());
        var got = await fx.Client(t.PortalKey).GetFromJsonAsync<PreferencesApi.Preferences>(Url(t, s.WifeId));
        var sms = Assert.Single(got!.Channels, c => c.Channel == "sms");
        Assert.Equal("+817033334444", sms.Address);
        Assert.Equal("portal", sms.Source);
    }

    [Fact]
    public async Task A_withdrawal_cancels_a_queued_message_at_once_and_it_is_never_sent()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 404);
        var messages = fx.Service<MessageStore>();
        var now = DateTimeOffset.UtcNow;
        var queued = new MessageRecord
        {
            Tenant = t.Code,
            MessageId = "m-withdrawal-test-404",
            CaseId = s.CaseId,
            ResidentId = s.WifeId,
            Channel = Channel.Sms,
            To = s.Pii.PhoneE164,
            Language = "ja",
            ServiceIds = ["x"],
            Purpose = "reminder",
            Text = "テスト",
            TemplateVersion = "t1",
            Status = NotificationStatus.Created,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Assert.True(await messages.TryAddAsync(queued, CancellationToken.None));

        using var put = await fx.Client(t.PortalKey).PutAsJsonAsync(Url(t, s.WifeId), new { channels = new[] { new { channel = "sms", consent = false } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // Cancelled when the answer comes, before any sender ran: its queue message is taken only now (had it been
        // enqueued before the withdrawal, a sender could win the race and send first, which is not this case).
        Assert.Equal(NotificationStatus.Cancelled, (await messages.GetAsync(t.Code, queued.MessageId, CancellationToken.None))!.Value.Message.Status);
        await fx.Storage.Queue(StorageNames.Queues.Send).SendMessageAsync(new SendQueueMessage(t.Code, queued.MessageId).ToJson());
        await fx.DrainAsync();
        Assert.Equal(NotificationStatus.Cancelled, (await messages.GetAsync(t.Code, queued.MessageId, CancellationToken.None))!.Value.Message.Status);
        var sink = await fx.Service<DevSink>().ListAsync(t.Code, 1000, CancellationToken.None);
        Assert.DoesNotContain(sink, e => e.MessageId == queued.MessageId);

        // The address is kept (the resident only withdrew consent), the consent is off, from the portal.
        var got = await fx.Client(t.PortalKey).GetFromJsonAsync<PreferencesApi.Preferences>(Url(t, s.WifeId));
        var sms = Assert.Single(got!.Channels, c => c.Channel == "sms");
        Assert.False(sms.Consent);
        Assert.Equal(s.Pii.PhoneE164, sms.Address);
        Assert.Equal("portal", sms.Source);

        // And the log says so without the number.
        Assert.Contains(fx.Factory.Logs.Lines, l => l.Contains("Consent for Sms withdrawn", StringComparison.Ordinal) && l.Contains("+81*******321", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_preferred_channel_is_stored_returned_and_cleared_with_none()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 405);
        var portal = fx.Client(t.PortalKey);

        using var put = await portal.PutAsJsonAsync(Url(t, s.WifeId), new { preferredChannel = "sms" });
        var answered = await put.Content.ReadFromJsonAsync<PreferencesApi.Preferences>();
        var got = await portal.GetFromJsonAsync<PreferencesApi.Preferences>(Url(t, s.WifeId));
        using var clear = await portal.PutAsJsonAsync(Url(t, s.WifeId), new { preferredChannel = "none" });
        var cleared = await portal.GetFromJsonAsync<PreferencesApi.Preferences>(Url(t, s.WifeId));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(("sms", "sms"), (answered!.PreferredChannel, got!.PreferredChannel));
        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        Assert.Null(cleared!.PreferredChannel);
        Assert.Null(await fx.Service<ResidentStore>().PreferredChannelAsync(t.Code, s.WifeId, CancellationToken.None));
    }

    [Fact]
    public async Task A_preferred_channel_without_a_consented_address_is_400_naming_preferredChannel_unless_the_same_request_consents_to_it()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 406);
        var portal = fx.Client(t.PortalKey);

        using var email = await portal.PutAsJsonAsync(Url(t, s.WifeId), new { preferredChannel = "email" });
        using var line = await portal.PutAsJsonAsync(Url(t, s.WifeId), new { preferredChannel = "line" });
        using var post = await portal.PutAsJsonAsync(Url(t, s.WifeId), new { preferredChannel = "post" });
        using var unknown = await portal.PutAsJsonAsync(Url(t, s.WifeId), new { preferredChannel = "fax", language = "en" });
        var unchanged = await fx.Service<ResidentStore>().ContactsAsync(t.Code, s.WifeId, CancellationToken.None);
        using var withConsent = await portal.PutAsJsonAsync(Url(t, s.WifeId), new { preferredChannel = "email", channels = new[] { new { channel = "email", address = "misaki@example.jp", consent = true } } });

        foreach (var (refused, says) in new[] { (email, "no email address they consented to"), (line, "link the LINE account first"), (post, "Post is not a preference"), (unknown, "One of line, sms, email") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            var errors = problem.RootElement.GetProperty("errors");
            Assert.Equal(["preferredChannel"], errors.EnumerateObject().Select(p => p.Name));
            Assert.Contains(says, errors.GetProperty("preferredChannel")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(unchanged, c => c.Source == "portal"); // a refused request writes nothing
        Assert.Equal(HttpStatusCode.OK, withConsent.StatusCode);
        Assert.Equal("email", (await withConsent.Content.ReadFromJsonAsync<PreferencesApi.Preferences>())!.PreferredChannel);
    }

    [Fact]
    public async Task A_preferred_channel_the_municipality_does_not_send_on_is_400()
    {
        var t = await fx.NewTenantAsync(c => c with { ChannelOrder = [Channel.Sms, Channel.Line] });
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 407);

        using var put = await fx.Client(t.PortalKey).PutAsJsonAsync(Url(t, s.HeadId), new { preferredChannel = "email" });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("does not send on email", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_household_snapshot_the_resolve_step_reads_carries_the_preferred_channel()
    {
        var t = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, t.Code, serial: 408);

        using var put = await fx.Client(t.PortalKey).PutAsJsonAsync(Url(t, s.WifeId), new { preferredChannel = "sms" });
        var (snapshot, _) = await fx.Service<ResidentStore>().SnapshotAsync(t.Code, s.HouseholdId, null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(new Dictionary<string, Channel> { [s.WifeId] = Channel.Sms }, snapshot.PreferredChannels);
    }
}
