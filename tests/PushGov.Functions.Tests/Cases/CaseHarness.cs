using System.Text;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Messaging;
using PushGov.Domain.Tenants;
using PushGov.Functions.Cases;
using PushGov.Functions.Hosting;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Development;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Cases;

/// <summary>
/// The case machinery of one app instance (the orchestration and its activities, the Durable inbox, the sender, the
/// ingestor) from the app's own registration (<see cref="PushGovServices.AddPushGov"/>, as Program.cs and the local host
/// call it), with the real catalog, templates and sender selection (a tenant that is not live sends to the development
/// sink), on the test run's Azurite. The orchestration runs on the Durable Task in-process test host;
/// <see cref="DrainSendAsync"/> plays the <c>send</c> queue trigger.
/// </summary>
public sealed class CaseHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CaseHarness(string connectionString, IMessageComposer? composer)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(TestAppSettings.For(connectionString)).Build();
        var services = new ServiceCollection().AddLogging().AddPushGov(settings);
        if (composer is not null)
        {
            services.Replace(ServiceDescriptor.Singleton<IMessageComposer>(composer));
        }

        _services = services.BuildServiceProvider();
        Clock = _services.GetRequiredService<TimeProvider>();
        Storage = _services.GetRequiredService<StorageClients>();
        Projection = _services.GetRequiredService<CaseStore>();
        Messages = _services.GetRequiredService<MessageStore>();
        Residents = _services.GetRequiredService<ResidentStore>();
        Tenants = _services.GetRequiredService<TenantStore>();
        Directory = _services.GetRequiredService<TenantDirectory>();
        Sink = _services.GetRequiredService<DevSink>();
        Composer = _services.GetRequiredService<IMessageComposer>();
        Orchestration = ActivatorUtilities.CreateInstance<CaseOrchestration>(_services); // as the Functions host creates it
        Cases = _services.GetRequiredService<DurableCases>();
        Sender = _services.GetRequiredService<SendWorker>();
        Ingestor = _services.GetRequiredService<DropIngestor>();
    }

    public TimeProvider Clock { get; }

    public StorageClients Storage { get; }

    public CaseStore Projection { get; }

    public MessageStore Messages { get; }

    public ResidentStore Residents { get; }

    public TenantStore Tenants { get; }

    public TenantDirectory Directory { get; }

    public DevSink Sink { get; }

    public IMessageComposer Composer { get; }

    public CaseOrchestration Orchestration { get; }

    public DurableCases Cases { get; }

    public SendWorker Sender { get; }

    public DropIngestor Ingestor { get; }

    public DurableTaskClient Client => _host?.Client ?? throw new InvalidOperationException("Not started.");

    private DurableTaskTestHost? _host;

    public static async Task<CaseHarness> StartAsync(string connectionString, IMessageComposer? composer = null)
    {
        var h = new CaseHarness(connectionString, composer);

        // Passed as a delegate, not a lambda: the Durable Task analyzers follow a lambda into the orchestrator, whose
        // syntax is in another assembly, and crash (AD0001).
        Func<TaskOrchestrationContext, Task> orchestrator = h.Orchestration.RunAsync;
        h._host = await DurableTaskTestHost.StartAsync(tasks =>
        {
            tasks.AddOrchestratorFunc(CaseOrchestration.Name, orchestrator);
            tasks.AddActivityFunc<string, string>(CaseOrchestration.MatchActivity, (_, input) => h.Orchestration.MatchAsync(input!, CancellationToken.None));
            tasks.AddActivityFunc<string, string>(CaseOrchestration.ResolveActivity, (_, input) => h.Orchestration.ResolveAsync(input!, CancellationToken.None));
            tasks.AddActivityFunc<string>(CaseOrchestration.EffectsActivity, (_, input) => h.Orchestration.ApplyEffectsAsync(input!, CancellationToken.None));
        });
        h.Cases.Use(h._host.Client);
        await h.Storage.EnsureCreatedAsync();
        return h;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _services.DisposeAsync();
    }

    public async Task<string> NewTenantAsync()
    {
        var tenant = TestTenants.Next();
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

    /// <summary>Plays the <c>send</c> queue trigger once: handles and deletes every visible message; returns how many.</summary>
    public async Task<int> DrainSendAsync()
    {
        var queue = Storage.Queue(StorageNames.Queues.Send);
        var handled = 0;
        foreach (var m in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value)
        {
            await Sender.HandleAsync(SendQueueMessage.Parse(m.Body.ToString()), CancellationToken.None);
            await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            handled++;
        }

        return handled;
    }

    /// <summary>
    /// Runs the sender until the case's projection satisfies <paramref name="done"/> and its orchestration waits (or has
    /// completed); fails after <paramref name="within"/> (30 s by default).
    /// </summary>
    public async Task<CaseData> SettleAsync(string tenant, string caseId, Func<CaseData, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            await DrainSendAsync();
            var c = await Projection.GetAsync(tenant, caseId, CancellationToken.None);
            if (c is not null && done(c) && await IdleAsync(caseId))
            {
                return c;
            }

            if (DateTime.UtcNow > deadline)
            {
                var instance = await Client.GetInstanceAsync(caseId, getInputsAndOutputs: true);
                var messages = string.Join(", ", (await Messages.ListForCaseAsync(tenant, caseId, CancellationToken.None)).Select(m => $"{m.MessageId}={m.Status}"));
                throw new TimeoutException($"Case {caseId} did not settle: {c?.State} {c?.Outcome} deliveries {string.Join(", ", c?.Deliveries.Select(d => $"{d.MessageId}={d.State}") ?? [])}; messages {messages}; orchestration {instance?.RuntimeStatus} {instance?.FailureDetails?.ErrorType} {instance?.FailureDetails?.ErrorMessage} {instance?.FailureDetails?.StackTrace} input {instance?.SerializedInput?[..Math.Min(3000, instance.SerializedInput.Length)]}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>True when the orchestration has nothing to do but wait: it ran (a generation waits for input) or completed.</summary>
    private async Task<bool> IdleAsync(string caseId)
    {
        var instance = await Client.GetInstanceAsync(caseId);
        if (instance is null)
        {
            return false;
        }

        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            return true;
        }

        return (await Storage.Queue(StorageNames.Queues.Send).PeekMessagesAsync(1)).Value.Length == 0;
    }

    public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string tenant, string caseId) => Projection.GetHistoryAsync(tenant, caseId, CancellationToken.None);

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
