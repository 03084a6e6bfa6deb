using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace PushGov.Cli.Packaging;

/// <summary>One function of a package: its name and the type of its trigger binding (from <c>functions.metadata</c>).</summary>
public sealed record PackagedFunction(string Name, string TriggerType);

/// <summary>
/// What a valid deployment zip holds: the worker assembly the host starts (<c>worker.config.json</c>), the functions
/// (<c>functions.metadata</c>) and the host extensions (<c>extensions.json</c>).
/// </summary>
public sealed record FunctionAppLayout(string WorkerPath, IReadOnlyList<PackagedFunction> Functions, IReadOnlyList<string> Extensions);

/// <summary>A zip that the Functions host could not run: a missing or unreadable file, a function without a trigger, a missing extension.</summary>
public sealed class PackageValidationException(string message) : Exception(message);

/// <summary>
/// The deployment zip of a .NET isolated-worker function app, built from its publish folder, as Flex Consumption
/// deploys it: at the root <c>host.json</c>, <c>worker.config.json</c> (how the host starts the worker),
/// <c>functions.metadata</c> (the functions and their bindings, written by the Worker SDK),
/// <c>extensions.json</c> with the host extensions under <c>.azurefunctions/</c>, and the worker's assemblies.
/// Entries are sorted and stamped with a fixed time, so the same folder gives the same bytes.
/// </summary>
public static class FunctionZip
{
    /// <summary>The time every entry carries (zip stores local DOS time; any fixed value keeps the zip reproducible).</summary>
    public static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The host extensions PushGov needs: blob triggers (drops), queue triggers (sending), Durable Functions (cases).</summary>
    public static readonly IReadOnlyList<string> RequiredExtensions = ["AzureStorageBlobs", "AzureStorageQueues", "DurableTask"];

