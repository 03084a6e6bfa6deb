using System.CommandLine;
using System.Globalization;
using PushGov.Cli.Packaging;

namespace PushGov.Cli.Commands;

/// <summary>
/// <c>./pushgov package</c>: publishes the isolated-worker function app (framework-dependent linux-x64) and writes the
/// deployment zip Flex Consumption deploys (host.json, worker.config.json, functions.metadata, extensions.json with
/// .azurefunctions/, the worker's assemblies), validated before it is put in place.
/// </summary>
public static class PackageCommand
{
    public static Command Build()
    {
        var output = new Option<string?>("--out") { Description = "The zip to write (default: artifacts/pushgov-functions.zip under the repository root)." };
        var configuration = new Option<string>("--configuration", "-c") { Description = "Build configuration.", DefaultValueFactory = _ => "Release" };
        var runtime = new Option<string>("--runtime", "-r") { Description = "Runtime identifier of the Functions host's workers.", DefaultValueFactory = _ => "linux-x64" };
        var symbols = new Option<bool>("--include-symbols") { Description = "Keep the *.pdb files (line numbers in stack traces)." };
        var command = new Command("package", "Publish the function app and write its deployment zip.") { output, configuration, runtime, symbols };
        command.SetAction(async (r, ct) =>
        {
            var root = FunctionPackager.FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? FunctionPackager.FindRepositoryRoot(AppContext.BaseDirectory);
            if (root is null)
            {
                Console.Error.WriteLine("The repository root (with PushGov.Functions.sln) was not found above the current folder.");
                return 2;
            }

            var request = new PackageRequest
            {
                RepositoryRoot = root,
                OutputZip = r.GetValue(output) is { Length: > 0 } o ? Path.GetFullPath(o) : Path.Combine(root, "artifacts", "pushgov-functions.zip"),
                Configuration = r.GetValue(configuration)!,
                Runtime = r.GetValue(runtime)!,
                IncludeSymbols = r.GetValue(symbols),
            };
            try
            {
                var result = await FunctionPackager.PackageAsync(request, Console.Error, ct);
                Console.Error.WriteLine(
                    $"{result.Layout.Functions.Count} functions ({string.Join(", ", result.Layout.Functions.Select(f => $"{f.Name}: {f.TriggerType}"))}), " +
                    $"worker {result.Layout.WorkerPath}, extensions {string.Join(", ", result.Layout.Extensions)}, {result.EntryCount} entries, {result.Runtime}; " +
                    $"publish {result.PublishDuration.TotalSeconds:0.0} s, zip {result.ZipDuration.TotalSeconds:0.0} s.");
                Console.WriteLine($"{result.ZipPath} ({(result.SizeBytes / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture)} MB, {result.SizeBytes} bytes)");
                return 0;
            }
            catch (PublishFailedException e)
            {
                // Its errors were streamed above already.
                Console.Error.WriteLine($"dotnet publish exited with {e.ExitCode}: no package written.");
                return 1;
            }
            catch (PackageValidationException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }
}
