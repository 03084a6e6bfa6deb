using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using PushGov.Local;
using PushGov.LocalHost;
using PushGov.LocalHost.Durable;

namespace PushGov.Bench;

/// <summary>
/// The floor for P3: a bare Durable Task orchestration of the case engine's shape, on the Durable Task Framework's Azure
/// Storage provider with the settings the local host gives the app (host.json <c>extensions.durableTask</c>: partition count,
/// queue polling, concurrency; read through <see cref="HostSettings"/> from the app's own host.json), run through
/// <see cref="DurableTaskShimFactory"/> as the local host runs the app's orchestrations, and started through the same
/// <see cref="LocalDurableTaskClient"/>. Per case: start, two activities (no I/O), one send (an activity that writes a
/// message row to a table and enqueues its id, as the app's effects activity does; a queue consumer writes the sink row
/// and deletes the queue message, as the app's sender does at the least), one durable timer of one second, done.
/// Everything the app does beyond that (reading the household, composing, the projection and history, the sender's
/// claim, the delivery report) is the app's own cost above the floor.
/// </summary>
public sealed class DurableFloor
{
    private const string Orchestration = "FloorCase";
    private const string MatchActivity = "FloorMatch";
    private const string ResolveActivity = "FloorResolve";
    private const string SendActivity = "FloorSend";
    private const string Partition = "floor";

    private readonly ConcurrentDictionary<string, TimeSpan> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _completed = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TableClient _messages;
    private readonly TableClient _sink;
    private readonly QueueClient _queue;

    private DurableFloor(string connectionString, string suffix)
    {
        _messages = new TableClient(connectionString, "floormessages" + suffix);
        _sink = new TableClient(connectionString, "floorsink" + suffix);
        _queue = new QueueClient(connectionString, "floorsend" + suffix);
    }

    /// <summary>Runs <paramref name="cases"/> floor cases on the storage behind <paramref name="connectionString"/>.</summary>
    public static async Task<FloorResult> RunAsync(string connectionString, BenchProbe probe, int cases, CancellationToken ct)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var floor = new DurableFloor(connectionString, suffix);
        await floor._messages.CreateIfNotExistsAsync(ct);
        await floor._sink.CreateIfNotExistsAsync(ct);
        await floor._queue.CreateIfNotExistsAsync(cancellationToken: ct);

