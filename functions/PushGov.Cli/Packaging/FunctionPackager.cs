using System.Diagnostics;
using System.IO.Compression;

namespace PushGov.Cli.Packaging;

/// <summary>What to package and where.</summary>
public sealed record PackageRequest
{
    /// <summary>The repository root (the folder with PushGov.Functions.sln).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The zip to write (replaced if it exists).</summary>
    public required string OutputZip { get; init; }

    public string Configuration { get; init; } = "Release";

    /// <summary>Runtime identifier of the publish (framework-dependent: Flex Consumption's dotnet-isolated 10.0 stack brings .NET 10).</summary>
    public string Runtime { get; init; } = "linux-x64";

    /// <summary>Keep the *.pdb files (line numbers in stack traces, ~1 MB more).</summary>
    public bool IncludeSymbols { get; init; }

    /// <summary>
    /// Where publish keeps its bin/obj (<c>--artifacts-path</c>), apart from the developer's own bin/obj so a package
    /// never disturbs a running build or test; default <c>artifacts/package-build</c> under the repository root.
    /// </summary>
    public string? BuildDirectory { get; init; }

    public CompressionLevel Compression { get; init; } = CompressionLevel.Optimal;
}

/// <summary>What a packaging run produced.</summary>
public sealed record PackageResult(string ZipPath, long SizeBytes, int EntryCount, FunctionAppLayout Layout, string Runtime, TimeSpan PublishDuration, TimeSpan ZipDuration);

/// <summary><c>dotnet publish</c> failed; the message carries its exit code and last lines of output.</summary>
public sealed class PublishFailedException(int exitCode, string outputTail)
    : Exception($"dotnet publish exited with {exitCode}:\n{outputTail}")
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The last lines dotnet publish wrote (errors, with -verbosity:quiet).</summary>
    public string OutputTail { get; } = outputTail;
}

/// <summary>
/// Publishes the isolated-worker function app (<c>dotnet publish</c>, framework-dependent for linux-x64) and assembles
/// the deployment zip Flex Consumption deploys (<see cref="FunctionZip"/>), validated before it is put in place.
/// </summary>
public static class FunctionPackager
{
    public static readonly string ProjectPath = Path.Combine("functions", "PushGov.Functions", "PushGov.Functions.csproj");

    /// <summary>The repository root above <paramref name="start"/> (the folder with PushGov.Functions.sln), or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PushGov.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    public static async Task<PackageResult> PackageAsync(PackageRequest request, TextWriter log, CancellationToken ct)
    {
        var root = Path.GetFullPath(request.RepositoryRoot);
        var build = Path.GetFullPath(request.BuildDirectory ?? Path.Combine(root, "artifacts", "package-build"));
        var publish = Path.Combine(build, "publish", $"{request.Configuration}-{request.Runtime}".ToLowerInvariant());

        // A fresh publish folder: a file left from an earlier run must not slip into the zip.
        if (Directory.Exists(publish))
        {
            Directory.Delete(publish, recursive: true);
        }

        var clock = Stopwatch.StartNew();
        await log.WriteLineAsync($"Publishing {ProjectPath} ({request.Configuration}, {request.Runtime}, framework-dependent) …");
        await PublishAsync(root, build, publish, request, log, ct);
        var published = clock.Elapsed;

        clock.Restart();
        var zipPath = Path.GetFullPath(request.OutputZip);
        var layout = FunctionZip.Write(publish, zipPath, request.IncludeSymbols, request.Compression);
        int entries;
        using (var zip = ZipFile.OpenRead(zipPath))
        {
            entries = zip.Entries.Count;
        }

        return new PackageResult(zipPath, new FileInfo(zipPath).Length, entries, layout, request.Runtime, published, clock.Elapsed);
    }

    private static async Task PublishAsync(string root, string build, string publish, PackageRequest request, TextWriter log, CancellationToken ct)
    {
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "publish", Path.Combine(root, ProjectPath),
            "--configuration", request.Configuration,
            "--runtime", request.Runtime,
            "--self-contained", "false",
            "--artifacts-path", build,
            "--output", publish,
            // No MSBuild nodes left behind holding our output pipes (and memory) after the run.
            "-nodeReuse:false",
            "-verbosity:quiet", "-nologo",
        })
        {
            start.ArgumentList.Add(arg);
        }

        // Started from inside another build or test run, MSBuild's own variables would point the child at the parent's SDK state.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new PublishFailedException(-1, "dotnet could not be started.");
        var tail = new Queue<string>();
        async Task Pump(StreamReader reader)
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > 40)
                    {
                        tail.Dequeue();
                    }

                    log.WriteLine(line);
                }
            }
        }

        var pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // A compiler server the build started may hold the pipes open; the output that matters is in by now.
        await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        if (process.ExitCode != 0)
        {
            string lines;
            lock (tail)
            {
                lines = string.Join('\n', tail);
            }

            throw new PublishFailedException(process.ExitCode, lines);
        }
    }

    /// <summary>The dotnet that runs us when it is the SDK's host (DOTNET_HOST_PATH under dotnet test/run), else dotnet on PATH.</summary>
    private static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
