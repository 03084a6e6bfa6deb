using System.CommandLine;
using PushGov.Bench;
using PushGov.Testing.Fakes;

namespace PushGov.Cli.Commands;

/// <summary><c>./pushgov bench ingest|cases|send</c>: the benchmarks of docs/benchmarks.md, printed one figure per line.</summary>
public static class BenchCommands
{
    public static Command Build(CliConsole console)
    {
        return new Command("bench", "Benchmarks: ingest (P1 detection, P2 snapshot through Azurite), cases, send.")
        {
            BuildIngest(console),
            BuildCases(console),
            BuildSend(console),
        };
    }

    private static Command BuildIngest(CliConsole console)
    {
        var rows = new Option<int>("--rows") { Description = "P1: rows of the resident-changes drop.", DefaultValueFactory = _ => 1_000_000 };
        var population = new Option<int>("--population") { Description = "P2: residents in the snapshots.", DefaultValueFactory = _ => 3_800_000 };
        var firstLoad = new Option<int>("--first-load") { Description = "P2: residents in the first load measured through the app (a full first load of millions takes long on Azurite).", DefaultValueFactory = _ => 200_000 };
        var changed = new Option<double>("--changed-percent") { Description = "P2: share of residents changed in the second snapshot.", DefaultValueFactory = _ => 0.2 };
        var only = new Option<string?>("--only") { Description = "Run only p1 or p2." };
        var work = new Option<string?>("--work") { Description = "Folder for generated files (default: a temporary folder, removed afterwards)." };
        var doc = new Option<string?>("--doc") { Description = "Markdown file whose P1/P2 sections are updated (default: docs/benchmarks.md at the repository root; 'none' to skip)." };
        var runs = new Option<int>("--runs") { Description = "P1: timed runs of each measurement (the best is reported).", DefaultValueFactory = _ => 2 };
        var command = new Command("ingest", "P1: detection (and matching) over a large resident-changes drop vs bare CSV parsing; P2: a snapshot with few changes through DropIngestor on Azurite.")
        {
            rows, population, firstLoad, changed, only, work, doc, runs,
        };
        command.SetAction(async (r, ct) =>
        {
            using var output = new StreamWriter(console.Out, leaveOpen: true) { AutoFlush = true };
            var options = new IngestBenchmarkOptions
            {
                Rows = r.GetValue(rows),
                Population = r.GetValue(population),
                FirstLoadPopulation = r.GetValue(firstLoad),
                ChangedPercent = r.GetValue(changed),
                RunP1 = r.GetValue(only) is null or "p1",
                RunP2 = r.GetValue(only) is null or "p2",
                WorkDirectory = r.GetValue(work),
                Runs = r.GetValue(runs),
                DocPath = r.GetValue(doc),
                CommandLine = "./pushgov " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            };
            return await IngestBenchmark.RunAsync(options, output, console.Error, ct);
        });
        return command;
    }

    private static Command BuildCases(CliConsole console)
    {
        var cases = new Option<int>("--cases") { Description = "Cases (one BIRTH each, in one drop) run end to end through the app on Azurite.", DefaultValueFactory = _ => 1_000 };
        var oneRow = new Option<int>("--one-row-drops") { Description = "One-row drops timed one after another once the big drop has settled.", DefaultValueFactory = _ => 5 };
        var command = new Command("cases", "P3: a bare Durable Task floor, then the app on the same Azurite: drop upload to first message (p50, p95), cases per second, storage operations and CPU per case; then one-row drops.") { cases, oneRow };
        command.SetAction(async (r, ct) =>
        {
            using var output = new StreamWriter(console.Out, leaveOpen: true) { AutoFlush = true };
            return await CasesBenchmark.RunAsync(output, r.GetValue(cases), r.GetValue(oneRow), ct);
        });
        return command;
    }

    private static Command BuildSend(CliConsole console)
    {
        var count = new Option<int>("--count") { Description = "Messages to send.", DefaultValueFactory = _ => 20_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Sends in flight.", DefaultValueFactory = _ => 64 };
        var command = new Command("send", "P4: signed SMS sends per second through the ACS client against a fake ACS on loopback.") { count, concurrency };
        command.SetAction(async (r, ct) =>
        {
            var result = await SendBenchmark.RunAsync(r.GetValue(count), r.GetValue(concurrency), ct);
            using var output = new StreamWriter(console.Out, leaveOpen: true) { AutoFlush = true };
            await output.WriteLineAsync(result.ToString());
            return result.Failed == 0 ? CliApp.Ok : CliApp.InternalError;
        });
        return command;
    }
}
