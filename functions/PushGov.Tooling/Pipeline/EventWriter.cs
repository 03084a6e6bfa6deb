using System.Runtime.ExceptionServices;
using PushGov.Domain.Detection;

namespace PushGov.Tooling.Pipeline;

/// <summary>
/// Writes <c>./pushgov detect</c> events as <see cref="EventOutput"/> does, but on a thread of its own: the detecting
/// thread hands the events over in batches and goes on detecting while their JSON lines are made and written (about a
/// fifth of the detecting thread's time on a large drop, measured in P1, docs/benchmarks.md). The lines come in the order
/// the events were given. What the writing thread fails with is thrown to the caller by the next <see cref="Write"/> or
/// by <see cref="Complete"/>; disposing without completing stops the writing thread.
/// </summary>
public sealed class EventWriter : IDisposable
{
    /// <summary>Events handed to the writing thread at a time.</summary>
    private const int BatchEvents = 1024;

    /// <summary>Batches waiting at most (bounds the memory the hand-over holds).</summary>
    private const int QueuedBatches = 4;

    private readonly EventOutput output;
    private readonly BatchHandOver<LifeEvent> handOver = new(BatchEvents, QueuedBatches);
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;
    private ExceptionDispatchInfo? failure;
    private bool joined;

    public EventWriter(Stream output)
    {
        this.output = new EventOutput(output);
        thread = new Thread(WriteAll) { IsBackground = true, Name = "event writer" };
        thread.Start();
    }

    /// <summary>Lines written: all of them once <see cref="Complete"/> returned.</summary>
    public long Lines => output.Lines;

    public void Write(LifeEvent e)
    {
        try
        {
            handOver.Add(e, stop.Token);
        }
        catch (OperationCanceledException) when (failure is not null)
        {
            failure.Throw();
        }
    }

    /// <summary>Writes the events not yet written, waits for the writing thread and flushes the output.</summary>
    public void Complete()
    {
        try
        {
            handOver.Flush(stop.Token);
        }
        catch (OperationCanceledException) when (failure is not null)
        {
            // The writing thread failed: thrown below, once it has ended.
        }
        finally
        {
            handOver.CompleteAdding();
        }

        thread.Join();
        joined = true;
        failure?.Throw();
        output.Flush();
    }

    public void Dispose()
    {
        if (!joined)
        {
            stop.Cancel();
            handOver.CompleteAdding();
            thread.Join();
            joined = true;
        }

        if (failure is null)
        {
            output.Dispose(); // flushes: not again into an output that failed
        }

        handOver.Dispose();
        stop.Dispose();
    }

    private void WriteAll()
    {
        try
        {
            foreach (var batch in handOver.Batches(stop.Token))
            {
                foreach (var e in batch)
                {
                    output.Write(e);
                }
            }
        }
#pragma warning disable CA1031 // Whatever stops the writing thread is rethrown on the thread that hands the events over.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = ExceptionDispatchInfo.Capture(e);
            stop.Cancel(); // the caller may be waiting for room in the hand-over
        }
    }
}
