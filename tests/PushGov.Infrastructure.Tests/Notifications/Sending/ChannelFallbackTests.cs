using Microsoft.Extensions.Logging.Abstractions;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;
using PushGov.Testing.Sending;

namespace PushGov.Infrastructure.Tests.Notifications.Sending;

/// <summary>
/// What the sender hands the case when a message's channel is stopped: the resident's next usable channel, read afresh
/// from the resident view in Azurite (the case itself is the recording inbox here; the whole flow runs in LineTests).
/// </summary>
[Collection("Azurite")]
public sealed class ChannelFallbackTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Resident = "300000201";
    private readonly string tenant = TestTenants.Next();
    private readonly RecordingInbox inbox = new();
    private StorageClients storage = null!;
    private ResidentStore residents = null!;
    private ChannelFallback fallback = null!;

    public async Task InitializeAsync()
    {
        storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        residents = new ResidentStore(storage);
        var tenants = new TenantStore(storage);
        await tenants.SaveAsync(new TenantConfig { Code = tenant, Name = "福岡市", LiveSending = true }, create: true, CancellationToken.None);
        fallback = new ChannelFallback(residents, new TenantDirectory(tenants, TimeProvider.System), inbox, NullLogger<ChannelFallback>.Instance);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task PersonAsync(string? address) => residents.WriteAsync(
        tenant,
        [new Person { ResidentId = Resident, HouseholdId = "400000201", FamilyName = "山田", GivenName = "花子", BirthDate = RegistryDate.Of(new DateOnly(1992, 8, 1)), Relationship = "世帯主", PostalCode = "8100001", Address = address }],
        new Dictionary<string, string?>(),
        CancellationToken.None);

    private Task ContactsAsync(params (Channel Channel, string Address)[] contacts) => residents.WriteContactsAsync(
        tenant,
        contacts.Select(c => new ContactRecord(Resident, c.Channel, c.Address, "en", true, DateTimeOffset.UtcNow, "drop")),
        CancellationToken.None);

    private MessageRecord LineMessage() => new()
    {
        Tenant = tenant,
        MessageId = "m-line-1",
        CaseId = "BIRTH-1",
        ResidentId = Resident,
        Channel = Channel.Line,
        To = "U0123456789abcdef0123456789abcdef",
        Language = "en",
        ServiceIds = ["jidou-teate"],
        Purpose = Purposes.Initial,
        Text = "Hanako",
        TemplateVersion = "line@1",
        Status = NotificationStatus.Created,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task The_case_is_handed_the_residents_next_channel_with_an_id_derived_from_the_original()
    {
        await PersonAsync("福岡市中央区天神1-1-1");
        await ContactsAsync((Channel.Line, "U0123456789abcdef0123456789abcdef"), (Channel.Sms, "+819012345678"), (Channel.Email, "hanako@example.jp"));
        await residents.SetPreferredChannelAsync(tenant, Resident, Channel.Email, DateTimeOffset.UtcNow, CancellationToken.None);

        var taken = await fallback.TryRerouteAsync(LineMessage(), "LINE not available: 960 of 1000 messages used", CancellationToken.None);

        Assert.False(taken); // the recording inbox decides nothing: the sender then fails the message itself
        var handed = Assert.Single(inbox.Inputs);
        Assert.Equal((tenant, "BIRTH-1"), (handed.Tenant, handed.CaseId));
        var rerouted = Assert.IsType<DeliveryRerouted>(handed.Input);
        Assert.Equal("m-line-1", rerouted.MessageId);
        Assert.Equal("line → email: LINE not available: 960 of 1000 messages used", rerouted.Reason);
        var replacement = rerouted.Replacement;
        Assert.Equal((MessageIds.Rerouted("m-line-1", Channel.Email), Channel.Email, "hanako@example.jp"), (replacement.MessageId, replacement.Channel, replacement.Address));
        Assert.Equal((Resident, Purposes.Initial, "en", "花子"), (replacement.ResidentId, replacement.Purpose, replacement.Language, replacement.GivenName));
        Assert.Equal(["jidou-teate"], replacement.ServiceIds);
    }

    [Fact]
    public async Task Without_a_digital_channel_the_letter_to_the_registered_address_is_next()
    {
        await PersonAsync("福岡市中央区天神1-1-1");
        await ContactsAsync((Channel.Line, "U0123456789abcdef0123456789abcdef"));

        await fallback.TryRerouteAsync(LineMessage(), "LINE not available", CancellationToken.None);

        var replacement = Assert.IsType<DeliveryRerouted>(Assert.Single(inbox.Inputs).Input).Replacement;
        Assert.Equal((Channel.Post, "8100001\n福岡市中央区天神1-1-1"), (replacement.Channel, replacement.Address));
    }

    [Fact]
    public async Task With_no_usable_channel_nothing_is_handed_on_and_the_sender_fails_the_message_to_staff()
    {
        await PersonAsync(address: null);
        await ContactsAsync((Channel.Line, "U0123456789abcdef0123456789abcdef"));

        var taken = await fallback.TryRerouteAsync(LineMessage(), "LINE not available", CancellationToken.None);

        Assert.False(taken);
        Assert.Empty(inbox.Inputs);
    }
}
