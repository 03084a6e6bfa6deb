using System.CommandLine;

namespace PushGov.Drills;

/// <summary>
/// <c>./pushgov drill kill|first-load|repeat|bad-drops|flaky-provider|storage-restart|load [--rows N] [--seed S] …</c>: the reliability drills of docs/reliability.md.
/// Each prints its progress to standard error and its figures to standard output, writes them to docs/reliability.md,
/// and exits with 1 on any loss, duplicate or difference.
/// </summary>
public static class DrillApp
{
    public const int Ok = 0;

    public const int Failed = 1;

    private delegate Task<DrillResult> Drill(DrillOptions options, TextWriter log, CancellationToken ct);

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("PushGov reliability drills (docs/reliability.md): the local host as a process on Azurite with the fake providers, from outside.");
        root.Subcommands.Add(BuildDrill("kill", "SIGKILL the host at seeded moments while it works through a drop; compare with a clean run of the same drop; every message taken once by its provider.", KillDrill.RunAsync, killsDefault: 20, output, error));
        root.Subcommands.Add(BuildDrill("first-load", "SIGKILL the host between the chunks of a residents first load's plan; compare with a clean first load: the same residents, indexes, fingerprints, report and cases, no plan left.", FirstLoadKillDrill.RunAsync, killsDefault: 3, output, error));
        root.Subcommands.Add(BuildDrill("repeat", "The same drop uploaded three times and once more under another name: one set of cases and messages.", RepeatDrill.RunAsync, killsDefault: null, output, error));
        root.Subcommands.Add(BuildDrill("bad-drops", "Malformed drops of every kind in data-drops.md beside good ones: each reported with its reason, the good ones unaffected, the host's peak memory reported.", BadDropsDrill.RunAsync, killsDefault: null, output, error));
        root.Subcommands.Add(BuildDrill("flaky-provider", "The fake providers answer 30% of sends with 429, 5xx, slow answers or lost answers, and refuse some recipients for good: every other message taken once, the refused ones failed and on the staff's escalations.", FlakyProviderDrill.RunAsync, killsDefault: null, output, error));
        root.Subcommands.Add(BuildDrill("storage-restart", "Azurite stopped during a drop and started again on the same ports and folder: the host carries on by itself; compared with a clean run, every message taken once.", StorageRestartDrill.RunAsync, killsDefault: null, output, error));
        root.Subcommands.Add(BuildDrill("load", "Concurrent API clients (preferences, case reads and lists, notes, 'applied') while a drop is processed: no 5xx, p50/p99 per route, every write visible afterwards.", LoadDrill.RunAsync, killsDefault: null, output, error));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var parse = Build(output, error).Parse(args);
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            foreach (var e in parse.Errors)
            {
                await error.WriteLineAsync(e.Message);
            }

            return 2;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled.");
            return Failed;
        }
    }

    private static Command BuildDrill(string name, string description, Drill drill, int? killsDefault, TextWriter output, TextWriter error)
    {
        var rows = new Option<int>("--rows") { Description = "Households in the drops: rows of the births drop (one case each), twice as many residents.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int?>("--seed") { Description = "Seed of the drops and the kill moments (default: a random one, printed)." };
        var doc = new Option<string?>("--doc") { Description = "Markdown file whose section of this drill is replaced (default: docs/reliability.md at the repository root; 'none' to skip)." };
        var huge = new Option<int>("--huge-mb") { Description = "bad-drops: size of the file of one line, in MB.", DefaultValueFactory = _ => 2048 };
        var outage = new Option<int>("--outage-seconds") { Description = "storage-restart: how long Azurite stays stopped.", DefaultValueFactory = _ => 20 };
        var clients = new Option<int>("--clients") { Description = "load: API clients calling at once (1 to 1000, loopback).", DefaultValueFactory = _ => 200 };
        var seconds = new Option<int>("--seconds") { Description = "load: how long the clients call.", DefaultValueFactory = _ => 60 };
        var command = new Command(name, description) { rows, seed, doc };
        var own = name switch
        {
            "bad-drops" => [huge],
            "storage-restart" => [outage],
            "load" => new Option[] { clients, seconds },
            _ => [],
        };
        foreach (var option in own)
        {
            command.Options.Add(option);
        }

        Option<int>? kills = null;
        if (killsDefault is { } k)
        {
            kills = new Option<int>("--kills") { Description = "SIGKILLs of the host during the drop.", DefaultValueFactory = _ => k };
            command.Options.Add(kills);
        }

        command.SetAction(async (r, ct) =>
        {
            var options = new DrillOptions(
                r.GetValue(rows),
                kills is null ? 0 : r.GetValue(kills),
                r.GetValue(seed) ?? Random.Shared.Next(1, 1_000_000),
                "./pushgov drill " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                r.GetValue(huge),
                r.GetValue(outage),
                r.GetValue(clients),
                r.GetValue(seconds));
            await error.WriteLineAsync($"drill {name}: seed {options.Seed} (--seed {options.Seed} replays it)");
            DrillResult result;
            try
            {
                result = await drill(options, error, ct);
            }
            catch (DrillFailedException failure)
            {
                await error.WriteLineAsync(failure.Message);
                result = new DrillResult(name, options);
                result.Problem(failure.Message);
            }

            foreach (var figure in result.Figures)
            {
                await output.WriteLineAsync(figure);
            }

            foreach (var problem in result.Problems)
            {
                await error.WriteLineAsync(problem);
            }

            var path = r.GetValue(doc) ?? ReliabilityDoc.DefaultPath();
            if (path is not null and not "none")
            {
                ReliabilityDoc.Update(path, result, DateTimeOffset.UtcNow);
                await error.WriteLineAsync($"figures written to {path}");
            }

            await output.WriteLineAsync(result.Passed ? $"drill {name}: passed" : $"drill {name}: FAILED ({result.Problems.Count} problems)");
            return result.Passed ? Ok : Failed;
        });
        return command;
    }
}
