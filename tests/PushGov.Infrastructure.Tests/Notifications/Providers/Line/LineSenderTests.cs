using Microsoft.Extensions.Logging.Abstractions;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Infrastructure.Notifications.Providers.Letters;
using PushGov.Infrastructure.Notifications.Providers.Line;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;
using PushGov.Testing.Fakes;

namespace PushGov.Infrastructure.Tests.Notifications.Providers.Line;

/// <summary>The LINE client and sender against the fake LINE platform on loopback; quota rows in Azurite.</summary>
[Collection("Azurite")]
public sealed class LineSenderTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string UserId = "U4af4980629c0b6b8e5f2f0a8e3c0a1b2";

    private FakeLinePlatform line = null!;
    private HttpClient http = null!;
    private string tenant = null!;
    private LineClient client = null!;
    private LineQuota quota = null!;
    private LineSender sender = null!;
    private StorageClients storage = null!;

    public async Task InitializeAsync()
    {
        line = await FakeLinePlatform.StartAsync();
        http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        tenant = TestTenants.Next();
        storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        client = Client(line.AccessToken);
        quota = new LineQuota(client, storage, TimeProvider.System, NullLogger<LineQuota>.Instance);
        sender = new LineSender(client, quota);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await line.DisposeAsync();
    }

    private LineClient Client(string token)
    {
        var options = new LineOptions { BaseUrl = line.BaseAddress };
        options.Tenants[tenant] = new LineChannelOptions { ChannelAccessToken = token, ChannelSecret = "secret-0123456789" };
        return new LineClient(http, options);
    }

    private OutgoingMessage Message(string key = "a") => new()
    {
        Tenant = tenant,
        MessageId = $"m-{key}",
        IdempotencyKey = $"m-{key}",
        Channel = Channel.Line,
        To = UserId,
        TextBody = "花子さん　福岡市からのお知らせです。児童手当の申請が必要です。",
        ActionLabel = "詳しく見る",
        ActionUrl = "https://portal.example.jp/cases/BIRTH-1",
        Language = "ja",
    };

    private TenantConfig Tenant(int stopAt = 95) => new() { Code = tenant, Name = "福岡市", LiveSending = true, LineQuotaStopPercent = stopAt };

    [Fact]
    public async Task A_push_carries_the_bearer_token_the_retry_key_the_text_and_a_card_whose_button_opens_the_case_page()
    {
        var result = await sender.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        var push = Assert.Single(line.Delivered);
        Assert.Equal(UserId, push.To);
        Assert.Equal(LineSender.RetryKeyFor("m-a").ToString(), push.RetryKey);
        Assert.Equal("花子さん　福岡市からのお知らせです。児童手当の申請が必要です。", push.Text);
        Assert.Equal("https://portal.example.jp/cases/BIRTH-1", push.ButtonUri);
        Assert.Equal("flex", push.Messages[1]!["type"]!.GetValue<string>());
        Assert.Equal(0, line.Unauthorized);
    }

    [Fact]
    public void The_retry_key_is_a_uuid_derived_from_the_idempotency_key_and_differs_between_messages()
    {
        Assert.Equal(LineSender.RetryKeyFor("m-a"), LineSender.RetryKeyFor("m-a"));
        Assert.NotEqual(LineSender.RetryKeyFor("m-a"), LineSender.RetryKeyFor("m-b"));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", LineSender.RetryKeyFor("m-a").ToString());
    }

    [Fact]
    public async Task The_same_message_twice_is_delivered_once_and_the_409_counts_as_sent()
    {
        var first = await sender.SendAsync(Message("dup"), CancellationToken.None);
        var second = await sender.SendAsync(Message("dup"), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, first.Outcome);
        Assert.Equal(SendOutcome.Accepted, second.Outcome);
        Assert.Equal(first.ProviderMessageId, second.ProviderMessageId); // x-line-accepted-request-id names the first
        Assert.Single(line.Delivered);
        Assert.Equal([200, 409], line.Pushes.Select(p => p.AnsweredStatus));
    }

    [Fact]
    public async Task A_push_that_times_out_after_line_took_it_is_retried_with_the_same_key_and_not_delivered_twice()
    {
        line.Enqueue(new FakeAnswer(200, Delay: TimeSpan.FromSeconds(5)));

        var first = await sender.SendAsync(Message("slow"), CancellationToken.None);
        var retry = await sender.SendAsync(Message("slow"), CancellationToken.None);

        Assert.Equal(SendOutcome.TransientFailure, first.Outcome);
        Assert.Equal("line: timeout", first.Detail);
        Assert.Equal(SendOutcome.Accepted, retry.Outcome);
        Assert.Single(line.Delivered);
        Assert.Equal(ProviderStatusMap.LookupHttp(ProviderAnswerSource.LinePush, 409), NotificationStatus.Delivered);
    }

    [Fact]
    public async Task A_429_is_throttled_with_a_short_jittered_wait_and_a_5xx_is_transient()
    {
        line.Enqueue(FakeAnswer.Throttled("7"), FakeAnswer.Throttled("0"), FakeAnswer.ServerError);

        var told = await sender.SendAsync(Message("t1"), CancellationToken.None);
        var untold = await sender.SendAsync(Message("t2"), CancellationToken.None);
        var error = await sender.SendAsync(Message("t3"), CancellationToken.None);

        Assert.Equal((SendOutcome.Throttled, TimeSpan.FromSeconds(7)), (told.Outcome, told.RetryAfter!.Value));
        Assert.Equal(SendOutcome.Throttled, untold.Outcome);
        Assert.Equal(SendOutcome.TransientFailure, error.Outcome);
        Assert.Empty(line.Delivered);
    }

    [Fact]
    public async Task A_wrong_channel_access_token_is_refused_by_line_and_fails_without_retry()
    {
        var wrong = new LineSender(Client("not-the-token"), quota);

        var result = await wrong.SendAsync(Message("bad"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(1, line.Unauthorized);
        Assert.Empty(line.Pushes);
    }

    [Fact]
    public async Task The_quota_is_read_from_line_and_line_stops_at_the_tenants_percentage()
    {
        line.SetQuota(1000, usedBefore: 949);

        var below = await quota.StateAsync(Tenant(), refresh: true, CancellationToken.None);
        await sender.SendAsync(Message("q"), CancellationToken.None);
        var at = await quota.StateAsync(Tenant(), refresh: true, CancellationToken.None);

        Assert.Equal((true, 1000L, 949L, true), (below.Configured, below.Limit!.Value, below.Used!.Value, below.Available));
        Assert.Equal((950L, false), (at.Used!.Value, at.Available));
        Assert.False(await quota.IsAvailableAsync(Tenant(), CancellationToken.None));
        Assert.True(await quota.IsAvailableAsync(Tenant(stopAt: 100), CancellationToken.None));
        Assert.True(await quota.IsAvailableAsync(Tenant() with { LiveSending = false }, CancellationToken.None)); // the sink never asks LINE
    }

    [Fact]
    public async Task A_monthly_limit_answer_makes_line_unavailable_for_the_tenant_and_the_message_waits_for_its_retry_to_move_on()
    {
        line.SetQuota(10, usedBefore: 10);

        var result = await sender.SendAsync(Message("over"), CancellationToken.None);

        Assert.Equal(SendOutcome.Throttled, result.Outcome);
        Assert.Empty(line.Delivered);
        Assert.Contains("monthly limit", result.Detail, StringComparison.Ordinal);
        var state = await quota.StateAsync(Tenant(stopAt: 100), refresh: false, CancellationToken.None);
        Assert.False(state.Available);
        Assert.Contains("monthly limit", state.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_without_a_line_channel_is_not_available_and_nothing_is_pushed()
    {
        var other = Tenant() with { Code = TestTenants.Next() };

        var state = await quota.StateAsync(other, refresh: true, CancellationToken.None);
        var result = await sender.SendAsync(Message() with { Tenant = other.Code }, CancellationToken.None);

        Assert.False(state.Configured);
        Assert.False(await quota.IsAvailableAsync(other, CancellationToken.None));
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Empty(line.Pushes);
    }

    [Fact]
    public async Task The_selector_routes_line_at_lines_rate_per_channel_and_refuses_it_once_the_quota_is_nearly_spent()
    {
        var tenants = new TenantStore(storage);
        await tenants.SaveAsync(Tenant(stopAt: 90), create: true, CancellationToken.None);
        var selector = new ProviderSelector(
            new TenantDirectory(tenants, TimeProvider.System),
            new DevSink(storage, TimeProvider.System),
            new LetterSender(storage, TimeProvider.System),
            new SendingOptions(),
            line: sender,
            lineQuota: quota);
        var record = new MessageRecord
        {
            Tenant = tenant,
            MessageId = "m-route",
            CaseId = "case-1",
            ResidentId = "R1",
            Channel = Channel.Line,
            To = UserId,
            Language = "ja",
            ServiceIds = ["jidou-teate"],
            Purpose = "initial",
            Text = "花子さん",
            TemplateVersion = "t@1",
            Status = NotificationStatus.Created,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        line.SetQuota(1000, usedBefore: 899);
        await quota.StateAsync(Tenant(stopAt: 90), refresh: true, CancellationToken.None);
        var open = await selector.RouteAsync(record, CancellationToken.None);
        line.SetQuota(1000, usedBefore: 900);
        await quota.StateAsync(Tenant(stopAt: 90), refresh: true, CancellationToken.None);
        var closed = await selector.RouteAsync(record, CancellationToken.None);

        Assert.Null(open.Refusal);
        Assert.Same(sender, open.Sender);
        Assert.True(open.IsSynchronous); // no delivery report: a 200 is delivered
        Assert.Equal($"line|{tenant}", open.Pacing!.RateKey);
        Assert.Equal(new Domain.Messaging.Pacing.RateLimitRule(2000, TimeSpan.FromSeconds(1)), Assert.Single(open.Pacing.Rules));
        Assert.StartsWith("LINE not available: 900 of 1000 messages used (stop at 90%)", closed.Refusal, StringComparison.Ordinal);
        Assert.True(closed.ChannelStopped); // the message moves to the resident's next channel (ChannelFallback)
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("not base64!", false)]
    [InlineData("AAAA", false)]
    public void A_missing_or_malformed_signature_is_not_valid(string? header, bool valid)
    {
        Assert.Equal(valid, LineSignature.IsValid("secret", "{}"u8, header));
    }

    [Fact]
    public void The_signature_is_base64_hmac_sha256_of_the_raw_body_with_the_channel_secret()
    {
        var body = """{"destination":"U1","events":[]}"""u8.ToArray();
        var header = LineSignature.Compute("channel-secret", body);

        Assert.True(LineSignature.IsValid("channel-secret", body, header));
        Assert.False(LineSignature.IsValid("other-secret", body, header));
        Assert.False(LineSignature.IsValid("channel-secret", [.. body, (byte)' '], header));
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData("channel-secret"u8, body)), header);
    }
}
