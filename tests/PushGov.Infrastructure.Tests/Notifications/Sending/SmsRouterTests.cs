using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Testing.Fakes;

namespace PushGov.Infrastructure.Tests.Notifications.Sending;

public sealed class SmsRouterTests
{
    private static OutgoingMessage Sms(string to, string tenant = "141003") => new()
    {
        Tenant = tenant,
        MessageId = "m",
        IdempotencyKey = $"k/{to}",
        Channel = Channel.Sms,
        To = to,
        TextBody = "お知らせ",
    };

    private static (SmsRouter Router, RecordingSender Domestic, RecordingSender Acs, RecordingSender Other) Router(SmsRoutingOptions? options = null)
    {
        var domestic = new RecordingSender(DomesticSmsClient.ProviderName);
        var acs = new RecordingSender(AcsSmsClient.ProviderName);
        var other = new RecordingSender("other-jp");
        return (new SmsRouter([domestic, acs, other], options ?? new SmsRoutingOptions()), domestic, acs, other);
    }

    [Theory]
    [InlineData("+819012345678", "domestic-sms")]
    [InlineData("+81 90-1234-5678", "domestic-sms")]
    [InlineData("+14255550123", "acs-sms")]
    [InlineData("+447700900123", "acs-sms")]
    [InlineData("09012345678", null)]
    [InlineData("", null)]
    public void Default_routes_send_japan_to_the_domestic_provider_and_the_rest_to_acs(string to, string? provider)
    {
        var (router, _, _, _) = Router();

        Assert.Equal(provider, router.ProviderFor("141003", to));
    }

    [Fact]
    public async Task Sending_a_japanese_number_goes_only_to_the_domestic_sender_with_the_number_normalised()
    {
        var (router, domestic, acs, _) = Router();

        var result = await router.SendAsync(Sms("+81 90-1234-5678"), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        Assert.Equal(["+819012345678"], domestic.Sent.Select(m => m.To));
        Assert.Empty(acs.Sent);
    }

    [Fact]
    public void A_tenant_rule_wins_over_the_defaults_for_that_tenant_only()
    {
        var options = new SmsRoutingOptions
        {
            Tenants = new Dictionary<string, IList<SmsRoute>> { ["401307"] = [new SmsRoute("+8190", "other-jp")] },
        };
        var (router, _, _, _) = Router(options);

        Assert.Equal("other-jp", router.ProviderFor("401307", "+819012345678"));
        Assert.Equal("domestic-sms", router.ProviderFor("401307", "+818012345678"));
        Assert.Equal("domestic-sms", router.ProviderFor("141003", "+819012345678"));
    }

    [Fact]
    public void The_longest_matching_prefix_wins()
    {
        var options = new SmsRoutingOptions { Routes = [new SmsRoute("+", "acs-sms"), new SmsRoute("+81", "domestic-sms"), new SmsRoute("+8170", "other-jp")] };
        var (router, _, _, _) = Router(options);

        Assert.Equal("other-jp", router.ProviderFor("141003", "+817012345678"));
        Assert.Equal("domestic-sms", router.ProviderFor("141003", "+819012345678"));
    }

    [Fact]
    public async Task No_route_is_a_permanent_failure_that_does_not_reveal_the_number()
    {
        var (router, domestic, acs, _) = Router();

        var result = await router.SendAsync(Sms("09012345678"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.DoesNotContain("12345678", result.Detail, StringComparison.Ordinal);
        Assert.Empty(domestic.Sent);
        Assert.Empty(acs.Sent);
    }

    [Fact]
    public async Task A_route_to_an_unregistered_provider_is_a_permanent_failure()
    {
        var router = new SmsRouter([new RecordingSender(AcsSmsClient.ProviderName)], new SmsRoutingOptions());

        var result = await router.SendAsync(Sms("+819012345678"), CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("domestic-sms", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routed_through_the_real_clients_a_japanese_sms_reaches_the_domestic_fake_and_another_reaches_fake_acs()
    {
        await using var acsFake = await FakeAcs.StartAsync();
        await using var domesticFake = await FakeDomesticSmsProvider.StartAsync();
        var acsOptions = new AcsOptions { ConnectionString = acsFake.ConnectionString, SmsFrom = "+18005550100" };
        using var acsHttp = AcsHttp.CreateClient(acsOptions, TimeProvider.System);
        using var domesticHttp = new HttpClient();
        var router = new SmsRouter(
            [
                new AcsSmsClient(acsHttp, acsOptions, TimeProvider.System),
                new DomesticSmsClient(domesticHttp, new DomesticSmsOptions { Endpoint = domesticFake.Endpoint, Secret = domesticFake.Secret }, TimeProvider.System),
            ],
            new SmsRoutingOptions());

        var jp = await router.SendAsync(Sms("+819012345678"), CancellationToken.None);
        var us = await router.SendAsync(Sms("+14255550123"), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, jp.Outcome);
        Assert.Equal(SendOutcome.Accepted, us.Outcome);
        Assert.Equal(["+819012345678"], domesticFake.Received.Select(r => r.To));
        Assert.Equal(["+14255550123"], acsFake.ReceivedSms.Select(r => r.To));
        Assert.Equal("acs-sms", router.Route(Sms("+14255550123"))?.Provider);
    }

    private sealed class RecordingSender(string provider) : IMessageSender
    {
        public List<OutgoingMessage> Sent { get; } = [];

        public string Provider => provider;

        public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            Sent.Add(message);
            return Task.FromResult(SendResult.Accepted($"{provider}-{Sent.Count}"));
        }
    }
}
