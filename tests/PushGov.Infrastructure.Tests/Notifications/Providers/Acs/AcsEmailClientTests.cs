using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Testing.Fakes;

namespace PushGov.Infrastructure.Tests.Notifications.Providers.Acs;

public sealed class AcsEmailClientTests : IAsyncLifetime
{
    private FakeAcs acs = null!;
    private HttpClient http = null!;
    private AcsEmailClient client = null!;

    public async Task InitializeAsync()
    {
        acs = await FakeAcs.StartAsync();
        var options = new AcsOptions { ConnectionString = acs.ConnectionString, EmailSender = "DoNotReply@city.example.jp" };
        http = AcsHttp.CreateClient(options, TimeProvider.System);
        client = new AcsEmailClient(http, options, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await acs.DisposeAsync();
    }

    private static OutgoingMessage Email(string key, string? unsubscribe = null) => new()
    {
        Tenant = "141003",
        MessageId = $"msg-{key}",
        IdempotencyKey = $"case-{key}/notify/1",
        Channel = Channel.Email,
        To = "taro@example.jp",
        Subject = "児童手当のお知らせ",
        TextBody = "申請はポータルから。",
        HtmlBody = "<p>申請はポータルから。</p>",
        UnsubscribeUrl = unsubscribe,
    };

    [Fact]
    public async Task Accepted_send_returns_the_operation_id_derived_from_the_idempotency_key()
    {
        var result = await client.SendAsync(Email("a"), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        Assert.Equal(AcsEmailClient.OperationId("case-a/notify/1").ToString(), result.ProviderMessageId);
        var got = Assert.Single(acs.ReceivedEmails);
        Assert.Equal(result.ProviderMessageId, got.OperationId);
        Assert.Equal("DoNotReply@city.example.jp", got.Sender);
        Assert.Equal(["taro@example.jp"], got.To);
        Assert.Equal("児童手当のお知らせ", got.Subject);
        Assert.Equal("<p>申請はポータルから。</p>", got.Html);
        Assert.True(got.EngagementTrackingDisabled);
        Assert.Empty(got.Headers);
    }

    [Fact]
    public async Task Unsubscribe_url_adds_the_rfc_8058_one_click_headers()
    {
        await client.SendAsync(Email("u", "https://portal.example.jp/u/abc123"), CancellationToken.None);

        var got = Assert.Single(acs.ReceivedEmails);
        Assert.Equal("<https://portal.example.jp/u/abc123>", got.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", got.Headers["List-Unsubscribe-Post"]);
    }

    [Fact]
    public async Task Same_idempotency_key_twice_is_one_operation_at_acs()
    {
        var first = await client.SendAsync(Email("dup"), CancellationToken.None);
        var second = await client.SendAsync(Email("dup"), CancellationToken.None);

        Assert.Equal(first.ProviderMessageId, second.ProviderMessageId);
        Assert.Equal(2, acs.ReceivedEmails.Count);
        Assert.Single(acs.ReceivedEmails.Select(e => e.OperationId).Distinct());
    }

    [Theory]
    [InlineData(429, SendOutcome.Throttled)]
    [InlineData(500, SendOutcome.TransientFailure)]
    [InlineData(503, SendOutcome.TransientFailure)]
    [InlineData(400, SendOutcome.PermanentFailure)]
    [InlineData(404, SendOutcome.PermanentFailure)]
    public async Task Http_answers_map_to_send_outcomes(int status, SendOutcome expected)
    {
        acs.Enqueue(new FakeAnswer(status, status == 429 ? "3" : null));

        var result = await client.SendAsync(Email($"s{status}"), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(status == 429 ? TimeSpan.FromSeconds(3) : null, result.RetryAfter);
    }

    [Fact]
    public async Task Wrong_access_key_is_a_permanent_failure()
    {
        var options = new AcsOptions { Endpoint = acs.Endpoint, AccessKey = Convert.ToBase64String(new byte[32]), EmailSender = "DoNotReply@city.example.jp" };
        using var wrongHttp = AcsHttp.CreateClient(options, TimeProvider.System);
        var wrong = new AcsEmailClient(wrongHttp, options, TimeProvider.System);

        var result = await wrong.SendAsync(Email("k"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(1, acs.Unauthorized);
    }

    [Fact]
    public async Task Polling_follows_the_operation_until_it_succeeds()
    {
        acs.ScriptEmailOperation("NotStarted", "Running", "Succeeded");
        var sent = await client.SendAsync(Email("poll"), CancellationToken.None);

        var status = await client.WaitForCompletionAsync(sent.ProviderMessageId!, maxPolls: 10, maxWait: TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal("Succeeded", status.Status);
        Assert.True(status.IsTerminal);
        Assert.Equal(NotificationStatus.Sending, status.MessageStatus);
        Assert.Equal(3, acs.EmailOperationPolls);
    }

    [Fact]
    public async Task Polling_stops_after_the_bound_and_returns_the_last_running_status()
    {
        acs.ScriptEmailOperation("Running");
        var sent = await client.SendAsync(Email("stuck"), CancellationToken.None);

        var status = await client.WaitForCompletionAsync(sent.ProviderMessageId!, maxPolls: 4, maxWait: TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal("Running", status.Status);
        Assert.False(status.IsTerminal);
        Assert.Equal(4, acs.EmailOperationPolls);
    }

    [Fact]
    public async Task A_failed_operation_reports_its_error_and_maps_to_technical_failure()
    {
        acs.ScriptEmailOperation("Failed");
        var sent = await client.SendAsync(Email("fail"), CancellationToken.None);

        var status = await client.GetStatusAsync(sent.ProviderMessageId!, CancellationToken.None);

        Assert.Equal("Failed", status.Status);
        Assert.Equal("MessageRejected", status.ErrorCode);
        Assert.Equal(NotificationStatus.TechnicalFailure, status.MessageStatus);
    }

    [Fact]
    public async Task Polling_an_unknown_operation_throws_with_404()
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStatusAsync(Guid.NewGuid().ToString(), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task An_email_without_subject_is_refused_before_calling_acs()
    {
        var result = await client.SendAsync(Email("nosub") with { Subject = null }, CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Empty(acs.ReceivedEmails);
    }
}
