using System.Text;
using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;
using PushGov.Testing.Fakes;

namespace PushGov.Infrastructure.Tests.Notifications.Providers.DomesticSms;

public sealed class DomesticSmsClientTests : IAsyncLifetime
{
    private FakeDomesticSmsProvider provider = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        provider = await FakeDomesticSmsProvider.StartAsync();
        http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await provider.DisposeAsync();
    }

    internal static OutgoingMessage Sms(string key, string to = "+819012345678") => new()
    {
        Tenant = "141003",
        MessageId = $"msg-{key}",
        IdempotencyKey = $"case-{key}/notify/1",
        Channel = Channel.Sms,
        To = to,
        TextBody = "横浜市: 出生届を受け付けました。児童手当の申請は15日以内に。",
    };

    private DomesticSmsClient Client(string? secret = null) => new(
        http,
        new DomesticSmsOptions { Endpoint = provider.Endpoint, Secret = secret ?? provider.Secret, CallbackUrl = new Uri("https://pushgov.example.jp/callbacks/domestic-sms") },
        TimeProvider.System);

    [Fact]
    public async Task Accepted_send_returns_the_provider_id_and_sends_id_text_callback_and_idempotency_key()
    {
        var result = await Client().SendAsync(Sms("a"), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        var got = Assert.Single(provider.Received);
        Assert.Equal(got.ProviderId, result.ProviderMessageId);
        Assert.Equal("msg-a", got.Id);
        Assert.Equal("+819012345678", got.To);
        Assert.Equal("横浜市: 出生届を受け付けました。児童手当の申請は15日以内に。", got.Text);
        Assert.Equal("https://pushgov.example.jp/callbacks/domestic-sms", got.CallbackUrl);
        Assert.Equal(DomesticSmsClient.IdempotencyKeyFor("case-a/notify/1"), got.IdempotencyKey);
        Assert.Equal(202, got.AnsweredStatus);
    }

    [Fact]
    public async Task Same_idempotency_key_twice_gets_the_same_provider_id_and_is_taken_once()
    {
        var client = Client();

        var first = await client.SendAsync(Sms("dup"), CancellationToken.None);
        var second = await client.SendAsync(Sms("dup"), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, second.Outcome);
        Assert.Equal(first.ProviderMessageId, second.ProviderMessageId);
        Assert.Equal(1, provider.DistinctAccepted);
        Assert.Equal([202, 200], provider.Received.Select(r => r.AnsweredStatus));
    }

    [Fact]
    public async Task Throttled_answer_carries_retry_after()
    {
        provider.Enqueue(FakeAnswer.Throttled("12"));

        var result = await Client().SendAsync(Sms("t"), CancellationToken.None);

        Assert.Equal(SendOutcome.Throttled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(12), result.RetryAfter);
    }

    [Fact]
    public async Task Server_error_is_transient()
    {
        provider.Enqueue(FakeAnswer.ServerError);

        var result = await Client().SendAsync(Sms("e"), CancellationToken.None);

        Assert.Equal(SendOutcome.TransientFailure, result.Outcome);
    }

    [Fact]
    public async Task A_number_that_cannot_receive_sms_is_permanent_and_the_detail_hides_the_number()
    {
        provider.Enqueue(FakeAnswer.Unprocessable);

        var result = await Client().SendAsync(Sms("landline", to: "+81451234567"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 422 not_mobile", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("451234567", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_secret_is_refused_with_401_and_seen_as_permanent()
    {
        var result = await Client(secret: "not-the-secret").SendAsync(Sms("k"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 401", result.Detail, StringComparison.Ordinal);
        Assert.Equal(1, provider.Unauthorized);
        Assert.Empty(provider.Received);
    }

    [Fact]
    public async Task A_client_clock_six_minutes_behind_is_refused_as_stale()
    {
        var late = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-6));
        var client = new DomesticSmsClient(http, new DomesticSmsOptions { Endpoint = provider.Endpoint, Secret = provider.Secret }, late);

        var result = await client.SendAsync(Sms("stale"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("signature_stale", result.Detail, StringComparison.Ordinal);
    }
}

public sealed class DomesticSmsSignatureTests
{
    // Fixed vector computed outside .NET (Python hmac): HMAC-SHA256("whsec_pushgov_test", "1795336200." + body), hex.
    private const string Secret = "whsec_pushgov_test";
    private const long Timestamp = 1_795_336_200; // 2026-11-22T08:30:00Z
    private const string Expected = "fd942034571f9b49ca3e5d78aa627c06b2a3f6088734eb626cbe033f48c9f6bc";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"m-1","to":"+819012345678","text":"hi"}""");
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void Signature_matches_the_fixed_vector()
    {
        Assert.Equal(Expected, DomesticSmsSignature.Compute(Secret, Timestamp, Body));
        Assert.Equal($"t={Timestamp},v1={Expected}", DomesticSmsSignature.Header(Secret, SignedAt, Body));
    }

    [Theory]
    [InlineData(0, SignatureCheck.Valid)]
    [InlineData(299, SignatureCheck.Valid)]
    [InlineData(-299, SignatureCheck.Valid)]
    [InlineData(301, SignatureCheck.Stale)]
    [InlineData(-301, SignatureCheck.Stale)]
    public void Verification_accepts_five_minutes_of_clock_difference_and_refuses_more(int secondsLater, SignatureCheck expected)
    {
        var check = DomesticSmsSignature.Verify($"t={Timestamp},v1={Expected}", Body, Secret, SignedAt.AddSeconds(secondsLater));

        Assert.Equal(expected, check);
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("v1=abc", SignatureCheck.Malformed)]
    [InlineData("t=1795336200", SignatureCheck.Malformed)]
    [InlineData("garbage", SignatureCheck.Malformed)]
    [InlineData("t=1795336200,v1=00", SignatureCheck.Mismatch)]
    [InlineData("t=1795336200,v1=00,v1=fd942034571f9b49ca3e5d78aa627c06b2a3f6088734eb626cbe033f48c9f6bc", SignatureCheck.Valid)]
    public void Verification_tells_missing_malformed_and_wrong_signatures_apart(string? header, SignatureCheck expected)
    {
        Assert.Equal(expected, DomesticSmsSignature.Verify(header, Body, Secret, SignedAt));
    }

    [Fact]
    public void A_tampered_body_does_not_verify()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"id":"m-1","to":"+819099999999","text":"hi"}""");

        Assert.Equal(SignatureCheck.Mismatch, DomesticSmsSignature.Verify($"t={Timestamp},v1={Expected}", tampered, Secret, SignedAt));
    }

    [Fact]
    public void A_signed_delivery_callback_is_read_and_mapped_to_delivered()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"jp_1","messageId":"msg-a","status":"delivered","timestamp":"2026-11-22T08:29:58Z"}""");
        var header = DomesticSmsSignature.Header(Secret, SignedAt, body);

        var check = DomesticSmsCallback.TryRead(body, header, Secret, SignedAt.AddSeconds(3), out var callback);

        Assert.Equal(SignatureCheck.Valid, check);
        Assert.NotNull(callback);
        Assert.Equal("jp_1", callback.ProviderMessageId);
        Assert.Equal("msg-a", callback.MessageId);
        Assert.Equal(NotificationStatus.Delivered, callback.MessageStatus);
    }

    [Fact]
    public void A_replayed_callback_older_than_five_minutes_is_refused_and_not_read()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"jp_1","messageId":"msg-a","status":"delivered"}""");
        var header = DomesticSmsSignature.Header(Secret, SignedAt, body);

        var check = DomesticSmsCallback.TryRead(body, header, Secret, SignedAt.AddMinutes(6), out var callback);

        Assert.Equal(SignatureCheck.Stale, check);
        Assert.Null(callback);
    }

    [Fact]
    public void A_callback_with_a_valid_signature_but_no_status_is_malformed()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"jp_1"}""");

        var check = DomesticSmsCallback.TryRead(body, DomesticSmsSignature.Header(Secret, SignedAt, body), Secret, SignedAt, out var callback);

        Assert.Equal(SignatureCheck.Malformed, check);
        Assert.Null(callback);
    }
}
