using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Testing.Fakes;

namespace PushGov.Infrastructure.Tests.Notifications.Providers.Acs;

public sealed class AcsSmsClientTests : IAsyncLifetime
{
    private FakeAcs acs = null!;

    public async Task InitializeAsync() => acs = await FakeAcs.StartAsync();

    public async Task DisposeAsync() => await acs.DisposeAsync();

    internal static OutgoingMessage Sms(string key, string to = "+14255550123") => new()
    {
        Tenant = "141003",
        MessageId = $"msg-{key}",
        IdempotencyKey = $"case-{key}/notify/1",
        Channel = Channel.Sms,
        To = to,
        TextBody = "横浜市: 児童手当の申請ができます。",
    };

    private (AcsSmsClient Client, HttpClient Http) Client(TimeProvider? time = null, string? key = null, TimeSpan? timeout = null, Uri? endpoint = null)
    {
        time ??= TimeProvider.System;
        var options = new AcsOptions
        {
            Endpoint = endpoint ?? acs.Endpoint,
            AccessKey = key ?? acs.AccessKey,
            SmsFrom = "+18005550100",
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        var http = AcsHttp.CreateClient(options, time);
        return (new AcsSmsClient(http, options, time), http);
    }

    [Fact]
    public async Task Accepted_send_returns_the_acs_message_id_and_sends_repeatability_report_and_tag()
    {
        var (client, http) = Client();
        using var _ = http;
        var first = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

        var result = await client.SendAsync(Sms("a") with { FirstAttemptAt = first }, CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        var got = Assert.Single(acs.ReceivedSms);
        Assert.Equal(got.AnsweredMessageId, result.ProviderMessageId);
        Assert.StartsWith("Outgoing_", result.ProviderMessageId, StringComparison.Ordinal);
        Assert.Equal("+18005550100", got.From);
        Assert.Equal("+14255550123", got.To);
        Assert.Equal("横浜市: 児童手当の申請ができます。", got.Message);
        Assert.Equal(AcsSmsClient.RepeatabilityRequestId("case-a/notify/1").ToString(), got.RepeatabilityRequestId);
        Assert.Equal("Sun, 22 Nov 2026 09:00:00 GMT", got.RepeatabilityFirstSent);
        Assert.True(got.DeliveryReport);
        Assert.Equal("msg-a", got.Tag);
    }

    [Fact]
    public async Task Same_idempotency_key_twice_sends_the_same_repeatability_id_and_acs_takes_it_once()
    {
        var (client, http) = Client();
        using var _ = http;

        var first = await client.SendAsync(Sms("dup"), CancellationToken.None);
        var second = await client.SendAsync(Sms("dup"), CancellationToken.None);

        Assert.Equal(2, acs.ReceivedSms.Count);
        Assert.Equal(1, acs.DistinctAcceptedSms);
        Assert.Equal(acs.ReceivedSms[0].RepeatabilityRequestId, acs.ReceivedSms[1].RepeatabilityRequestId);
        Assert.Equal(first.ProviderMessageId, second.ProviderMessageId);
    }

    [Fact]
    public void Repeatability_id_is_a_stable_guid_per_key_and_differs_between_keys()
    {
        Assert.Equal(AcsSmsClient.RepeatabilityRequestId("case-1/notify/1"), AcsSmsClient.RepeatabilityRequestId("case-1/notify/1"));
        Assert.NotEqual(AcsSmsClient.RepeatabilityRequestId("case-1/notify/1"), AcsSmsClient.RepeatabilityRequestId("case-1/notify/2"));
        Assert.Equal(8, AcsSmsClient.RepeatabilityRequestId("case-1/notify/1").Version);
    }

    [Fact]
    public async Task Throttled_with_retry_after_seconds_is_throttled_with_that_delay()
    {
        var (client, http) = Client();
        using var _ = http;
        acs.Enqueue(FakeAnswer.Throttled("7"));

        var result = await client.SendAsync(Sms("t"), CancellationToken.None);

        Assert.Equal(SendOutcome.Throttled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task Throttled_with_retry_after_http_date_waits_until_that_date()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero));
        var (client, http) = Client(time);
        using var _ = http;
        acs.Enqueue(FakeAnswer.Throttled("Sun, 22 Nov 2026 09:31:30 GMT"));

        var result = await client.SendAsync(Sms("td"), CancellationToken.None);

        Assert.Equal(SendOutcome.Throttled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(90), result.RetryAfter);
    }

    [Fact]
    public async Task Server_error_is_a_transient_failure()
    {
        var (client, http) = Client();
        using var _ = http;
        acs.Enqueue(FakeAnswer.ServerError);

        var result = await client.SendAsync(Sms("5xx"), CancellationToken.None);

        Assert.Equal(SendOutcome.TransientFailure, result.Outcome);
        Assert.Contains("HTTP 500", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_request_is_a_permanent_failure_with_the_acs_error_code()
    {
        var (client, http) = Client();
        using var _ = http;
        acs.Enqueue(FakeAnswer.BadRequest);

        var result = await client.SendAsync(Sms("400"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 400 BadRequest", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recipient_rejected_inside_a_202_is_a_permanent_failure_whose_detail_has_no_phone_number()
    {
        var (client, http) = Client();
        using var _ = http;
        acs.Enqueue(FakeAnswer.RecipientRejected);

        var result = await client.SendAsync(Sms("bad", to: "+14255550999"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("recipient HTTP 400", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("4255550999", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_access_key_is_refused_with_401_and_seen_as_a_permanent_failure()
    {
        var (client, http) = Client(key: Convert.ToBase64String(new byte[32]));
        using var _ = http;

        var result = await client.SendAsync(Sms("key"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 401", result.Detail, StringComparison.Ordinal);
        Assert.Equal(1, acs.Unauthorized);
        Assert.Empty(acs.ReceivedSms);
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_a_transient_failure()
    {
        var (client, http) = Client(timeout: TimeSpan.FromMilliseconds(300));
        using var _ = http;
        acs.Enqueue(FakeAnswer.Slow(TimeSpan.FromSeconds(5)));

        var result = await client.SendAsync(Sms("slow"), CancellationToken.None);

        Assert.Equal(SendOutcome.TransientFailure, result.Outcome);
        Assert.Equal("acs-sms: timeout", result.Detail);
    }

    [Fact]
    public async Task Connection_refused_is_a_transient_failure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (client, http) = Client(endpoint: new Uri($"http://127.0.0.1:{port}/"));
        using var _ = http;

        var result = await client.SendAsync(Sms("refused"), CancellationToken.None);

        Assert.Equal(SendOutcome.TransientFailure, result.Outcome);
        Assert.StartsWith("acs-sms: connection failed", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_message_is_refused_without_calling_acs()
    {
        var (client, http) = Client();
        using var _ = http;

        var result = await client.SendAsync(Sms("mail") with { Channel = Channel.Email }, CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Empty(acs.ReceivedSms);
    }
}