        var converter = new JsonDataConverter(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        using var service = new AzureStorageOrchestrationService(Settings(connectionString, "floor" + suffix));
        await service.CreateIfNotExistsAsync();
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = converter }, NullLoggerFactory.Instance);
        using var worker = new TaskHubWorker(service, NullLoggerFactory.Instance) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        worker.AddTaskOrchestrations(new FreshObjectCreator<TaskOrchestration>(Orchestration, () => shims.CreateOrchestration(new TaskName(Orchestration), new FloorOrchestrator(floor))));
        worker.AddTaskActivities(
            new FreshObjectCreator<TaskActivity>(MatchActivity, () => shims.CreateActivity(new TaskName(MatchActivity), new FloorMatch())),
            new FreshObjectCreator<TaskActivity>(ResolveActivity, () => shims.CreateActivity(new TaskName(ResolveActivity), new FloorResolve())),
            new FreshObjectCreator<TaskActivity>(SendActivity, () => shims.CreateActivity(new TaskName(SendActivity), new SendMessageActivity(floor))));
        await worker.StartAsync();

        using var stopConsumer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var consumer = floor.ConsumeAsync(stopConsumer.Token);
        var idle = await probe.IdleRateAsync(TimeSpan.FromSeconds(5), ct);

        var client = new LocalDurableTaskClient(service, converter);
        var from = probe.Take();
        var started = floor._clock.Elapsed;
        await Parallel.ForEachAsync(Enumerable.Range(0, cases), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
            await client.ScheduleNewOrchestrationInstanceAsync(new TaskName(Orchestration), $"case-{i:D6}", new StartOrchestrationOptions($"floor-{suffix}-{i:D6}"), token));

        var deadline = TimeSpan.FromMinutes(Math.Max(3, cases / 10));
        while (floor._completed.Count < cases && floor._clock.Elapsed - started < deadline)
        {
            await Task.Delay(100, ct);
        }

        var done = probe.Take();
        var settled = await probe.WaitForQuietAsync(idle, TimeSpan.FromMinutes(2), ct);
        await stopConsumer.CancelAsync();
        await consumer;
        await worker.StopAsync(isForced: true);

        return new FloorResult(
            cases,
            floor._sent.Values.Select(t => (t - started).TotalMilliseconds).Order().ToList(),
            floor._completed.Values.Select(t => (t - started).TotalSeconds).DefaultIfEmpty(double.NaN).Max(),
            floor._completed.Count,
            new BenchWindow(from, done, 0, cases),
            new BenchWindow(from, settled, 0, cases),
            idle);
    }

    /// <summary>
    /// The Azure Storage provider's settings as the local host makes them for the app: host.json's
    /// <c>extensions.durableTask</c> read through the local host's own <see cref="HostSettings"/>, a one-second polling
    /// default, then <c>storageProvider</c> bound onto the settings by name and the concurrency limits.
    /// </summary>
    private static AzureStorageOrchestrationServiceSettings Settings(string connectionString, string hub)
    {
        var host = HostSettings.Load(LocalApp.Options(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connectionString, ["PushGov:TaskHub"] = hub }));
        var durable = host.HostJson.GetSection("extensions:durableTask");
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = host.Resolve(durable["hubName"] ?? "TestHubName"),
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            WorkerId = $"{Environment.MachineName}-{Guid.NewGuid():N}",
            LoggerFactory = NullLoggerFactory.Instance,
        };
        durable.GetSection("storageProvider").Bind(settings);
        settings.MaxConcurrentTaskActivityWorkItems = durable.GetValue("maxConcurrentActivityFunctions", settings.MaxConcurrentTaskActivityWorkItems);
        settings.MaxConcurrentTaskOrchestrationWorkItems = durable.GetValue("maxConcurrentOrchestratorFunctions", settings.MaxConcurrentTaskOrchestrationWorkItems);
        settings.StorageAccountClientProvider = new StorageAccountClientProvider(host.StorageConnection(durable["storageProvider:connectionName"]));
        return settings;
    }

    /// <summary>The sender's least: take a batch, write each message's sink row, delete it from the queue; back off when empty.</summary>
    private async Task ConsumeAsync(CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(100);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var batch = (await _queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(30), ct)).Value;
                if (batch.Length == 0)
                {
                    await Task.Delay(wait, ct);
                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
                    continue;
                }

                wait = TimeSpan.FromMilliseconds(100);
                await Task.WhenAll(batch.Select(async m =>
                {
                    var id = m.Body.ToString();
                    await _sink.UpsertEntityAsync(new TableEntity(Partition, id) { ["RecordedAt"] = DateTimeOffset.UtcNow }, cancellationToken: ct);
                    await _queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, ct);
                    _sent.TryAdd(id, _clock.Elapsed);
                }));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [DurableTask(Orchestration)]
    private sealed class FloorOrchestrator(DurableFloor floor) : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            var matched = await context.CallActivityAsync<string>(MatchActivity, input);
            var resolved = await context.CallActivityAsync<string>(ResolveActivity, matched);
            // The analyzer does not see the send activity (a [DurableTask] class with a constructor parameter); the worker registers it by this name.
#pragma warning disable DURABLE2003
            await context.CallActivityAsync(SendActivity, context.InstanceId);
#pragma warning restore DURABLE2003
            await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(1), CancellationToken.None);
            if (!context.IsReplaying)
            {
                floor._completed.TryAdd(context.InstanceId, floor._clock.Elapsed);
            }

            return resolved;
        }
    }

    /// <summary>An activity without I/O: it hands its input back.</summary>
    private abstract class PassActivity : Microsoft.DurableTask.TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input);
    }

    [DurableTask(MatchActivity)]
    private sealed class FloorMatch : PassActivity;

    [DurableTask(ResolveActivity)]
    private sealed class FloorResolve : PassActivity;

    /// <summary>Writes the message row (idempotent: an upsert by instance id) and enqueues the message for the consumer.</summary>
    [DurableTask(SendActivity)]
    private sealed class SendMessageActivity(DurableFloor floor) : Microsoft.DurableTask.TaskActivity<string, string>
    {
        public override async Task<string> RunAsync(TaskActivityContext context, string input)
        {
            await floor._messages.UpsertEntityAsync(new TableEntity(Partition, input)
            {
                ["Status"] = "created",
                ["Text"] = "出生届の受理に伴うお知らせ: 児童手当の申請は出生日の翌日から15日以内にお願いします。",
                ["CreatedAt"] = DateTimeOffset.UtcNow,
            });
            await floor._queue.SendMessageAsync(input);
            return input;
        }
    }
}

/// <summary>What the floor measured: first-message latencies from the start of scheduling (ms, sorted), the last completion (s), and its windows.</summary>
public sealed record FloorResult(int Cases, IReadOnlyList<double> LatenciesMs, double LastCompletionSeconds, int Completed, BenchWindow ToCompletion, BenchWindow Settled, double IdleRequestsPerSecond);
