using System.IO.Compression;
using System.Text.Json;

namespace PushGov.Cli.Packaging;

/// <summary>One function of a package: its folder (the function's name) and the type of its trigger binding.</summary>
public sealed record PackagedFunction(string Name, string TriggerType);

/// <summary>What a valid deployment zip holds: the custom handler's executable (as host.json names it) and the functions.</summary>
public sealed record FunctionAppLayout(string ExecutablePath, IReadOnlyList<PackagedFunction> Functions);

/// <summary>A zip that the Functions host could not run: no host.json, no executable where it points, a function without a trigger.</summary>
public sealed class PackageValidationException(string message) : Exception(message);

/// <summary>
/// The deployment zip the Functions host expects, built from a publish folder: <c>host.json</c> at the root,
/// <c>&lt;Name&gt;/function.json</c> per function, the custom handler executable where
/// <c>customHandler.description.defaultExecutablePath</c> points (with its unix execute bit in the entry), and the rest
/// of what publish produced. Entries are sorted and stamped with a fixed time, so the same folder gives the same bytes.
/// Source for the layout: https://learn.microsoft.com/azure/azure-functions/functions-custom-handlers#application-structure
/// </summary>
public static class FunctionZip
{
    /// <summary>The time every entry carries (zip stores local DOS time; any fixed value keeps the zip reproducible).</summary>
    public static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Unix st_mode in the high 16 bits of the external attributes (the "version made by" is Unix when written on Unix):
    // S_IFREG | 0755 for executables, S_IFREG | 0644 for the rest.
    private const int RegularFile = 0x8000;
    private const int ExecutableMode = RegularFile | 0x1ED; // 0755
    private const int ExecuteBits = 0x49; // 0111
    private const int PlainMode = RegularFile | 0x1A4; // 0644

    /// <summary>The unix permission bits (e.g. 0755) an entry carries, or 0 when it carries none.</summary>
    public static int UnixPermissions(ZipArchiveEntry entry) => (entry.ExternalAttributes >> 16) & 0xFFF;

