using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost.Durable;

/// <summary>
/// Runs the app's orchestrator and activity functions in-process on the Durable Task Framework's Azure Storage provider
/// (the backend Durable Functions uses on Azure Storage), through the public <see cref="DurableTaskShimFactory"/>.
/// Task hub: host.json <c>extensions.durableTask.hubName</c> (with <c>%Setting%</c> expressions, and overridable by the
/// setting <c>AzureFunctionsJobHost__extensions__durableTask__hubName</c>), default "TestHubName" as Core Tools use.
/// <c>extensions.durableTask.storageProvider</c> binds onto the provider's settings by name (partitionCount,
/// maxQueuePollingInterval, controlQueueBatchSize...); the queue polling interval defaults to 1 s for latency.
/// Instances on one task hub share the work (control-queue partitions and the work-item queue).
/// </summary>
internal sealed class DurableTaskRuntime : IHostedService, IDisposable
{
    /// <summary>The worker's data converter: System.Text.Json with web defaults.</summary>
    public static readonly DataConverter Converter = new JsonDataConverter(FunctionInvoker.Json);

    private readonly AzureStorageOrchestrationService _service;
    private readonly IReadOnlyList<FunctionInvoker> _functions;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly DurableTaskShimFactory _shims;
    private TaskHubWorker? _worker;

    public DurableTaskRuntime(HostSettings settings, IReadOnlyList<FunctionInvoker> functions, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        _functions = functions;
        _services = services;
        _loggerFactory = loggerFactory;
        _shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = Converter }, loggerFactory);

        var durable = settings.HostJson.GetSection("extensions:durableTask");
        var storage = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = settings.Resolve(durable["hubName"] ?? "TestHubName"),
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            // Instances in one process or on one machine must not share a worker id, or they would share partition leases.
            WorkerId = $"{Environment.MachineName}-{Guid.NewGuid():N}",
            LoggerFactory = loggerFactory,
        };
        durable.GetSection("storageProvider").Bind(storage);
        storage.MaxConcurrentTaskActivityWorkItems = durable.GetValue("maxConcurrentActivityFunctions", storage.MaxConcurrentTaskActivityWorkItems);
        storage.MaxConcurrentTaskOrchestrationWorkItems = durable.GetValue("maxConcurrentOrchestratorFunctions", storage.MaxConcurrentTaskOrchestrationWorkItems);
        storage.StorageAccountClientProvider = new StorageAccountClientProvider(settings.StorageConnection(durable["storageProvider:connectionName"]));
        _service = new AzureStorageOrchestrationService(storage);
        Client = new LocalDurableTaskClient(_service, Converter);
    }

    public LocalDurableTaskClient Client { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _service.CreateIfNotExistsAsync();
        _worker = new TaskHubWorker(_service, _loggerFactory) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        foreach (var function in _functions)
        {
            if (function.Trigger.IsType("orchestrationTrigger"))
            {
                _worker.AddTaskOrchestrations(new FreshObjectCreator<TaskOrchestration>(
                    function.Name, () => _shims.CreateOrchestration(new TaskName(function.Name), new FunctionOrchestrator(function, _services, _loggerFactory))));
            }
            else if (function.Trigger.IsType("activityTrigger"))
            {
                _worker.AddTaskActivities(new FreshObjectCreator<TaskActivity>(
                    function.Name, () => _shims.CreateActivity(new TaskName(function.Name), new FunctionActivity(function, _services))));
            }
        }

        await _worker.StartAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is not null)
        {
            // Not forced: the worker finishes the work items it holds, within the host's shutdown timeout. Whatever
            // is cut short is replayed from history by whichever instance takes the partition next.
            try
            {
                await _worker.StopAsync(isForced: false).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _service.Dispose();
    }

    /// <summary>An orchestrator function as the shim runs it: the trigger parameter gets the orchestration context.</summary>
    private sealed class FunctionOrchestrator(FunctionInvoker function, IServiceProvider services, ILoggerFactory loggerFactory) : ITaskOrchestrator
    {
        public Type InputType => typeof(object);

        public Type OutputType => typeof(object);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var wrapped = new FunctionOrchestrationContext(context, input, Converter, loggerFactory);
            return function.InvokeAsync(services, new TriggerInput
            {
                Bind = (type, _) => ValueTask.FromResult<object?>(type.IsAssignableFrom(typeof(FunctionOrchestrationContext))
                    ? wrapped
                    : throw new InvalidOperationException($"Function {function.Name}: an orchestration trigger binds to TaskOrchestrationContext, not {type.Name}.")),
                BindingData = new Dictionary<string, object?> { ["instanceId"] = context.InstanceId },
            }, CancellationToken.None);
        }
    }

    /// <summary>An activity function as the shim runs it: the trigger parameter gets the input, deserialized to its type by the shim.</summary>
    private sealed class FunctionActivity(FunctionInvoker function, IServiceProvider services) : ITaskActivity
    {
        public Type InputType { get; } = function.TriggerParameter is { } p && p.ParameterType != typeof(FunctionContext) ? p.ParameterType : typeof(object);

        public Type OutputType => typeof(object);

        public Task<object?> RunAsync(TaskActivityContext context, object? input) => function.InvokeAsync(services, new TriggerInput
        {
            Bind = (_, _) => ValueTask.FromResult(input),
            BindingData = new Dictionary<string, object?> { ["instanceId"] = context.InstanceId },
        }, CancellationToken.None);
    }
}
