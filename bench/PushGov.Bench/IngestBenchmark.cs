using System.Diagnostics;
using System.Globalization;
using System.Text;
using PushGov.Domain.Drops;
using PushGov.Domain.Eligibility;
using PushGov.Testing;
using PushGov.Tooling.Generate;
using PushGov.Tooling.Pipeline;
using Sylvan.Data.Csv;

namespace PushGov.Bench;

/// <summary>What <c>./pushgov bench ingest</c> runs.</summary>
public sealed record IngestBenchmarkOptions
{
    public int Rows { get; init; } = 1_000_000;

    public int Population { get; init; } = 3_800_000;

    public int FirstLoadPopulation { get; init; } = 200_000;

    /// <summary>When above 0, the first load is stopped once this many chunks of its plan are applied (and nothing else of P2 runs).</summary>
    public int FirstLoadChunks { get; init; }

    public double ChangedPercent { get; init; } = 0.2;

    public bool RunP1 { get; init; } = true;

    public bool RunP2 { get; init; } = true;

    public string? WorkDirectory { get; init; }

    public int Runs { get; init; } = 2;

    /// <summary>The markdown file to update (default docs/benchmarks.md at the repository root; "none" to skip).</summary>
    public string? DocPath { get; init; }

    public string CommandLine { get; init; } = "./pushgov bench ingest";
}

/// <summary>
/// <c>./pushgov bench ingest</c>:
/// <list type="bullet">
/// <item>P1: a generated <c>resident-changes</c> drop of a million rows through <see cref="DropPipeline"/> (DropReader +
/// LifeEventDetector on an in-memory view, as <c>./pushgov detect</c> runs it), against bare Sylvan parsing of the same
/// file in the same process; then detection + matching (every event matched against its household's snapshot).</item>
/// <item>P2: a residents snapshot with a small share changed, after a first snapshot, through <c>DropIngestor</c> on a real
/// Azurite (<see cref="SnapshotBenchmark"/>).</item>
/// </list>
/// Prints one figure per line and updates the P1/P2 sections of docs/benchmarks.md.
/// </summary>
public static class IngestBenchmark
{
    public static readonly DateOnly Day = new(2026, 11, 22);