    // The extension (its name in extensions.json) that provides each trigger the host does not have built in.
    private static readonly Dictionary<string, string> TriggerExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["blobTrigger"] = "AzureStorageBlobs",
        ["queueTrigger"] = "AzureStorageQueues",
        ["orchestrationTrigger"] = "DurableTask",
        ["activityTrigger"] = "DurableTask",
        ["entityTrigger"] = "DurableTask",
    };

    // Unix st_mode in the high 16 bits of the external attributes (the "version made by" is Unix when written on Unix):
    // S_IFREG | 0755 for files publish left executable, S_IFREG | 0644 for the rest.
    private const int ExecutableMode = 0x8000 | 0x1ED;
    private const int PlainMode = 0x8000 | 0x1A4;

    private const string WorkerAttributeNamespace = "Microsoft.Azure.Functions.Worker";
    private const string FunctionAttributeName = "FunctionAttribute";

    /// <summary>The unix permission bits (e.g. 0755) an entry carries, or 0 when it carries none.</summary>
    public static int UnixPermissions(ZipArchiveEntry entry) => (entry.ExternalAttributes >> 16) & 0xFFF;

    /// <summary>
    /// The files of a publish folder that belong in the zip, as '/'-separated relative paths in ordinal order:
    /// everything (the hidden <c>.azurefunctions/</c> folder included) except <c>local.settings.json</c> (local
    /// secrets), anything under an <c>obj</c> folder, and <c>*.pdb</c> unless <paramref name="includeSymbols"/>.
    /// </summary>
    public static IReadOnlyList<string> SelectFiles(string publishDirectory, bool includeSymbols = false) =>
        Directory.EnumerateFiles(publishDirectory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
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
            && (includeSymbols || !name.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Writes the zip of <paramref name="publishDirectory"/> to <paramref name="zipPath"/> through a temporary file,
    /// opens it again and validates it (<see cref="Validate"/>), and only then moves it into place: a failed run
    /// leaves no zip, and an earlier zip at that path stays as it was.
    /// </summary>
    public static FunctionAppLayout Write(string publishDirectory, string zipPath, bool includeSymbols = false, CompressionLevel compression = CompressionLevel.Optimal)
    {
        var files = SelectFiles(publishDirectory, includeSymbols);
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
                    entry.ExternalAttributes = (IsExecutableOnDisk(source) ? ExecutableMode : PlainMode) << 16;
                    using var input = File.OpenRead(source);
                    using var output = entry.Open();
                    input.CopyTo(output);
                }
            }

            FunctionAppLayout layout;
            using (var zip = ZipFile.OpenRead(temporary))
            {
                layout = Validate(zip);
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
    /// Checks a deployment zip the way the Functions host reads an isolated-worker app: <c>host.json</c> (no custom
    /// handler); <c>worker.config.json</c> naming a dotnet-isolated worker assembly that is in the zip;
    /// <c>functions.metadata</c> listing each function once with exactly one trigger, and exactly the functions the
    /// worker assembly declares with <c>[Function]</c> (so the metadata is not stale); <c>extensions.json</c> listing
    /// <see cref="RequiredExtensions"/> and the extension of every trigger used, each extension's assembly in the zip.
    /// </summary>
    /// <exception cref="PackageValidationException">with every problem found, one a line.</exception>
    public static FunctionAppLayout Validate(ZipArchive zip)
    {
        var problems = new List<string>();
        var entries = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);

        JsonDocument? Json(string name)
        {
            if (!entries.TryGetValue(name, out var entry))
            {
                problems.Add($"{name} is not at the root of the zip.");
                return null;
            }

            try
            {
                using var stream = entry.Open();
                return JsonDocument.Parse(stream, Lenient);
            }
            catch (JsonException e)
            {
                problems.Add($"{name} is not valid JSON: {e.Message}");
                return null;
            }
        }

        using (var host = Json("host.json"))
        {
            if (host is not null && host.RootElement.ValueKind == JsonValueKind.Object && host.RootElement.TryGetProperty("customHandler", out _))
            {
                problems.Add("host.json configures a customHandler: the host would start it instead of the isolated worker.");
            }
        }

        var workerPath = ReadWorker(Json("worker.config.json"), entries, problems);
        var functions = ReadFunctions(Json("functions.metadata"), entries, problems);
        var extensions = ReadExtensions(Json("extensions.json"), entries, problems);

        if (extensions is not null)
        {
            foreach (var required in RequiredExtensions.Where(r => !extensions.Contains(r, StringComparer.Ordinal)))
            {
                problems.Add($"extensions.json does not list the {required} extension.");
            }

            foreach (var function in functions.Where(f => TriggerExtensions.TryGetValue(f.TriggerType, out var needed) && !extensions.Contains(needed, StringComparer.Ordinal)))
            {
                problems.Add($"{function.Name} has a {function.TriggerType}, whose extension {TriggerExtensions[function.TriggerType]} is not in extensions.json.");
            }
        }

        if (workerPath is not null && entries.TryGetValue(workerPath, out var worker) && functions.Count > 0)
        {
            var declared = DeclaredFunctions(worker);
            var listed = functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in declared.Where(d => !listed.Contains(d)).Order(StringComparer.Ordinal))
            {
                problems.Add($"{workerPath} declares [Function(\"{missing}\")], which functions.metadata does not list (stale metadata?).");
            }

            foreach (var extra in listed.Where(l => !declared.Contains(l)).Order(StringComparer.Ordinal))
            {
                problems.Add($"functions.metadata lists {extra}, which {workerPath} does not declare.");
            }
        }

        return problems.Count == 0
            ? new FunctionAppLayout(workerPath!, functions, extensions!)
            : throw new PackageValidationException("The deployment zip is not valid:" + string.Concat(problems.Select(p => "\n  - " + p)));
    }

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static string? ReadWorker(JsonDocument? config, Dictionary<string, ZipArchiveEntry> entries, List<string> problems)
    {
        using (config)
        {
            if (config is null)
            {
                return null;
            }

            if (!config.RootElement.TryGetProperty("description", out var description)
                || !description.TryGetProperty("language", out var language) || language.GetString() != "dotnet-isolated"
                || !description.TryGetProperty("defaultWorkerPath", out var path) || path.GetString() is not { Length: > 0 } workerPath)
            {
                problems.Add("worker.config.json does not describe a dotnet-isolated worker (description.language, description.defaultWorkerPath).");
                return null;
            }

            if (!entries.ContainsKey(workerPath))
            {
                problems.Add($"worker.config.json names the worker {workerPath}, which is not in the zip.");
                return null;
            }

            return workerPath;
        }
    }

    private static List<PackagedFunction> ReadFunctions(JsonDocument? metadata, Dictionary<string, ZipArchiveEntry> entries, List<string> problems)
    {
        var functions = new List<PackagedFunction>();
        using (metadata)
        {
            if (metadata is null)
            {
                return functions;
            }

            if (metadata.RootElement.ValueKind != JsonValueKind.Array || metadata.RootElement.GetArrayLength() == 0)
            {
                problems.Add("functions.metadata lists no function.");
                return functions;
            }

            foreach (var function in metadata.RootElement.EnumerateArray())
            {
                var name = function.TryGetProperty("name", out var n) ? n.GetString() : null;
                if (string.IsNullOrEmpty(name))
                {
                    problems.Add("functions.metadata has a function without a name.");
                    continue;
                }

                if (functions.Any(f => f.Name == name))
                {
                    problems.Add($"functions.metadata lists {name} twice.");
                    continue;
                }

                if (!function.TryGetProperty("scriptFile", out var script) || script.GetString() is not { Length: > 0 } scriptFile || !entries.ContainsKey(scriptFile))
                {
                    problems.Add($"{name}: its scriptFile is missing from the zip.");
                }

                try
                {
                    functions.Add(new PackagedFunction(name, TriggerType(function)));
                }
                catch (PackageValidationException e)
                {
                    problems.Add($"{name}: {e.Message}");
                }
            }
        }

        return functions;
    }

    private static List<string>? ReadExtensions(JsonDocument? document, Dictionary<string, ZipArchiveEntry> entries, List<string> problems)
    {
        using (document)
        {
            if (document is null)
            {
                return null;
            }

            if (!document.RootElement.TryGetProperty("extensions", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Add("extensions.json has no \"extensions\" array.");
                return null;
            }

            var names = new List<string>();
            foreach (var extension in list.EnumerateArray())
            {
                var name = extension.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                names.Add(name);
                var hint = extension.TryGetProperty("hintPath", out var h) ? h.GetString() ?? string.Empty : string.Empty;
                var path = hint.StartsWith("./", StringComparison.Ordinal) ? hint[2..] : hint;
                if (!entries.ContainsKey(path))
                {
                    problems.Add($"extensions.json: the {name} extension's assembly {hint} is not in the zip.");
                }
            }

            return names;
        }
    }

    /// <summary>The type of the one trigger binding of a function of functions.metadata (e.g. <c>queueTrigger</c>).</summary>
    public static string TriggerType(JsonElement function)
    {
        if (!function.TryGetProperty("bindings", out var bindings) || bindings.ValueKind != JsonValueKind.Array)
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

    /// <summary>
    /// The names of the functions an assembly declares: the argument of every <c>[Function("Name")]</c>
    /// (Microsoft.Azure.Functions.Worker.FunctionAttribute) on its methods, read from its metadata without loading it.
    /// </summary>
    public static IReadOnlySet<string> DeclaredFunctions(ZipArchiveEntry assembly)
    {
        using var copy = new MemoryStream();
        using (var stream = assembly.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        using var pe = new PEReader(copy);
        var reader = pe.GetMetadataReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.CustomAttributes)
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Parent.Kind != HandleKind.MethodDefinition || attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }

            var type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (reader.GetString(type.Name) != FunctionAttributeName || reader.GetString(type.Namespace) != WorkerAttributeNamespace)
            {
                continue;
            }

            var value = reader.GetBlobReader(attribute.Value);
            if (value.ReadUInt16() == 1 && value.ReadSerializedString() is { Length: > 0 } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
