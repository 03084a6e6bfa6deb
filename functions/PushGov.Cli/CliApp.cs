using System.CommandLine;
using System.Text;
using PushGov.Cli.Commands;

namespace PushGov.Cli;

/// <summary>Where a command writes: standard output as bytes (JSON lines are UTF-8), standard error as text.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error (reports, summaries, problems).</param>
/// <param name="ErrorIsTerminal">True when standard error is a terminal: long drops then show a progress bar.</param>
public sealed record CliConsole(Stream Out, TextWriter Error, bool ErrorIsTerminal = false)
{
    public static CliConsole System() =>
        new(Console.OpenStandardOutput(), Console.Error, !Console.IsErrorRedirected && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal));
}

/// <summary>The command tree of <c>./pushgov</c>, runnable in-process (tests call <see cref="RunAsync"/> with their own streams).</summary>
public static class CliApp
{
    /// <summary>Exit code: the drops were read (even with rejected rows).</summary>
    public const int Ok = 0;

    /// <summary>Exit code: an internal error.</summary>
    public const int InternalError = 1;

    /// <summary>Exit code: bad arguments, or a drop rejected as a whole.</summary>
    public const int Rejected = 2;

    public static RootCommand Build(CliConsole console) => new("PushGov: push notifications of municipal services when residents' lives change. (`./pushgov bench …` runs the benchmarks, bench/PushGov.Bench.)")
    {
        DetectCommands.BuildDetect(console),
        DetectCommands.BuildMatch(console),
        GenerateCommand.Build(console),
        TenantCommands.Build(),
        NotificationsCommand.Build(),
        TakeUpCommand.Build(console),
        PackageCommand.Build(),
    };

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var parse = Build(console).Parse(args);
        await using var output = new StreamWriter(console.Out, new UTF8Encoding(false), 1 << 12, leaveOpen: true) { AutoFlush = true };
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync(error.Message);
            }

            await console.Error.WriteLineAsync("See ./pushgov " + string.Join(' ', CommandPath(parse)) + " --help.");
            return Rejected;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = console.Error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("Cancelled.");
            return InternalError;
        }
#pragma warning disable CA1031 // The command line's last resort: any failure is reported as an internal error (exit 1).
        catch (Exception e)
#pragma warning restore CA1031
        {
            await console.Error.WriteLineAsync($"Internal error: {e.GetType().Name}: {e.Message}");
            return InternalError;
        }
        finally
        {
            await console.Out.FlushAsync(CancellationToken.None);
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        return names;
    }
}
