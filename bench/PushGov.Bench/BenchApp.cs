using System.CommandLine;
using PushGov.Domain.Eligibility;
using PushGov.Tooling.Match;

namespace PushGov.Bench;

/// <summary>
/// <c>./pushgov bench ingest|cases|send|pacing|detect|match</c>: the benchmarks of docs/benchmarks.md, printed one
/// figure per line. An executable of its own (the <c>./pushgov</c> script hands it every <c>bench</c> command), so the
/// command line that ships does not carry the test support (Azurite, fakes) the benchmarks run on.
/// </summary>
public static class BenchApp
{
    /// <summary>Exit code: the benchmark ran and its results are right.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: a failure, or results that are wrong.</summary>
    public const int Failed = 1;

    public static RootCommand Build(BenchConsole console) => new("PushGov benchmarks (docs/benchmarks.md): ingest (P1 detection, P2 snapshot through Azurite), cases (P3), send and pacing (P4), detect and match (in memory), azurite (the emulator's cost per table request).")
    {
        BuildIngest(console),
        BuildCases(console),
        BuildSend(console),
        BuildPacing(console),
        BuildDetect(console),
        BuildMatch(console),
        BuildAzurite(console),
    };

    public static async Task<int> RunAsync(string[] args, BenchConsole console, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var parse = Build(console).Parse(args);
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync(error.Message);
            }

