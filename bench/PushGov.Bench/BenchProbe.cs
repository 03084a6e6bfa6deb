using System.Diagnostics;
using System.Globalization;
using PushGov.Testing;

namespace PushGov.Bench;

/// <summary>What the process and the storage emulator had used at one moment of a run.</summary>
public sealed record ProbeSample(TimeSpan At, StorageRequests Requests, double ProcessCpu, double AzuriteCpu, double LoopOnCpu, double LoopWaiting);

/// <summary>
/// Takes <see cref="ProbeSample"/>s: storage requests (<see cref="StorageRequestMeter"/>), this process's CPU, the storage
/// emulator's CPU and its event loop's time on a CPU and waiting for one (<see cref="ProcessCpu"/>).
/// </summary>
public sealed class BenchProbe(StorageRequestMeter meter, IReadOnlyList<int> azurite)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ProbeSample Take()
    {
        var loop = azurite.Count == 0 ? (double.NaN, double.NaN) : ProcessCpu.MainThread(azurite[0]);
        return new ProbeSample(_clock.Elapsed, meter.Snapshot(), ProcessCpu.Seconds(Environment.ProcessId), ProcessCpu.Seconds(azurite), loop.Item1, loop.Item2);
    }

    /// <summary>Storage requests per second while nothing is being done (pollers only), measured over <paramref name="span"/>.</summary>
    public async Task<double> IdleRateAsync(TimeSpan span, CancellationToken ct)
    {
        var before = Take();
        await Task.Delay(span, ct);
        var after = Take();
        return (after.Requests - before.Requests).Total / (after.At - before.At).TotalSeconds;
    }

    /// <summary>
    /// Waits until the work has died down: three consecutive seconds with no more storage requests than idle polling makes
    /// (<paramref name="idlePerSecond"/>, with a margin), or <paramref name="limit"/>; returns the sample where the quiet began.
    /// </summary>
    public async Task<ProbeSample> WaitForQuietAsync(double idlePerSecond, TimeSpan limit, CancellationToken ct)
    {
        var threshold = Math.Max(idlePerSecond * 1.5, idlePerSecond + 5);
        var start = Take();
        var quietSince = start;
        var quietSeconds = 0;
        var previous = start;
        while (quietSeconds < 3 && previous.At - start.At < limit)
        {
            await Task.Delay(1000, ct);
            var now = Take();
            if ((now.Requests - previous.Requests).Total / (now.At - previous.At).TotalSeconds <= threshold)
            {
                if (quietSeconds++ == 0)
                {
                    quietSince = previous;
                }
            }
            else
            {
                quietSeconds = 0;
            }

            previous = now;
        }

        return quietSeconds >= 3 ? quietSince : previous;
    }
}

/// <summary>The figures of one measured window of a run, per case.</summary>
public sealed record BenchWindow(ProbeSample From, ProbeSample To, long OwnRequests, int Cases)
{
    public double Seconds => (To.At - From.At).TotalSeconds;

    public StorageRequests Requests => To.Requests - From.Requests;

    /// <summary>Storage requests per case, the benchmark's own (polling the sink) left out.</summary>
    public double RequestsPerCase => (Requests.Total - OwnRequests) / (double)Math.Max(1, Cases);

    public double ProcessCpuPerCase => (To.ProcessCpu - From.ProcessCpu) / Math.Max(1, Cases);

    public double AzuriteCpuPerCase => (To.AzuriteCpu - From.AzuriteCpu) / Math.Max(1, Cases);

    public string Describe(string processName)
    {
        var r = Requests;
        var n = (double)Math.Max(1, Cases);
        var loopBusy = (To.LoopOnCpu - From.LoopOnCpu) / Seconds;
        var loopWaiting = (To.LoopWaiting - From.LoopWaiting) / Seconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Seconds:F1} s; storage requests {RequestsPerCase:F1}/case (blob {r.Blob / n:F1}, queue {r.Queue / n:F1}, table {r.Table / n:F1}, writes {r.Writes / n:F1}; {OwnRequests} of the benchmark's own left out); " +
            $"CPU {ProcessCpuPerCase * 1000:F0} ms/case {processName} ({(To.ProcessCpu - From.ProcessCpu) / Seconds:F2} cores), {AzuriteCpuPerCase * 1000:F0} ms/case Azurite ({(To.AzuriteCpu - From.AzuriteCpu) / Seconds:F2} cores); " +
            $"Azurite's event loop on a CPU {loopBusy:P0} and waiting for one {loopWaiting:P0} of the time");
    }
}