    public static async Task<int> RunAsync(IngestBenchmarkOptions options, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var temporary = options.WorkDirectory is null;
        var work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "pushgov-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        try
        {
            var machine = MachineInfo.Describe();
            await output.WriteLineAsync($"machine: {machine}");
            string? p1 = null, p2 = null;
            if (options.RunP1)
            {
                p1 = RunP1(options, work, output, error, ct);
            }

            if (options.RunP2)
            {
                p2 = await SnapshotBenchmark.RunAsync(options, work, output, error, ct);
            }

            var doc = options.DocPath ?? BenchmarkDoc.DefaultPath();
            if (doc is not null && !string.Equals(doc, "none", StringComparison.OrdinalIgnoreCase))
            {
                if (p1 is not null)
                {
                    BenchmarkDoc.Update(doc, "P1", "P1: detection over a 1 M-row resident-changes drop", Section(machine, options.CommandLine, p1));
                }

                if (p2 is not null)
                {
                    BenchmarkDoc.Update(doc, "P2", "P2: a 3.8 M-resident snapshot with 0.2 % changes", Section(machine, options.CommandLine, p2));
                }

                await error.WriteLineAsync($"Updated {doc}.");
            }

            return 0;
        }
        finally
        {
            if (temporary)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static string Section(string machine, string command, string body) =>
        $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}.\n\nCommand: `{command}`\n\n```\n{body.TrimEnd()}\n```\n";

    private static string RunP1(IngestBenchmarkOptions options, string work, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var lines = new StringBuilder();
        void Line(string text)
        {
            lines.AppendLine(text);
            output.WriteLine(text);
        }

        var path = Path.Combine(work, $"changes-{options.Rows}-cp932.csv");
        if (!File.Exists(path))
        {
            error.WriteLine($"Generating {options.Rows:N0} resident-changes rows…");
            SyntheticMunicipality.GenerateChangesFile(path, options.Rows, seed: 7, Day, cp932: true);
        }

        var bytes = new FileInfo(path).Length;
        Line($"P1 file: {options.Rows:N0} rows, {bytes / 1048576.0:F0} MiB (CP932; dates as 西暦, 和暦 in kanji and S45.3.2; every row a resident the view has not seen)");

        // Warm-up (JIT, page cache) on a slice of the work, not counted.
        Bare(path, strings: true, maxRows: 50_000);
        Detect(path, match: null, maxEvents: 50_000, ct);

        var bare = Best(options.Runs, () => Bare(path, strings: false, long.MaxValue));
        var bareStrings = Best(options.Runs, () => Bare(path, strings: true, long.MaxValue));
        Line($"P1 bare Sylvan parse (records only):          {Rate(bare)}");
        Line($"P1 bare Sylvan parse (every field a string):  {Rate(bareStrings)}");

        // The whole `./pushgov detect` process on the same file (a child process of this very executable, timed by
        // /usr/bin/time): wall and CPU time and peak RSS include start-up, JIT, the pipeline's threads and writing the JSON.
        if (WholeProcess(path, output: "/dev/null") is { } whole)
        {
            Line($"P1 ./pushgov detect (whole process, events to /dev/null): {options.Rows:N0} rows in {whole.Wall:F2} s = {options.Rows / whole.Wall:N0} rows/s; CPU {whole.Cpu:F2} s (user {whole.User:F2} + sys {whole.Sys:F2}); peak RSS {whole.PeakRssKiB / 1024.0:F0} MiB; {whole.Summary}   [goals: >= 500,000 rows/s, <= 300 MB]");
            Line($"P1 ./pushgov detect / bare parse: {whole.Wall / bareStrings.Seconds:F2}x wall (vs field strings), {whole.Wall / bare.Seconds:F2}x (vs records only); CPU {whole.Cpu / bareStrings.CpuSeconds:F2}x and {whole.Cpu / bare.CpuSeconds:F2}x   [goal <= ~2x]");
        }

        var read = Best(options.Runs, () => ReadOnly(path, ct));
        Line($"P1 DropReader alone (typed rows, no detection): {Rate(read)}, {read.AllocatedBytes / (double)read.Rows:F0} B allocated/row");
        var detect = Best(options.Runs, () => Detect(path, match: null, long.MaxValue, ct));
        Line($"P1 detection (DropReader + LifeEventDetector): {Rate(detect)}, {detect.Events:N0} events, {detect.AllocatedBytes / (double)detect.Rows:F0} B allocated/row, {detect.Gen2} gen2 GCs, {detect.GcPauseSeconds:F2} s paused in GC");
        Line($"P1 detection / bare parse time: {detect.Seconds / bareStrings.Seconds:F2}x (vs field strings), {detect.Seconds / bare.Seconds:F2}x (vs records only); in CPU time {detect.CpuSeconds / bareStrings.CpuSeconds:F2}x and {detect.CpuSeconds / bare.CpuSeconds:F2}x   [goal <= 2x]");
        Line($"P1 detection rows/s: {detect.RowsPerSecond:N0} wall clock, {detect.RowsPerCpuSecond:N0} per CPU-second   [goal >= 500,000]");
        Line($"P1 detection peak working set (sampled): {detect.PeakWorkingSet / 1048576.0:F0} MiB, managed heap after: {detect.HeapAfter / 1048576.0:F0} MiB   [goal <= 300 MB]");

        var matcher = CatalogLoader.LoadDefault().Compile();
        var both = Best(options.Runs, () => Detect(path, matcher, long.MaxValue, ct));
        Line($"P1 detection + matching: {Rate(both)}, {both.Matches:N0} matches; matching adds {(both.Seconds / detect.Seconds - 1) * 100:F0}% to detection ({(both.CpuSeconds / detect.CpuSeconds - 1) * 100:F0}% in CPU time)   [goal <= 30%]");
        Line($"P1 detection + matching peak working set (sampled): {both.PeakWorkingSet / 1048576.0:F0} MiB");
        Line($"P1 process peak working set (PeakWorkingSet64, whole run so far): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        return lines.ToString();
    }

    private sealed record WholeRun(double Wall, double User, double Sys, long PeakRssKiB, string Summary)
    {
        public double Cpu => User + Sys;
    }

    /// <summary>
    /// Runs the command line's <c>detect</c> on the file under <c>/usr/bin/time</c>: the executable named by
    /// <c>PUSHGOV_CLI</c>, which <c>./pushgov bench</c> sets to the command line's Release executable (built before the
    /// bench starts, so no build is timed). Null when there is no such executable or no <c>/usr/bin/time</c>.
    /// </summary>
    private static WholeRun? WholeProcess(string path, string output)
    {
        var exe = Environment.GetEnvironmentVariable("PUSHGOV_CLI");
        if (exe is null || !File.Exists(exe) || !File.Exists("/usr/bin/time"))
        {
            return null;
        }

        var times = Path.Combine(Path.GetDirectoryName(path)!, "detect-time.txt");
        var start = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-o", times, "-f", "%e %U %S %M", "/bin/sh", "-c", "exec \"$0\" detect --tenant 401307 --as-of 2026-11-22 \"resident-changes=$1\" > \"$2\"", exe, path, output])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TERM"] = "dumb";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var summary = stderr.Split('\n').FirstOrDefault(l => l.Contains(" rows accepted", StringComparison.Ordinal)) ?? "(no summary)";
        var summaryTail = summary[(summary.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        var f = File.ReadAllText(times).Trim().Split('\n')[^1].Split(' ');
        File.Delete(times);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./pushgov detect exited {process.ExitCode}: {stderr}");
        }

        return new WholeRun(double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture), summaryTail);
    }

