using System.Diagnostics;

namespace PushGov.Bench;

/// <summary>
/// The highest working set of this process while it lives, sampled every 20 ms (Process.PeakWorkingSet64 only ever grows,
/// so it cannot say what one phase of a run needed).
/// </summary>
public sealed class PeakSampler : IDisposable
{
    private readonly Timer timer;
    private readonly Process process = Process.GetCurrentProcess();
    private long peak;

    public PeakSampler()
    {
        Sample();
        timer = new Timer(_ => Sample(), null, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));
    }

    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref peak);
        }
    }

    public void Dispose()
    {
        timer.Dispose();
        process.Dispose();
    }

    private void Sample()
    {
        lock (process)
        {
            process.Refresh();
            var now = process.WorkingSet64;
            if (now > Interlocked.Read(ref peak))
            {
                Interlocked.Exchange(ref peak, now);
            }
        }
    }
}