    /// <summary>
    /// The files of a publish folder that belong in the zip, as '/'-separated relative paths in ordinal order:
    /// everything except <c>local.settings.json</c> (local secrets), anything under an <c>obj</c> folder, the
    /// <c>function-definitions</c> source copy (the host reads only <c>&lt;Name&gt;/function.json</c>), and
    /// <c>*.pdb</c> unless <paramref name="includeSymbols"/>.
    /// </summary>
    public static IReadOnlyList<string> SelectFiles(string publishDirectory, bool includeSymbols = false) =>
        Directory.EnumerateFiles(publishDirectory, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(publishDirectory, file).Replace('\\', '/'))
            .Where(path => Belongs(path, includeSymbols))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool Belongs(string path, bool includeSymbols)
    {
        var segments = path.Split('/');
        var name = segments[^1];
        return !name.Equals("local.settings.json", StringComparison.OrdinalIgnoreCase)
            && !segments.SkipLast(1).Contains("obj", StringComparer.OrdinalIgnoreCase)
            && !(segments.Length > 1 && segments[0] == "function-definitions")
            && (includeSymbols || !name.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Writes the zip of <paramref name="publishDirectory"/> to <paramref name="zipPath"/> (through a temporary file, so
    /// a failed run leaves no half-written zip), then opens it again and validates it.
    /// </summary>
    /// <param name="expectedFunctions">Functions that must be in the zip (the source's function-definitions folders); null to skip.</param>
    public static FunctionAppLayout Write(string publishDirectory, string zipPath, IReadOnlyCollection<string>? expectedFunctions = null, bool includeSymbols = false, CompressionLevel compression = CompressionLevel.Optimal)
    {
        var files = SelectFiles(publishDirectory, includeSymbols);
        var executable = files.Contains("host.json", StringComparer.Ordinal)
            ? ExecutablePath(File.ReadAllText(Path.Combine(publishDirectory, "host.json")))
            : null;

        var folder = Path.GetDirectoryName(Path.GetFullPath(zipPath))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(zipPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                foreach (var path in files)
                {
                    var source = Path.Combine(publishDirectory, path);
                    var entry = zip.CreateEntry(path, compression);
                    entry.LastWriteTime = EntryTime;
                    entry.ExternalAttributes = (path == executable || IsExecutableOnDisk(source) ? ExecutableMode : PlainMode) << 16;
                    using var input = File.OpenRead(source);
                    using var output = entry.Open();
                    input.CopyTo(output);
                }
            }

            FunctionAppLayout layout;
            using (var zip = ZipFile.OpenRead(temporary))
            {
                layout = Validate(zip, expectedFunctions);
            }

            File.Move(temporary, zipPath, overwrite: true);
            return layout;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static bool IsExecutableOnDisk(string file) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;

    /// <summary>
    /// Checks a deployment zip the way the Functions host reads it: host.json at the root naming a custom handler
    /// executable that is in the zip and executable, and each <c>&lt;Name&gt;/function.json</c> with exactly one trigger.
    /// </summary>
    /// <exception cref="PackageValidationException">with every problem found, one a line.</exception>
    public static FunctionAppLayout Validate(ZipArchive zip, IReadOnlyCollection<string>? expectedFunctions = null)
    {
        var problems = new List<string>();
        var entries = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);

        string? executable = null;
        if (!entries.TryGetValue("host.json", out var host))
        {
            problems.Add("host.json is not at the root of the zip.");
        }
        else
        {
            try
            {
                executable = ExecutablePath(Read(host));
            }
            catch (Exception e) when (e is JsonException or PackageValidationException)
            {
                problems.Add("host.json: " + e.Message);
            }
        }

        if (executable is not null)
        {
            if (!entries.TryGetValue(executable, out var exe))
            {
                problems.Add($"host.json points the custom handler at '{executable}' (customHandler.description.defaultExecutablePath), which is not in the zip.");
            }
            else if ((UnixPermissions(exe) & ExecuteBits) == 0)
            {
                problems.Add($"The custom handler executable '{executable}' carries no unix execute permission in the zip (mode {Convert.ToString(UnixPermissions(exe), 8)}).");
            }
        }

        var functions = new List<PackagedFunction>();
        foreach (var entry in entries.Values.Where(e => e.FullName.EndsWith("/function.json", StringComparison.Ordinal)).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var segments = entry.FullName.Split('/');
            if (segments.Length != 2)
            {
                problems.Add($"{entry.FullName}: the host reads function.json only one folder deep (<Name>/function.json).");
                continue;
            }

            try
            {
                functions.Add(new PackagedFunction(segments[0], TriggerType(Read(entry))));
            }
            catch (Exception e) when (e is JsonException or PackageValidationException)
            {
                problems.Add($"{entry.FullName}: {e.Message}");
            }
        }

        if (functions.Count == 0 && !problems.Any(p => p.Contains("/function.json", StringComparison.Ordinal)))
        {
            problems.Add("The zip has no function: no <Name>/function.json at its root.");
        }

        foreach (var name in (expectedFunctions ?? []).Order(StringComparer.Ordinal))
        {
            if (!entries.ContainsKey($"{name}/function.json"))
            {
                problems.Add($"The function {name} (function-definitions/{name}) has no {name}/function.json in the zip.");
            }
        }

        return problems.Count == 0
            ? new FunctionAppLayout(executable!, functions)
            : throw new PackageValidationException("The deployment zip is not valid:" + string.Concat(problems.Select(p => "\n  - " + p)));
    }

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The executable host.json's custom handler points at, as a '/'-separated path relative to the zip's root.</summary>
    public static string ExecutablePath(string hostJson)
    {
        using var doc = JsonDocument.Parse(hostJson, Lenient);
        if (!doc.RootElement.TryGetProperty("customHandler", out var handler)
            || !handler.TryGetProperty("description", out var description)
            || !description.TryGetProperty("defaultExecutablePath", out var path)
            || path.ValueKind != JsonValueKind.String
            || path.GetString() is not { Length: > 0 } value)
        {
            throw new PackageValidationException("customHandler.description.defaultExecutablePath is missing: the host would not know what to start.");
        }

        var working = description.TryGetProperty("workingDirectory", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString() ?? string.Empty : string.Empty;
        var combined = Path.Combine(working, value).Replace('\\', '/');
        while (combined.StartsWith("./", StringComparison.Ordinal))
        {
            combined = combined[2..];
        }

        return combined;
    }

    /// <summary>The type of the one trigger binding of a function.json (e.g. <c>queueTrigger</c>).</summary>
    public static string TriggerType(string functionJson)
    {
        using var doc = JsonDocument.Parse(functionJson, Lenient);
        if (!doc.RootElement.TryGetProperty("bindings", out var bindings) || bindings.ValueKind != JsonValueKind.Array)
        {
            throw new PackageValidationException("no \"bindings\" array.");
        }

        var triggers = bindings.EnumerateArray()
            .Where(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString()!.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            .Select(b => b.GetProperty("type").GetString()!)
            .ToList();
        return triggers.Count switch
        {
            1 => triggers[0],
            0 => throw new PackageValidationException("no trigger binding (a binding whose type ends in \"Trigger\")."),
            _ => throw new PackageValidationException($"{triggers.Count} trigger bindings ({string.Join(", ", triggers)}); a function has exactly one."),
        };
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