            return 2;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("Cancelled.");
            return Failed;
        }
    }

    private static Command BuildIngest(BenchConsole console)
    {
        var rows = new Option<int>("--rows") { Description = "P1: rows of the resident-changes drop.", DefaultValueFactory = _ => 1_000_000 };
        var population = new Option<int>("--population") { Description = "P2: residents in the snapshots.", DefaultValueFactory = _ => 3_800_000 };
        var firstLoad = new Option<int>("--first-load") { Description = "P2: residents in the first load measured through the app (a full first load of millions takes long on Azurite).", DefaultValueFactory = _ => 200_000 };
        var firstLoadChunks = new Option<int>("--first-load-chunks") { Description = "P2: stop the first load once this many chunks of its plan are applied (0: the whole load); its plan and apply phases are printed apart, the second snapshot is not run and the doc is not updated." };
        var changed = new Option<double>("--changed-percent") { Description = "P2: share of residents changed in the second snapshot.", DefaultValueFactory = _ => 0.2 };
        var only = new Option<string?>("--only") { Description = "Run only p1 or p2." };
        var work = new Option<string?>("--work") { Description = "Folder for generated files (default: a temporary folder, removed afterwards)." };
        var doc = new Option<string?>("--doc") { Description = "Markdown file whose P1/P2 sections are updated (default: docs/benchmarks.md at the repository root; 'none' to skip)." };
        var runs = new Option<int>("--runs") { Description = "P1: timed runs of each measurement (the best is reported).", DefaultValueFactory = _ => 2 };
        var command = new Command("ingest", "P1: detection (and matching) over a large resident-changes drop vs bare CSV parsing; P2: a snapshot with few changes through DropIngestor on Azurite.")
        {
            rows, population, firstLoad, firstLoadChunks, changed, only, work, doc, runs,
        };
        command.SetAction(async (r, ct) =>
        {
            var output = console.Out;
            var options = new IngestBenchmarkOptions
            {
                Rows = r.GetValue(rows),
                Population = r.GetValue(population),
                FirstLoadPopulation = r.GetValue(firstLoad),
                FirstLoadChunks = r.GetValue(firstLoadChunks),
                ChangedPercent = r.GetValue(changed),
                RunP1 = r.GetValue(only) is null or "p1",
                RunP2 = r.GetValue(only) is null or "p2",
                WorkDirectory = r.GetValue(work),
                Runs = r.GetValue(runs),
                DocPath = r.GetValue(doc),
                CommandLine = "./pushgov bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            };
            return await IngestBenchmark.RunAsync(options, output, console.Error, ct);
        });
        return command;
    }

    private static Command BuildCases(BenchConsole console)
    {
        var cases = new Option<int>("--cases") { Description = "Cases (one BIRTH each, in one drop) run end to end through the app on Azurite.", DefaultValueFactory = _ => 1_000 };
        var oneRow = new Option<int>("--one-row-drops") { Description = "One-row drops timed one after another once the big drop has settled.", DefaultValueFactory = _ => 5 };
        var command = new Command("cases", "P3: a bare Durable Task floor, then the app on the same Azurite: drop upload to first message (p50, p95), cases per second, storage operations and CPU per case; then one-row drops.") { cases, oneRow };
        command.SetAction(async (r, ct) =>
        {
            var output = console.Out;
            return await CasesBenchmark.RunAsync(output, r.GetValue(cases), r.GetValue(oneRow), ct);
        });
        return command;
    }

    private static Command BuildSend(BenchConsole console)
    {
        var count = new Option<int>("--count") { Description = "Messages to send.", DefaultValueFactory = _ => 20_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Sends in flight.", DefaultValueFactory = _ => 64 };
        var command = new Command("send", "P4: signed SMS sends per second through the ACS client against a fake ACS on loopback.") { count, concurrency };
        command.SetAction(async (r, ct) =>
        {
            var result = await SendBenchmark.RunAsync(r.GetValue(count), r.GetValue(concurrency), ct);
            var output = console.Out;
            await output.WriteLineAsync(result.ToString());
            return result.Failed == 0 ? Ok : Failed;
        });
        return command;
    }

    private static Command BuildPacing(BenchConsole console)
    {
        var backlog = new Option<int>("--backlog") { Description = "P4b, P4c: messages due at once.", DefaultValueFactory = _ => 10_000 };
        var workers = new Option<int>("--workers") { Description = "P4c: workers reserving in the pacing row at once.", DefaultValueFactory = _ => 8 };
        var workerBacklog = new Option<int>("--worker-backlog") { Description = "P4d: messages due at once through the send worker.", DefaultValueFactory = _ => 2_000 };
        var only = new Option<string?>("--only") { Description = "Run only p4b, p4c or p4d." };
        var command = new Command("pacing", "P4b-d: a limit of 200 a minute holds over a backlog: the slot book alone, the pacing row on Azurite, the send worker in simulated time.")
        {
            backlog, workers, workerBacklog, only,
        };
        command.SetAction(async (r, ct) =>
        {
            var part = r.GetValue(only);
            var held = true;
            if (part is null or "p4b")
            {
                held &= PacingBenchmark.SlotBookAlone(r.GetValue(backlog), console.Out);
            }

            if (part is null or "p4c")
            {
                held &= await PacingBenchmark.PacingRowOnAzuriteAsync(r.GetValue(backlog), r.GetValue(workers), console.Out, ct);
            }

            if (part is null or "p4d")
            {
                held &= await PacingBenchmark.SendWorkerInSimulatedTimeAsync(r.GetValue(workerBacklog), console.Out);
            }

            if (!held)
            {
                await console.Error.WriteLineAsync("The limit did not hold, or a send was lost or repeated (see the figures above).");
            }

            return held ? Ok : Failed;
        });
        return command;
    }

    private static Command BuildAzurite(BenchConsole console)
    {
        var sizes = new Option<int[]>("--sizes") { Description = "Entities in the table when each round of requests is timed.", DefaultValueFactory = _ => [1_000, 10_000, 30_000, 100_000], AllowMultipleArgumentsPerToken = true };
        var requests = new Option<int>("--requests") { Description = "Requests of each kind timed at each size, one at a time.", DefaultValueFactory = _ => 200 };
        var command = new Command("azurite", "What one table request (point read, partition query, insert) costs the storage emulator as its table fills.") { sizes, requests };
        command.SetAction(async (r, ct) => await AzuriteTablesBenchmark.RunAsync(r.GetValue(sizes)!, r.GetValue(requests), console.Out, ct));
        return command;
    }

    private static Command BuildDetect(BenchConsole console)
    {
        var rows = new Option<int>("--rows") { Description = "Resident-change rows (and event ids hashed).", DefaultValueFactory = _ => 1_000_000 };
        var residents = new Option<int>("--residents") { Description = "Residents in each snapshot of the diff.", DefaultValueFactory = _ => 3_800_000 };
        var only = new Option<string?>("--only") { Description = "Run only memory, streamed, hash or diff." };
        var command = new Command("detect", "The detector over change rows built in memory (no parsing), the event-id hash against SHA-256, the snapshot diff in memory.")
        {
            rows, residents, only,
        };
        command.SetAction(r =>
        {
            var part = r.GetValue(only);
            var bench = new DetectionBenchmark(console.Out, r.GetValue(rows), r.GetValue(residents));
            if (part is null or "memory")
            {
                bench.DetectionInMemory();
            }

            if (part is null or "streamed")
            {
                bench.DetectionStreamed();
            }

            if (part is null or "hash")
            {
                bench.EventIdHash();
            }

            if (part is null or "diff" && !bench.SnapshotDiffInMemory())
            {
                console.Error.WriteLine("The snapshot diff's counts do not add up (see the figures above).");
                return Failed;
            }

            return Ok;
        });
        return command;
    }

    private static Command BuildMatch(BenchConsole console)
    {
        var events = new Option<int>("--events") { Description = "Generated (event, household) pairs, each matched 3 times after a warm-up round.", DefaultValueFactory = _ => 200_000 };
        var command = new Command("match", "Matching alone: the default catalog over a generated mix of life events and households, without and with reading the reasons.") { events };
        command.SetAction(r =>
        {
            var matcher = CatalogLoader.LoadDefault().Compile();
            var pairs = MatchBenchmark.Generate(r.GetValue(events));
            var result = MatchBenchmark.Run(matcher, pairs);
            console.Out.WriteLine(result.ToString());
            var withReasons = MatchBenchmark.Run(matcher, pairs, withReasons: true);
            console.Out.WriteLine(withReasons.ToString());
            return result.Matches == withReasons.Matches ? Ok : Failed;
        });
        return command;
    }
}
