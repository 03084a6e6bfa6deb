using System.CommandLine;
using System.Text.Json.Nodes;
using PushGov.Domain;
using PushGov.Domain.Drops;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Tenants;
using PushGov.Tooling.Match;
using PushGov.Tooling.Pipeline;
using Spectre.Console;

namespace PushGov.Cli.Commands;

/// <summary>
/// <c>./pushgov detect</c> and <c>./pushgov match</c>: drops applied in order to an in-memory resident view (no storage),
/// writing one JSON line per life event (detect) or per (event, service) match (match) to standard output and the drop
/// reports to standard error (or <c>--report</c>). Exit 0 when the drops were read (even with rejected rows), 2 for bad
/// arguments or a drop rejected as a whole (nothing of that drop is written and later drops are not read), 1 on an
/// internal error.
/// </summary>
public static class DetectCommands
{
    /// <summary>Drops bigger than this show a progress bar on a terminal (a few seconds of reading).</summary>
    private const long ProgressThresholdBytes = 32L * 1024 * 1024;

    public static Command BuildDetect(CliConsole console)
    {
        var (tenant, asOf, config, report, drops) = CommonOptions();
        var command = new Command("detect", "Detect life events in drops (in memory, no storage): one JSON line per event.") { tenant, asOf, config, report, drops };
        command.SetAction((r, ct) => Task.FromResult(Run(console, r, tenant, asOf, config, report, drops, null, ct)));
        return command;
    }

    public static Command BuildMatch(CliConsole console)
    {
        var (tenant, asOf, config, report, drops) = CommonOptions();
        var catalog = new Option<string[]>("--catalog") { Description = "A tenant catalog YAML layered on the default catalog (repeatable, in order).", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var command = new Command("match", "Detect life events in drops and match them to services: one JSON line per (event, service).") { tenant, asOf, config, report, catalog, drops };
        command.SetAction((r, ct) => Task.FromResult(Run(console, r, tenant, asOf, config, report, drops, catalog, ct)));
        return command;
    }

    private static (Option<string> Tenant, Option<DateOnly?> AsOf, Option<string?> Config, Option<string?> Report, Argument<string[]> Drops) CommonOptions()
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant's 6-digit local government code (e.g. 401307).", Required = true };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "The day the drops are taken in (yyyy-MM-dd; default: today in Japan)." };
        var config = new Option<string?>("--config") { Description = "A tenant configuration JSON (its \"drops\" member is used) or drop options JSON." };
        var report = new Option<string?>("--report") { Description = "Write the drop reports to this file (a JSON array) instead of standard error." };
        var drops = new Argument<string[]>("drops") { Description = "DATASET=FILE, applied in order (datasets: " + string.Join(", ", Datasets.Names) + ").", Arity = ArgumentArity.OneOrMore };
        return (tenant, asOf, config, report, drops);
    }

