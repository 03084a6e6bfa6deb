using System.Collections.Concurrent;

namespace PushGov.LocalHost.SampleApp;

/// <summary>What the sample functions saw, for the tests to read (one per host instance: a DI singleton).</summary>
public sealed class Probe
{
    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>What the slow function waits for.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Record(string text) => Events.Enqueue(text);
}
