using System.Globalization;
using PushGov.Testing;

namespace PushGov.Drills;

/// <summary>
/// What a drill is run with: the rows of its births drop, the kills (for <c>kill</c>), the seed, the size of the
/// one-line file (for <c>bad-drops</c>), how long storage is down (for <c>storage-restart</c>), and the API clients and
/// how long they call (for <c>load</c>).
/// </summary>
public sealed record DrillOptions(int Rows, int Kills, int Seed, string CommandLine, int HugeMegabytes = 2048, int OutageSeconds = 20, int Clients = 200, int Seconds = 60);

/// <summary>
/// A drill's outcome: its figures (one per line, printed and written to docs/reliability.md) and the problems it found
/// (a loss, a duplicate, a difference from the clean run); it passed when there are none.
/// </summary>
public sealed class DrillResult(string drill, DrillOptions options)
{
    private readonly List<string> _figures = [];
    private readonly List<string> _problems = [];

    public string Drill { get; } = drill;

    public DrillOptions Options { get; } = options;

    public IReadOnlyList<string> Figures => _figures;

    public IReadOnlyList<string> Problems => _problems;

    public bool Passed => _problems.Count == 0;

    public void Figure(string line) => _figures.Add(line);

    public void Problem(string? problem)
    {
        if (problem is not null)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>The figures every drill reports about where and how long it ran.</summary>
    public void Machine(DrillSystem system)
    {
        var (host, azurite) = system.CpuSeconds();
        var wall = system.Elapsed.TotalSeconds;
        Figure(string.Create(CultureInfo.InvariantCulture, $"wall time {wall:F1} s; CPU: host {host:F1} s ({host / wall:F2} cores, all {system.Host.Starts} starts), Azurite {azurite:F1} s ({azurite / wall:F2} cores); host peak RSS {system.Host.PeakResidentBytes / 1048576.0:F0} MiB (VmHWM, largest of its starts)"));
        Figure($"machine: {MachineInfo.Describe()}; load average at the end {ProcessCpu.LoadAverage()}");
    }

    /// <summary>The result as markdown for docs/reliability.md: command, seed, figures, and what failed if anything did.</summary>
    public string ToMarkdown(DateTimeOffset at) =>
        $"Run {at:yyyy-MM-dd HH:mm} UTC with `{Options.CommandLine}` (seed {Options.Seed}): **{(Passed ? "passed" : "FAILED")}**.\n\n" +
        "```text\n" + string.Join('\n', Figures) + "\n```\n" +
        (Passed ? string.Empty : "\nWhat failed:\n\n```text\n" + string.Join('\n', Problems) + "\n```\n");
}
