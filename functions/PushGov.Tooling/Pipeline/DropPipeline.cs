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
/// </summary>
public sealed class DropPipeline
{
    private readonly DropOptions options;
    private readonly List<LifeEvent> pending = new(8);

    public DropPipeline(string tenant, DateOnly asOf, DropOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        this.options = options ?? DropOptions.Default;
        Tenant = tenant;
        View = new ResidentView();
        Detector = new LifeEventDetector(tenant, View, new AgeEventSweep(tenant), new LifeEventDetectorOptions { AsOf = asOf });
    }

    public string Tenant { get; }

    public ResidentView View { get; }

    public LifeEventDetector Detector { get; }

    /// <summary>
    /// Reads one drop from <paramref name="content"/>, applies its rows and hands each event to <paramref name="onEvent"/>
    /// right after the row that shows it (so <see cref="View"/> is as that row left it). Returns the drop's report; when
    /// <see cref="DropReport.RejectedWhole"/> is set, the caller must discard what it was given for this drop.
    /// </summary>
    public DropReport Apply(Stream content, Dataset dataset, Action<LifeEvent> onEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onEvent);
        var report = new DropReport { Dataset = dataset };
        foreach (var row in DropReader.Read(content, dataset, options, report, ct))
        {
            Detector.Apply(row, pending);
            if (pending.Count > 0)
            {
                Flush(onEvent);
            }
        }

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

    private void Flush(Action<LifeEvent> onEvent)
    {
        foreach (var e in pending)
        {
            onEvent(e);
        }

        pending.Clear();
    }
}
