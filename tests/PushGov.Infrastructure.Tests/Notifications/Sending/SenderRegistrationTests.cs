using Microsoft.Extensions.DependencyInjection;
using PushGov.Domain.Messaging;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Infrastructure.Tests.Notifications.Providers.Acs;
using PushGov.Testing.Fakes;

namespace PushGov.Infrastructure.Tests.Notifications.Sending;

public sealed class SenderRegistrationTests
{
    [Fact]
    public async Task Registered_senders_are_built_by_the_http_client_factory_with_signing_and_routing()
    {
        await using var acs = await FakeAcs.StartAsync();
        await using var domestic = await FakeDomesticSmsProvider.StartAsync();
        var services = new ServiceCollection();
        services.AddPushGovSenders(
            new AcsOptions { ConnectionString = acs.ConnectionString, SmsFrom = "+18005550100", EmailSender = "DoNotReply@city.example.jp" },
            new DomesticSmsOptions { Endpoint = domestic.Endpoint, Secret = domestic.Secret });
        await using var provider = services.BuildServiceProvider();

        var router = provider.GetRequiredService<SmsRouter>();
        var us = await router.SendAsync(AcsSmsClientTests.Sms("di-us"), CancellationToken.None);
        var jp = await router.SendAsync(AcsSmsClientTests.Sms("di-jp", to: "+819012345678"), CancellationToken.None);
        var email = provider.GetRequiredService<AcsEmailClient>();

        Assert.Equal(SendOutcome.Accepted, us.Outcome);
        Assert.Equal(SendOutcome.Accepted, jp.Outcome);
        Assert.Equal(0, acs.Unauthorized);
        Assert.Single(acs.ReceivedSms);
        Assert.Single(domestic.Received);
        Assert.Equal("acs-email", email.Provider);
    }
}