    private static string Rate(Measurement m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Rows:N0} rows in {m.Seconds:F2} s = {m.RowsPerSecond:N0} rows/s (CPU {m.CpuSeconds:F2} s = {m.RowsPerCpuSecond:N0} rows per CPU-second)");

    private sealed record Measurement(long Rows, double Seconds, long Events = 0, long Matches = 0, long AllocatedBytes = 0, int Gen2 = 0, long PeakWorkingSet = 0, long HeapAfter = 0, double GcPauseSeconds = 0)
    {
        /// <summary>CPU time of the whole process over the measurement (all threads; the GC runs on the same thread here).</summary>
        public double CpuSeconds { get; init; }

        public double RowsPerSecond => Rows / Seconds;

        public double RowsPerCpuSecond => Rows / CpuSeconds;
    }

    private static Measurement Best(int runs, Func<Measurement> run)
    {
        Measurement? best = null;
        for (var i = 0; i < Math.Max(1, runs); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var m = run();
            m = m with { CpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds };
            if (best is null || m.Seconds < best.Seconds)
            {
                best = m;
            }
        }

        return best!;
    }

    /// <summary>
    /// Sylvan alone over the same file, decoded by the drop reader's CP932 decoder (<see cref="Cp932Encoding"/>), with the
    /// reader's settings: every record, optionally every field as a string.
    /// </summary>
    private static Measurement Bare(string path, bool strings, long maxRows)
    {
        var watch = Stopwatch.StartNew();
        using var text = new StreamReader(path, Cp932Encoding.Instance, detectEncodingFromByteOrderMarks: false, new FileStreamOptions { BufferSize = 1 << 16 });
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { Delimiter = ',', BufferSize = 1 << 16, MaxBufferSize = DropReader.MaxRecordLength });
        long rows = 0;
        long chars = 0;
        while (rows < maxRows && csv.Read())
        {
            rows++;
            if (strings)
            {
                for (var i = 0; i < csv.FieldCount; i++)
                {
                    chars += csv.GetString(i).Length;
                }
            }
        }

        GC.KeepAlive(chars);
        return new Measurement(rows, watch.Elapsed.TotalSeconds);
    }

    private static Measurement ReadOnly(string path, CancellationToken ct)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var watch = Stopwatch.StartNew();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var report = new DropReport();
        long rows = 0;
        foreach (var row in DropReader.Read(stream, Dataset.ResidentChanges, DropOptions.Default, report, ct))
        {
            rows++;
        }

        GC.KeepAlive(rows);
        return new Measurement(report.RowsRead, watch.Elapsed.TotalSeconds, AllocatedBytes: GC.GetTotalAllocatedBytes(precise: false) - allocated);
    }

    /// <summary>The pipeline of <c>./pushgov detect</c> (and, with a matcher, of <c>match</c> without writing JSON).</summary>
    private static Measurement Detect(string path, ServiceMatcher? match, long maxEvents, CancellationToken ct)
    {
        using var sampler = new PeakSampler();
        var gen2 = GC.CollectionCount(2);
        var paused = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var watch = Stopwatch.StartNew();
        var pipeline = new DropPipeline("401307", Day, detectionOnly: match is null);
        long events = 0, matches = 0;
        using var cancelEarly = CancellationTokenSource.CreateLinkedTokenSource(ct);
        DropReport report;
        try
        {
            report = pipeline.Apply(path, Dataset.ResidentChanges, e =>
            {
                events++;
                if (match is not null)
                {
                    matches += match.Match(e, pipeline.View.Snapshot(e.HouseholdId)).Count;
                }

                if (events >= maxEvents)
                {
                    cancelEarly.Cancel();
                }
            }, cancelEarly.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Measurement(events, watch.Elapsed.TotalSeconds, events);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        GC.KeepAlive(pipeline);
        if (report.RejectedWhole is not null || report.RejectedCount > 0)
        {
            throw new InvalidOperationException($"The benchmark drop was not read cleanly: {report.RejectedWhole ?? report.Rejected[0].Message}");
        }

        return new Measurement(report.RowsRead, seconds, events, matches, GC.GetTotalAllocatedBytes(precise: false) - allocated, GC.CollectionCount(2) - gen2, sampler.Peak, heap, (GC.GetTotalPauseDuration() - paused).TotalSeconds);
    }
}
