using System.IO.Compression;
using Microsoft.Azure.Functions.Worker;
using PushGov.Cli.Packaging;

namespace PushGov.Deployment.Tests;

/// <summary>
/// Stands in for a worker assembly in the hand-made publish folders below: its metadata declares these two functions
/// with the Worker's <see cref="FunctionAttribute"/>, as a real worker assembly does.
/// </summary>
internal static class SampleWorkerFunctions
{
    [Function("Work")]
    public static void Work()
    {
    }

    [Function("Sweep")]
    public static void Sweep()
    {
    }
}

/// <summary>The zip writer and its validation, on small hand-made publish folders (no publish needed).</summary>
public sealed class FunctionZipTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pushgov-zip-test-");

    private const string HostJson = """{ "version": "2.0", "extensions": { "http": { "routePrefix": "api" } } }""";
    private const string WorkerConfig = """{ "description": { "language": "dotnet-isolated", "extensions": [".dll"], "defaultExecutablePath": "dotnet", "defaultWorkerPath": "App.dll" } }""";

    private const string Metadata = """
        [
          { "name": "Work", "scriptFile": "App.dll", "entryPoint": "A.Work", "language": "dotnet-isolated",
            "bindings": [ { "name": "m", "direction": "In", "type": "queueTrigger", "queueName": "send" } ] },
          { "name": "Sweep", "scriptFile": "App.dll", "entryPoint": "A.Sweep", "language": "dotnet-isolated",
            "bindings": [ { "name": "t", "direction": "In", "type": "timerTrigger", "schedule": "0 */5 * * * *" } ] }
        ]
        """;

    private static string Extensions(params string[] names) =>
        "{ \"extensions\": [" + string.Join(", ", names.Select(n => $$"""{ "name": "{{n}}", "typeName": "X, {{n}}", "hintPath": "./.azurefunctions/{{n}}.dll" }""")) + "] }";

    private static readonly string[] AllExtensions = ["AzureStorageBlobs", "AzureStorageQueues", "DurableTask"];

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>A publish folder of a valid isolated-worker app, with files replaced or added by <paramref name="files"/> (null text: left out).</summary>
    private string Folder(string name, params (string Path, string? Text)[] files)
    {
        var folder = Path.Combine(_work.FullName, name);
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["host.json"] = HostJson,
            ["worker.config.json"] = WorkerConfig,
            ["functions.metadata"] = Metadata,
            ["extensions.json"] = Extensions(AllExtensions),
        };
        foreach (var extension in AllExtensions)
        {
            all[$".azurefunctions/{extension}.dll"] = extension;
        }

        foreach (var (path, text) in files)
        {
            all[path] = text;
        }

        foreach (var (path, text) in all.Where(f => f.Value is not null))
        {
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        File.Copy(typeof(SampleWorkerFunctions).Assembly.Location, Path.Combine(folder, "App.dll"));
        return folder;
    }

    private string Zip(string name) => Path.Combine(_work.FullName, name + ".zip");

    private PackageValidationException Invalid(string folder)
    {
        var e = Assert.Throws<PackageValidationException>(() => FunctionZip.Write(folder, Zip("app")));
        Assert.False(File.Exists(Zip("app")));
        Assert.Empty(Directory.EnumerateFiles(_work.FullName, "*.tmp"));
        return e;
    }

    [Fact]
    public void A_valid_folder_gives_its_worker_functions_and_extensions()
    {
        var layout = FunctionZip.Write(Folder("app"), Zip("app"));

        Assert.Equal("App.dll", layout.WorkerPath);
        Assert.Equal([new PackagedFunction("Work", "queueTrigger"), new PackagedFunction("Sweep", "timerTrigger")], layout.Functions);
        Assert.Equal(AllExtensions, layout.Extensions);
    }

    [Fact]
    public void The_same_folder_gives_the_same_bytes_twice_with_the_hidden_azurefunctions_folder_in_it()
    {
        var folder = Folder("app", ("b.dll", "b"), ("a.dll", "a"));

        FunctionZip.Write(folder, Zip("one"));
        File.SetLastWriteTimeUtc(Path.Combine(folder, "a.dll"), DateTime.UtcNow.AddDays(-3));
        FunctionZip.Write(folder, Zip("two"));

        Assert.Equal(File.ReadAllBytes(Zip("one")), File.ReadAllBytes(Zip("two")));
        using var zip = ZipFile.OpenRead(Zip("one"));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains(".azurefunctions/DurableTask.dll", names);
        Assert.All(zip.Entries, e => Assert.Equal(FunctionZip.EntryTime.Year, e.LastWriteTime.Year));
    }

    [Fact]
    public void Extensions_json_without_Durable_Task_fails_naming_it_and_leaves_no_zip()
    {
        var e = Invalid(Folder("app", ("extensions.json", Extensions("AzureStorageBlobs", "AzureStorageQueues"))));

        Assert.Contains("extensions.json does not list the DurableTask extension.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trigger_whose_extension_is_missing_fails_naming_the_function()
    {
        var e = Invalid(Folder("app", ("extensions.json", Extensions("AzureStorageBlobs", "DurableTask"))));

        Assert.Contains("Work has a queueTrigger, whose extension AzureStorageQueues is not in extensions.json.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extension_assembly_missing_from_the_zip_fails()
    {
        var e = Invalid(Folder("app", (".azurefunctions/DurableTask.dll", null)));

        Assert.Contains("the DurableTask extension's assembly ./.azurefunctions/DurableTask.dll is not in the zip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_missing_a_function_the_worker_declares_fails_as_stale()
    {
        var onlyWork = """[ { "name": "Work", "scriptFile": "App.dll", "bindings": [ { "name": "m", "type": "queueTrigger", "queueName": "send" } ] } ]""";

        var e = Invalid(Folder("app", ("functions.metadata", onlyWork)));

        Assert.Contains("App.dll declares [Function(\"Sweep\")], which functions.metadata does not list (stale metadata?).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_without_a_trigger_fails_naming_the_function()
    {
        var broken = Metadata.Replace("\"type\": \"timerTrigger\"", "\"type\": \"http\"", StringComparison.Ordinal);

        var e = Invalid(Folder("app", ("functions.metadata", broken)));

        Assert.Contains("Sweep: no trigger binding", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_functions_metadata_or_worker_config_fails()
    {
        var e = Invalid(Folder("app", ("functions.metadata", null), ("worker.config.json", null)));

        Assert.Contains("functions.metadata is not at the root of the zip.", e.Message, StringComparison.Ordinal);
        Assert.Contains("worker.config.json is not at the root of the zip.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_config_naming_an_assembly_that_is_not_there_fails()
    {
        var e = Invalid(Folder("app", ("worker.config.json", WorkerConfig.Replace("App.dll", "Gone.dll", StringComparison.Ordinal))));

        Assert.Contains("worker.config.json names the worker Gone.dll, which is not in the zip.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_json_with_a_custom_handler_fails()
    {
        var e = Invalid(Folder("app", ("host.json", """{ "version": "2.0", "customHandler": { "description": { "defaultExecutablePath": "x" } } }""")));

        Assert.Contains("host.json configures a customHandler", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_validation_leaves_the_earlier_zip_as_it_was()
    {
        FunctionZip.Write(Folder("good"), Zip("app"));
        var before = File.ReadAllBytes(Zip("app"));

        Assert.Throws<PackageValidationException>(() => FunctionZip.Write(Folder("bad", ("functions.metadata", "[]")), Zip("app")));

        Assert.Equal(before, File.ReadAllBytes(Zip("app")));
    }

    [Fact]
    public void Local_settings_symbols_and_obj_are_left_out()
    {
        var folder = Folder("app", ("local.settings.json", "{}"), ("app.pdb", "p"), (".azurefunctions/x.pdb", "p"), ("obj/x.cache", "c"), ("wwwroot/site.css", "s"));

        var files = FunctionZip.SelectFiles(folder);

        Assert.DoesNotContain("local.settings.json", files);
        Assert.DoesNotContain("obj/x.cache", files);
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal));
        Assert.Contains("wwwroot/site.css", files);
        Assert.Contains(".azurefunctions/x.pdb", FunctionZip.SelectFiles(folder, includeSymbols: true));
    }
}
