using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost.Triggers;

/// <summary>The queue settings of host.json's <c>extensions.queues</c> (Functions host defaults).</summary>
internal sealed record QueueTriggerOptions(
    int BatchSize, int NewBatchThreshold, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval, QueueMessageEncoding Encoding)
{
    public static QueueTriggerOptions From(HostSettings settings)
    {
        var batchSize = settings.HostValue("extensions:queues:batchSize", 16);
        return new(
            batchSize,
            settings.HostValue("extensions:queues:newBatchThreshold", batchSize / 2),
            settings.HostValue("extensions:queues:maxDequeueCount", 5),
            settings.HostValue("extensions:queues:visibilityTimeout", TimeSpan.Zero),
            settings.HostValue("extensions:queues:maxPollingInterval", TimeSpan.FromMinutes(1)),
            string.Equals(settings.HostValue("extensions:queues:messageEncoding", "base64"), "none", StringComparison.OrdinalIgnoreCase)
                ? QueueMessageEncoding.None
                : QueueMessageEncoding.Base64);
    }
}

/// <summary>
/// A queue trigger as the Functions host runs it: batches of up to batchSize messages, a new batch when no more than
/// newBatchThreshold are running, the message kept invisible while its function runs, made visible again after
/// visibilityTimeout when it fails, and moved to <c>&lt;queue&gt;-poison</c> after maxDequeueCount failed tries. An
/// empty queue is polled with exponential backoff up to maxPollingInterval.
/// </summary>
internal sealed class QueueTriggerListener(
    FunctionInvoker function, string queueName, QueueServiceClient queues, QueueTriggerOptions options, IServiceProvider services, ILogger logger)
    : TriggerListener(logger)
{
    /// <summary>How long a received message stays invisible before its lease is renewed (a crash makes it visible after this).</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    public string QueueName { get; } = queueName;

    protected override async Task PollAsync(CancellationToken stopping)
    {
        var queue = queues.GetQueueClient(QueueName);
        var poison = queues.GetQueueClient(QueueName + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stopping);
        var delay = MinPollingInterval;
        while (!stopping.IsCancellationRequested)
        {
            if (RunningCount > options.NewBatchThreshold)
            {
                await DelayAsync(MinPollingInterval, stopping);
                continue;
            }

            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(options.BatchSize, Hold, stopping)).Value;
            }
            catch (RequestFailedException e)
            {
                Logger.LogWarning(e, "Receiving from queue {Queue} failed.", QueueName);
                messages = [];
            }

            foreach (var message in messages)
            {
                _ = Run(() => ProcessAsync(queue, poison, message));
            }

            delay = messages.Length > 0 ? MinPollingInterval : Min(delay * 2, options.MaxPollingInterval);
            await DelayAsync(messages.Length > 0 ? TimeSpan.Zero : delay, stopping);
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message)
    {
        try
        {
            if (message.DequeueCount > options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, message.PopReceipt);
                return;
            }

            using var renewal = new CancellationTokenSource();
            var popReceipt = message.PopReceipt;
            var keepHidden = KeepHiddenAsync(queue, message.MessageId, () => popReceipt, r => popReceipt = r, renewal.Token);
            Exception? failure = null;
            try
            {
                await function.InvokeAsync(services, Input(message), InvocationToken);
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                await renewal.CancelAsync();
                await keepHidden;
            }

            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None);
            }
            else if (message.DequeueCount >= options.MaxDequeueCount)
            {
                Logger.LogError(failure, "Function {Function} failed on message {MessageId} (try {Try}); moving it to {Queue}-poison.", function.Name, message.MessageId, message.DequeueCount, QueueName);
                await MoveToPoisonAsync(queue, poison, message, popReceipt);
            }
            else
            {
                Logger.LogWarning(failure, "Function {Function} failed on message {MessageId} (try {Try}).", function.Name, message.MessageId, message.DequeueCount);
                await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: options.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (RequestFailedException e)
        {
            // The message's lease was lost (e.g. it became visible and another instance took it): that instance owns it now.
            Logger.LogWarning(e, "Queue {Queue}: finishing message {MessageId} failed.", QueueName, message.MessageId);
        }
    }

    private async Task KeepHiddenAsync(QueueClient queue, string messageId, Func<string> popReceipt, Action<string> setPopReceipt, CancellationToken done)
    {
        while (await DelayAsync(Hold / 3, done))
        {
            try
            {
                var receipt = await queue.UpdateMessageAsync(messageId, popReceipt(), visibilityTimeout: Hold, cancellationToken: done);
                setPopReceipt(receipt.Value.PopReceipt);
            }
            catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, string popReceipt)
    {
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync(message.Body);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt);
    }

    private static TriggerInput Input(QueueMessage message) => new()
    {
        Bind = (type, _) => ValueTask.FromResult(Convert(message, type)),
        BindingData = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["QueueTrigger"] = message.Body.ToString(),
            ["DequeueCount"] = message.DequeueCount,
            ["Id"] = message.MessageId,
            ["PopReceipt"] = message.PopReceipt,
            ["InsertionTime"] = message.InsertedOn,
            ["ExpirationTime"] = message.ExpiresOn,
            ["NextVisibleTime"] = message.NextVisibleOn,
        },
    };

    private static object? Convert(QueueMessage message, Type type) =>
        type == typeof(QueueMessage) ? message
        : type == typeof(string) ? message.Body.ToString()
        : type == typeof(BinaryData) ? message.Body
        : type == typeof(byte[]) ? message.Body.ToArray()
        : JsonSerializer.Deserialize(message.Body, type, FunctionInvoker.Json);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
