using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Templates;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Messaging;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;

namespace PushGov.Infrastructure.Tests.Cases;

/// <summary>
/// One app instance's case machinery (engine, sender, ingestor) on the test run's Azurite, built the way the app builds
/// it, with the real catalog and templates. Two harnesses on the same Azurite are two app instances competing for the
/// same queues. <see cref="DrainAsync"/> plays the queue triggers: it receives, handles and deletes visible messages.
/// </summary>
public sealed class CaseHarness
{
    private static readonly Lazy<ServiceMatcher> Matcher = new(() => CatalogLoader.LoadDefault().Compile());
    private static readonly Lazy<TemplateCatalog> Templates = new(() => TemplateCatalog.LoadDefault());

    /// <summary>The key the harness signs residents' links with.</summary>
    public const string LinkKey = "case-harness-resident-link-key-0123456789";

    public CaseHarness(string connectionString, TimeProvider? clock = null, IMessageComposer? composer = null, Func<DevSink, ISenderSelector>? selector = null)
    {
        Clock = clock ?? TimeProvider.System;
        Storage = StorageClients.FromConnectionString(connectionString);
        Cases = new CaseStore(Storage);
        Messages = new MessageStore(Storage);
        Residents = new ResidentStore(Storage);
        Tenants = new TenantStore(Storage);
        var directory = new TenantDirectory(Tenants, Clock);
        Sink = new DevSink(Storage, Clock);
        Composer = composer ?? new TemplateComposer(_ => Templates.Value, new ResidentLinkSigner(LinkKey));
        Engine = new CaseEngine(Cases, Messages, new TimerStore(Storage), Storage, new CaseActivities(Residents, new CatalogEligibility(_ => Matcher.Value), directory), Composer, directory, Clock, NullLogger<CaseEngine>.Instance);
        Sender = new SendWorker(Messages, Storage, selector?.Invoke(Sink) ?? new SinkOnlySelector(Sink), Engine, Clock, NullLogger<SendWorker>.Instance);
        Ingestor = new DropIngestor(Storage, Residents, Engine, Engine, directory, Clock, NullLogger<DropIngestor>.Instance);
    }

    public TimeProvider Clock { get; }

    public StorageClients Storage { get; }

    public CaseStore Cases { get; }

    public MessageStore Messages { get; }

    public ResidentStore Residents { get; }

    public TenantStore Tenants { get; }

    public DevSink Sink { get; }

    public IMessageComposer Composer { get; }

    public CaseEngine Engine { get; }

    public SendWorker Sender { get; }

    public DropIngestor Ingestor { get; }

    public async Task<string> NewTenantAsync()
    {
        var tenant = TestTenants.Next();
        await Storage.EnsureCreatedAsync();
        await Tenants.SaveAsync(new TenantConfig { Code = tenant, Name = "テスト市" }, create: true, CancellationToken.None);
        return tenant;
    }

    /// <summary>Puts a drop into the drops container and ingests it as the blob trigger would.</summary>
    public async Task<DropIngestor.Result> DropAsync(string tenant, string dataset, string name, string csv)
    {
        var blobName = $"{tenant}/{dataset}/{name}";
        await Storage.Container(StorageNames.Containers.Drops).GetBlobClient(blobName).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
        return await Ingestor.IngestAsync(blobName, CancellationToken.None);
    }

    /// <summary>Handles every visible message on case-steps and send until both are empty; returns how many were handled.</summary>
    public async Task<int> DrainAsync(Func<string, Task>? beforeAck = null, int maxRounds = 200)
    {
        var handled = 0;
        for (var round = 0; round < maxRounds; round++)
        {
            var any = false;
            foreach (var queue in new[] { StorageNames.Queues.CaseSteps, StorageNames.Queues.Send })
            {
                var client = Storage.Queue(queue);
                var batch = (await client.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(30))).Value;
                foreach (var m in batch)
                {
                    any = true;
                    var text = m.Body.ToString();
                    if (queue == StorageNames.Queues.CaseSteps)
                    {
                        await Engine.HandleAsync(CaseStepMessage.Parse(text), CancellationToken.None);
                    }
                    else
                    {
                        await Sender.HandleAsync(SendQueueMessage.Parse(text), CancellationToken.None);
                    }

                    if (beforeAck is not null)
                    {
                        await beforeAck(text);
                    }

                    await client.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                    handled++;
                }
            }

            if (!any)
            {
                return handled;
            }
        }

        return handled;
    }

    public static LifeEvent Birth(string tenant, string eventId = "BIRTH-test") => new()
    {
        Kind = LifeEventKind.BIRTH,
        Tenant = tenant,
        EventId = eventId,
        ResidentId = "300000103",
        HouseholdId = "400000101",
        EventDate = new DateOnly(2026, 11, 20),
        Source = new EventSource("resident-changes", 2, "R1"),
    };

    public const string Household = """
        resident_id,household_id,family_name,given_name,birth_date,sex,relationship,postal_code,address
        300000101,400000101,山田,太郎,1990-05-10,1,世帯主,8100001,福岡市中央区天神1-1-1
        300000102,400000101,山田,花子,1992-08-01,2,妻,8100001,福岡市中央区天神1-1-1
        300000103,400000101,山田,一郎,2026-11-20,1,子,8100001,福岡市中央区天神1-1-1
        """;

    public const string Contacts = """
        resident_id,channel,address,language,consent,consented_at
        300000101,sms,090-1234-5678,ja,1,2026-04-01
        """;

    public static CaseData NewCase(LifeEvent e, TimeProvider clock) => new() { Tenant = e.Tenant, CaseId = e.EventId, Event = e, CreatedAt = clock.GetUtcNow() };
}

/// <summary>A composer that fails the first <paramref name="failures"/> times: a crash between "state saved" and "effects sent".</summary>
public sealed class FailingComposer(IMessageComposer inner, int failures) : IMessageComposer
{
    private int _left = failures;

    public ComposedMessage Compose(TenantConfig tenant, CaseData c, Delivery delivery) =>
        Interlocked.Decrement(ref _left) >= 0 ? throw new IOException("process killed during dispatch") : inner.Compose(tenant, c, delivery);
}

/// <summary>Counts every send that reaches a provider, across app instances: the test for "no message sent twice".</summary>
public sealed class CountingSelector(DevSink sink, System.Collections.Concurrent.ConcurrentBag<string> sent) : ISenderSelector, IMessageSender
{
    public string Provider => sink.Provider;

    public ValueTask<SendRoute> RouteAsync(MessageRecord message, CancellationToken ct) => ValueTask.FromResult(new SendRoute(this, Provider));

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        sent.Add(message.MessageId);
        return sink.SendAsync(message, cancellationToken);
    }
}
