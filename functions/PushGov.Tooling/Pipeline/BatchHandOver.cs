using System.Collections.Concurrent;

namespace PushGov.Tooling.Pipeline;

/// <summary>
/// Items handed from one thread to another in batches, in the order they were added, with at most a few batches waiting
/// (so the hand-over holds little memory and the faster side waits for the slower). One thread adds, one takes.
/// </summary>
internal sealed class BatchHandOver<T> : IDisposable
{
    private readonly BlockingCollection<T[]> batches;
    private readonly int batchSize;
    private T[] batch;
    private int count;

    /// <param name="batchSize">Items handed over at a time.</param>
    /// <param name="maxBatches">Batches waiting at most; adding waits for room beyond that.</param>
    public BatchHandOver(int batchSize, int maxBatches)
    {
        this.batchSize = batchSize;
        batches = new BlockingCollection<T[]>(maxBatches);
        batch = new T[batchSize];
    }

    /// <summary>Adds an item, handing its batch over when it is full (waiting for room, or until cancelled).</summary>
    public void Add(T item, CancellationToken ct)
    {
        batch[count++] = item;
        if (count == batchSize)
        {
            batches.Add(batch, ct);
            batch = new T[batchSize];
            count = 0;
        }
    }

    /// <summary>Hands over the items of a batch not yet full.</summary>
    public void Flush(CancellationToken ct)
    {
        if (count > 0)
        {
            batches.Add(batch[..count], ct);
            count = 0;
        }
    }

    /// <summary>Says that nothing more will be added (also after adding failed): the taking side ends after the last batch.</summary>
    public void CompleteAdding() => batches.CompleteAdding();

    /// <summary>The batches in order, waiting for each, until <see cref="CompleteAdding"/> (or cancellation).</summary>
    public IEnumerable<T[]> Batches(CancellationToken ct) => batches.GetConsumingEnumerable(ct);

    public void Dispose() => batches.Dispose();
}