    private static int Run(
        CliConsole console,
        ParseResult r,
        Option<string> tenantOption,
        Option<DateOnly?> asOfOption,
        Option<string?> configOption,
        Option<string?> reportOption,
        Argument<string[]> dropsArgument,
        Option<string[]>? catalogOption,
        CancellationToken ct)
    {
        var err = console.Error;
        var tenant = r.GetValue(tenantOption)!;
        if (!TenantCode.TryParse(tenant, out _))
        {
            err.WriteLine($"--tenant '{tenant}': not a local government code (6 digits with a valid check digit, e.g. 401307).");
            return CliApp.Rejected;
        }

        var options = DropOptions.Default;
        if (r.GetValue(configOption) is { } configPath && !DropConfig.TryLoad(configPath, out options, out var configError))
        {
            err.WriteLine(configError);
            return CliApp.Rejected;
        }

        var inputs = new List<DropInput>();
        foreach (var argument in r.GetValue(dropsArgument)!)
        {
            if (!DropInput.TryParse(argument, out var input, out var error))
            {
                err.WriteLine(error);
                return CliApp.Rejected;
            }

            inputs.Add(input!);
        }

        ServiceMatcher? matcher = null;
        if (catalogOption is not null)
        {
            try
            {
                var catalog = CatalogLoader.LoadDefault();
                var layers = (r.GetValue(catalogOption) ?? []).Select(path =>
                {
                    using var reader = new StreamReader(path);
                    return CatalogLoader.Load(reader, Path.GetFileName(path));
                }).ToArray();
                matcher = (layers.Length > 0 ? catalog.WithOverrides(layers) : catalog).Compile();
            }
            catch (CatalogException e)
            {
                err.WriteLine("--catalog: the catalog is not valid:");
                foreach (var problem in e.Errors)
                {
                    err.WriteLine("  " + problem);
                }

                return CliApp.Rejected;
            }
            catch (IOException e)
            {
                err.WriteLine($"--catalog: {e.Message}");
                return CliApp.Rejected;
            }
        }

        var asOf = r.GetValue(asOfOption) ?? JapanTime.Today(DateTimeOffset.UtcNow);
        var pipeline = new DropPipeline(tenant, asOf, options, detectionOnly: matcher is null);
        var reports = new JsonArray();
        var exit = CliApp.Ok;
        foreach (var input in inputs)
        {
            // A drop's lines are kept aside until the drop is known to be readable as a whole (broken quoting can show at its end).
            using var spill = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            long lines;
            DropReport dropReport;
            if (matcher is null)
            {
                // The events' JSON lines are made and written on a thread of their own, beside detection.
                using var events = new EventWriter(spill);
                dropReport = WithProgress(console, input, stream => pipeline.Apply(stream, input.Dataset, events.Write, ct));
                events.Complete();
                lines = events.Lines;
            }
            else
            {
                using var matches = new MatchOutput(spill);
                var eventCount = 0L;
                dropReport = WithProgress(console, input, stream => pipeline.Apply(stream, input.Dataset, e =>
                {
                    eventCount++;
                    matches.Write(e, matcher.Match(e, pipeline.View.Snapshot(e.HouseholdId)));
                }, ct));
                matches.Flush();
                lines = matches.Lines;
            }

            var whole = dropReport.RejectedWhole;
            if (whole is null)
            {
                spill.Position = 0;
                spill.CopyTo(console.Out);
                console.Out.Flush();
            }

            var summary = whole is null
                ? $"{input.Dataset.Name()} {input.Path}: {dropReport.Accepted:N0} of {dropReport.RowsRead:N0} rows accepted, {dropReport.RejectedCount:N0} rejected, {dropReport.WarningCount:N0} warnings{(dropReport.GaijiUnmappedCount > 0 ? $", {dropReport.GaijiUnmappedCount:N0} unmapped 外字 (kept; see gaijiUnmapped)" : string.Empty)}; {lines:N0} {(matcher is null ? "events" : "matches")} written."
                : $"{input.Dataset.Name()} {input.Path}: rejected as a whole: {whole}";
            err.WriteLine(summary);
            var reportPath = r.GetValue(reportOption);
            if (reportPath is null)
            {
                err.WriteLine(dropReport.ToJson());
            }
            else
            {
                reports.Add(new JsonObject { ["dataset"] = input.Dataset.Name(), ["file"] = input.Path, ["report"] = JsonNode.Parse(dropReport.ToJson()) });
            }

            if (whole is not null)
            {
                if (input != inputs[^1])
                {
                    err.WriteLine("Stopped: the drops after it were not read (they would apply to a view without it).");
                }

                exit = CliApp.Rejected;
                break;
            }
        }

        if (r.GetValue(reportOption) is { } path)
        {
            File.WriteAllText(path, reports.ToJsonString(DropOptions.JsonOptions));
        }

        return exit;
    }

    private static DropReport WithProgress(CliConsole console, DropInput input, Func<Stream, DropReport> apply)
    {
        using var file = new FileStream(input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (!console.ErrorIsTerminal || file.Length < ProgressThresholdBytes)
        {
            return apply(file);
        }

        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        DropReport? result = null;
        terminal.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{input.Dataset.Name()} {Path.GetFileName(input.Path)}", maxValue: file.Length);
                using var counting = new ProgressStream(file, read => task.Value = read);
                result = apply(counting);
                task.Value = file.Length;
            });
        return result!;
    }

    /// <summary>A read-only pass-through that reports how many bytes were read.</summary>
    private sealed class ProgressStream(Stream inner, Action<long> progress) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            read += n;
            progress(read);
            return n;
        }
    }
}
