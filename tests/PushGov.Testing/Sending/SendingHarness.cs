using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing.Fakes;
using Xunit;

namespace PushGov.Testing.Sending;

/// <summary>
/// The sending path for real, built by the app's own registration (<see cref="SenderServiceCollectionExtensions.AddPushGovSending"/>):
/// its own Azurite (so queues and pacing rows are this test's alone), FakeAcs and FakeDomesticSmsProvider on loopback
/// verifying signatures as the configured providers, a fake clock, and a <see cref="RecordingInbox"/> as the cases.
/// Tenant 401307 is live; tenant 141003 is not.
/// </summary>
public sealed class SendingHarness : IAsyncDisposable
{
    public const string Live = "401307";
    public const string NotLive = "141003";
    public const string AcsFrom = "+18005550100";

    private readonly Azurite _azurite;
    private readonly ServiceProvider _services;

    private SendingHarness(Azurite azurite, StorageClients storage, FakeTimeProvider clock, FakeAcs acs, FakeDomesticSmsProvider domestic, bool withProviders)
    {
        _azurite = azurite;
        Storage = storage;
        Clock = clock;
        Acs = acs;
        Domestic = domestic;

        // The providers are configured as in Azure, pointing at the fakes; without them every live SMS and e-mail is refused.
        var settings = new Dictionary<string, string?> { ["PushGov:PublicBaseUrl"] = "https://func-pushgov.example.jp" };
        if (withProviders)
        {
            settings["PushGov:Acs:ConnectionString"] = acs.ConnectionString;
            settings["PushGov:Acs:SmsFrom"] = AcsFrom;
            settings["PushGov:Acs:EmailSender"] = "DoNotReply@pushgov.example.jp";
            settings["PushGov:DomesticSms:Endpoint"] = domestic.Endpoint.AbsoluteUri;
            settings["PushGov:DomesticSms:Secret"] = domestic.Secret;
        }

        // What the app shares beyond sending (PushGovServices.AddPushGov), replaced by what a test must control: this test's
        // Azurite, the fake clock, and cases that only record what the sender hands them.
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(storage)
            .AddSingleton<MessageStore>()
            .AddSingleton<TenantStore>()
            .AddSingleton<TenantDirectory>()
            .AddSingleton<ResidentStore>()
            .AddSingleton<ICaseInbox>(Inbox)
            .AddPushGovSending(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Messages = _services.GetRequiredService<MessageStore>();
        Index = _services.GetRequiredService<SendIndex>();
        Tenants = _services.GetRequiredService<TenantStore>();
        Directory = _services.GetRequiredService<TenantDirectory>();
        Sink = _services.GetRequiredService<DevSink>();
        Worker = _services.GetRequiredService<SendWorker>();
    }

    public StorageClients Storage { get; }

    public FakeTimeProvider Clock { get; }

    public FakeAcs Acs { get; }

    public FakeDomesticSmsProvider Domestic { get; }

    public MessageStore Messages { get; }

    public SendIndex Index { get; }

    public TenantStore Tenants { get; }

    public TenantDirectory Directory { get; }

    public DevSink Sink { get; }

    public SendWorker Worker { get; }

    /// <summary>Starts everything; the clock at <paramref name="startUtc"/> (default 2026-11-24 10:00 JST, a Tuesday).</summary>
    public static async Task<SendingHarness> StartAsync(DateTimeOffset? startUtc = null, int dailyCap = 0, bool withProviders = true)
    {
        var clock = new FakeTimeProvider(startUtc ?? new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero));
        var azurite = await Azurite.StartAsync();
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        var acs = await FakeAcs.StartAsync();
        var domestic = await FakeDomesticSmsProvider.StartAsync(time: clock);
        var harness = new SendingHarness(azurite, storage, clock, acs, domestic, withProviders);
        await harness.Tenants.SaveAsync(new TenantConfig { Code = Live, Name = "福岡市", LiveSending = true, DailyCap = dailyCap }, create: true, CancellationToken.None);
        await harness.Tenants.SaveAsync(new TenantConfig { Code = NotLive, Name = "横浜市", LiveSending = false }, create: true, CancellationToken.None);
        return harness;
    }

    public static MessageRecord Message(string id, Channel channel, string to, string tenant = Live, string residentId = "R0001", string caseId = "case-1") => new()
    {
        Tenant = tenant,
        MessageId = id,
        CaseId = caseId,
        ResidentId = residentId,
        Channel = channel,
        To = to,
        Language = "ja",
        ServiceIds = ["jidou-teate"],
        Purpose = Purposes.Initial,
        Subject = channel == Channel.Email ? "児童手当のお知らせ" : null,
        Text = channel == Channel.Post
            ? "〒810-8620\n福岡県福岡市中央区天神1-8-1\n山田　太郎　様\n\n児童手当のお知らせ\n\n=申請は15日以内に。"
            : "福岡市: 児童手当の申請ができます。",
        TemplateVersion = "jidou-teate/1",
        Status = NotificationStatus.Created,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    public async Task<MessageRecord> AddAndSendAsync(MessageRecord message)
    {
        Assert.True(await Messages.TryAddAsync(message, CancellationToken.None));
        await SendAsync(message);
        return await GetAsync(message);
    }

    public Task SendAsync(MessageRecord message) => Worker.HandleAsync(new SendQueueMessage(message.Tenant, message.MessageId), CancellationToken.None);

    public async Task<MessageRecord> GetAsync(MessageRecord message) =>
        (await Messages.GetAsync(message.Tenant, message.MessageId, CancellationToken.None))!.Value.Message;

    /// <summary>What the sender handed to cases, in order.</summary>
    public RecordingInbox Inbox { get; } = new();

    /// <summary>The inputs handed to cases so far.</summary>
    public Task<IReadOnlyList<RecordingInbox.Handed>> CaseStepsAsync() => Task.FromResult<IReadOnlyList<RecordingInbox.Handed>>([.. Inbox.Inputs]);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Acs.DisposeAsync();
        await Domestic.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
