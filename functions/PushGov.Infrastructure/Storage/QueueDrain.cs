using Azure.Storage.Queues;

namespace PushGov.Infrastructure.Storage;

/// <summary>Empties a queue (a poison queue, typically): each message is handled, then deleted.</summary>
public static class QueueDrain
{
    /// <summary>Handles and deletes every visible message; returns how many. A handler that throws leaves its message for the next drain.</summary>
    public static async Task<int> DrainAsync(QueueClient queue, Func<string, Task> handle, CancellationToken ct)
    {
        var drained = 0;
        while (!ct.IsCancellationRequested)
        {
            var batch = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(2), ct)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var m in batch)
            {
                await handle(m.Body.ToString());
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, ct);
                drained++;
            }
        }

        return drained;
    }
}
