using System.Runtime.ExceptionServices;
using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;

namespace PushGov.Tooling.Pipeline;

/// <summary>One drop given on the command line as <c>DATASET=FILE</c>.</summary>
public sealed record DropInput(Dataset Dataset, string Path)
{
    /// <summary>Parses <c>resident-changes=drops/births.csv</c>; the error says what is wrong, naming the argument.</summary>
    public static bool TryParse(string argument, out DropInput? input, out string? error)
    {
        input = null;
        var eq = argument.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == argument.Length - 1)
        {
            error = $"'{argument}': expected DATASET=FILE, e.g. resident-changes=changes.csv (datasets: {string.Join(", ", Datasets.Names)}).";
            return false;
        }

        var name = argument[..eq];
        if (!Datasets.TryParse(name, out var dataset))
        {
            error = $"'{argument}': unknown dataset '{name}'; use one of: {string.Join(", ", Datasets.Names)}.";
            return false;
        }

        var path = argument[(eq + 1)..];
        if (!File.Exists(path))
        {
            error = $"'{argument}': no file '{path}'.";
            return false;
        }

        input = new DropInput(dataset, path);
        error = null;
        return true;
    }
}

/// <summary>
/// What <c>./pushgov detect</c> and <c>match</c> run, without storage: drops applied in order to one in-memory
/// <see cref="ResidentView"/> through a <see cref="LifeEventDetector"/> (with an <see cref="AgeEventSweep"/> and
/// <see cref="LifeEventDetectorOptions.AsOf"/>), as the function app applies them to the households it loads.
/// A <c>residents</c> snapshot's rows go through the detector as they are (no diff: the view is the previous state).
/// <para>
/// A drop is read (decoded, parsed, typed) on a thread of its own and handed over in batches of rows to the thread that
/// detects and writes, so a large drop uses two cores; rows are applied in the drop's order, so the events are the same
/// as when read and applied one after the other.
/// </para>
/// </summary>
public sealed class DropPipeline
{
    /// <summary>Rows handed from the reading thread to the detecting thread at a time.</summary>
    private const int BatchRows = 1024;

    /// <summary>Batches read ahead at most (bounds the memory the hand-over holds).</summary>
    private const int QueuedBatches = 4;

    private readonly DropOptions options;
    private readonly List<LifeEvent> pending = new(8);

    /// <param name="tenant">The tenant's local government code.</param>
    /// <param name="asOf">The day the drops are taken in.</param>
    /// <param name="options">The tenant's drop options.</param>
    /// <param name="detectionOnly">
    /// True when only the events are wanted (<c>detect</c>): the view then keeps of each person only what detection reads
    /// (ids, dates, relationship, status, sex, nationality) in its compact form, not their names, kana, postal code,
    /// address or 外字, nor the person itself (<see cref="ResidentView(bool)"/>). <c>match</c> needs whole persons (false).
    /// </param>
    public DropPipeline(string tenant, DateOnly asOf, DropOptions? options = null, bool detectionOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        this.options = options ?? DropOptions.Default;
        Tenant = tenant;
        View = new ResidentView(detectionOnly);
        Detector = new LifeEventDetector(tenant, View, new AgeEventSweep(tenant), new LifeEventDetectorOptions { AsOf = asOf });
    }

    public string Tenant { get; }

    public ResidentView View { get; }

    public LifeEventDetector Detector { get; }

    /// <summary>
    /// Reads one drop from <paramref name="content"/>, applies its rows and hands each event to <paramref name="onEvent"/>
    /// right after the row that shows it (so <see cref="View"/> is as that row left it). Returns the drop's report; when
    /// <see cref="DropReport.RejectedWhole"/> is set, the caller must discard what it was given for this drop.
    /// <paramref name="onEvent"/> runs on the calling thread; the drop is read on another.
    /// </summary>
    public DropReport Apply(Stream content, Dataset dataset, Action<LifeEvent> onEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onEvent);
        var report = new DropReport { Dataset = dataset };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var batches = new BatchHandOver<DropRow>(BatchRows, QueuedBatches);
        ExceptionDispatchInfo? readerFailure = null;
        var reader = new Thread(() => readerFailure = Read(content, dataset, report, batches, stop.Token))
        {
            IsBackground = true,
            Name = "drop reader",
        };
        reader.Start();
        try
        {
            foreach (var batch in batches.Batches(stop.Token))
            {
                foreach (var row in batch)
                {
                    Detector.Apply(row, pending);
                    if (pending.Count > 0)
                    {
                        Flush(onEvent);
                    }
                }
            }
        }
        catch
        {
            stop.Cancel(); // the reader may be waiting for room in the hand-over
            throw;
        }
        finally
        {
            reader.Join();
        }

        readerFailure?.Throw();
        ct.ThrowIfCancellationRequested();
        Detector.CompleteTaxDrop(pending);
        Flush(onEvent);
        return report;
    }

    /// <summary>Opens <paramref name="path"/> and applies it (see <see cref="Apply(Stream, Dataset, Action{LifeEvent}, CancellationToken)"/>).</summary>
    public DropReport Apply(string path, Dataset dataset, Action<LifeEvent> onEvent, CancellationToken ct = default)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Apply(stream, dataset, onEvent, ct);
    }

    /// <summary>The reading thread: typed rows in batches, then the end of the hand-over; what it failed with, if anything.</summary>
    private ExceptionDispatchInfo? Read(Stream content, Dataset dataset, DropReport report, BatchHandOver<DropRow> batches, CancellationToken ct)
    {
        try
        {
            foreach (var row in DropReader.Read(content, dataset, options, report, ct))
            {
                batches.Add(row, ct);
            }

            batches.Flush(ct);
            return null;
        }
#pragma warning disable CA1031 // Whatever stops the reading thread (cancellation included) is rethrown on the calling thread.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            batches.CompleteAdding();
        }
    }

    private void Flush(Action<LifeEvent> onEvent)
    {
        foreach (var e in pending)
        {
            onEvent(e);
        }

        pending.Clear();
    }
}
