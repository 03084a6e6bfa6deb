using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost.Triggers;

/// <summary>
/// A polling trigger listener. Stopping ends the polling at once, then waits for running invocations until the host's
/// shutdown timeout (<see cref="LocalHostOptions.DrainTimeout"/>), then cancels their CancellationToken. Nothing is lost
/// if the process dies instead: receipts, leases and queue visibility make the work run again.
/// </summary>
internal abstract class TriggerListener(ILogger logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _polling = new();
    private readonly CancellationTokenSource _invocations = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];
    private Task? _loop;

    protected ILogger Logger { get; } = logger;

    /// <summary>Cancelled when stopping has waited long enough for running invocations.</summary>
    protected CancellationToken InvocationToken => _invocations.Token;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_polling.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _polling.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _invocations.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    public void Dispose()
    {
        _polling.Dispose();
        _invocations.Dispose();
    }

    /// <summary>Polls until <paramref name="stopping"/> is cancelled; must return then (not throw).</summary>
    protected abstract Task PollAsync(CancellationToken stopping);

    /// <summary>Number of invocations started by <see cref="Run"/> that have not finished.</summary>
    protected int RunningCount
    {
        get
        {
            lock (_lock)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>Starts work in the background, tracked so stopping can wait for it. The work must handle its own errors.</summary>
    protected Task Run(Func<Task> work)
    {
        var task = Task.Run(work, CancellationToken.None);
        lock (_lock)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_lock)
                {
                    _running.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return task;
    }

    /// <summary>Waits for the delay or until stopping; false when stopping.</summary>
    protected static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls until stopped; a failure (storage unreachable...) is logged and polling starts again after a pause.</summary>
    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PollAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Logger.LogError(e, "The trigger listener failed; it starts again in {Seconds} s.", RestartDelay.TotalSeconds);
                await DelayAsync(RestartDelay, stopping);
            }
        }
    }
}
