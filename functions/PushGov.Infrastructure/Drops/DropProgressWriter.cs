using System.Text;
using Azure.Storage.Blobs;
using PushGov.Domain.Drops;

namespace PushGov.Infrastructure.Drops;

/// <summary>
/// Writes a drop's report, with its <see cref="DropReport.Progress"/>, where the finished report will be (so the drop
/// report API and the staff portal show how far a large drop has got), at most once per interval. Called from the
/// thread that reads the drop (the report is not read while another thread fills it) or, while cases start in parallel,
/// from any of them: one write at a time, and a tick that finds a write under way skips it.
/// </summary>
internal sealed class DropProgressWriter(BlobClient target, TimeProvider clock, TimeSpan interval)
{
    private readonly Lock gate = new();
    private long lastWritten;
    private bool written;

    /// <summary>How many progress reports were written (for the log).</summary>
    public int Writes { get; private set; }

    /// <summary>Writes the report with the progress when the interval has passed since the last write.</summary>
    public void Tick(DropReport report, Func<DropProgress> progress)
    {
        if (written && clock.GetElapsedTime(lastWritten) < interval)
        {
            return;
        }

        if (gate.TryEnter())
        {
            try
            {
                Write(report, progress());
            }
            finally
            {
                gate.Exit();
            }
        }
    }

    /// <summary>Writes the report with the progress now (at the start of a phase).</summary>
    public void Now(DropReport report, DropProgress progress)
    {
        lock (gate)
        {
            Write(report, progress);
        }
    }

    private void Write(DropReport report, DropProgress progress)
    {
        report.Progress = progress;
        string json;
        try
        {
            json = report.ToJson();
        }
        finally
        {
            report.Progress = null;
        }

        // Synchronous: it runs inside the row loop of the reading pass, every few seconds.
        target.Upload(new BinaryData(Encoding.UTF8.GetBytes(json)), overwrite: true);
        lastWritten = clock.GetTimestamp();
        written = true;
        Writes++;
    }
}
