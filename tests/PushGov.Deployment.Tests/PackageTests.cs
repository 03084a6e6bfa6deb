using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PushGov.Cli.Packaging;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;
using Xunit.Abstractions;

namespace PushGov.Deployment.Tests;

/// <summary>
/// One real packaging run (dotnet publish self-contained linux-x64 into a temporary build folder, then the zip), shared
/// by the tests of the "Package" collection, with the zip extracted next to it the way the Functions host unpacks it.
/// </summary>
public sealed class PackagedApp : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pushgov-package-test-");

    public PackageResult Result { get; private set; } = null!;

    public string ZipPath => Result.ZipPath;

    public string SiteRoot => Path.Combine(_work.FullName, "site");

    public string PublishLog { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var log = new StringWriter();
        Result = await FunctionPackager.PackageAsync(
            new PackageRequest
            {
                RepositoryRoot = Repo.Root,
                OutputZip = Path.Combine(_work.FullName, "out", "pushgov-functions.zip"),
                BuildDirectory = Path.Combine(_work.FullName, "build"),
            },
            log,
            CancellationToken.None);
        PublishLog = log.ToString();
        ZipFile.ExtractToDirectory(ZipPath, SiteRoot);
    }

    public Task DisposeAsync()
    {
        _work.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition("Package")]
public sealed class PackageCollection : ICollectionFixture<PackagedApp>;

/// <summary>The deployment zip has the layout the Functions host reads (issue 8).</summary>
[Collection("Package")]
public sealed class PackageLayoutTests(PackagedApp app, ITestOutputHelper output)
{
    private ZipArchive Open() => ZipFile.OpenRead(app.ZipPath);

    [Fact]
    public void Host_json_is_at_the_root_and_points_the_custom_handler_at_PushGov_Functions_in_the_zip()
    {
        using var zip = Open();

        var host = zip.GetEntry("host.json");
        Assert.NotNull(host);
        using var reader = new StreamReader(host.Open());
        Assert.Equal("PushGov.Functions", FunctionZip.ExecutablePath(reader.ReadToEnd()));
        Assert.NotNull(zip.GetEntry("PushGov.Functions"));
        Assert.Equal("PushGov.Functions", app.Result.Layout.ExecutablePath);
        output.WriteLine($"publish {app.Result.PublishDuration.TotalSeconds:0.0} s, zip {app.Result.ZipDuration.TotalSeconds:0.0} s, {app.Result.SizeBytes} bytes, {app.Result.EntryCount} entries");
    }

    [Theory]
    [InlineData("IngestDrop", "blobTrigger")]
    [InlineData("AdvanceCase", "queueTrigger")]
    [InlineData("SendMessage", "queueTrigger")]
    [InlineData("Sweep", "timerTrigger")]
    [InlineData("AgeSweep", "timerTrigger")]
    [InlineData("Api", "httpTrigger")]
    public void Each_function_has_its_folder_with_a_function_json_carrying_its_trigger(string function, string trigger)
    {
        using var zip = Open();

        var entry = zip.GetEntry($"{function}/function.json");
        Assert.NotNull(entry);
        using var reader = new StreamReader(entry.Open());
        Assert.Equal(trigger, FunctionZip.TriggerType(reader.ReadToEnd()));
    }

    [Fact]
    public void The_zip_holds_exactly_the_functions_the_source_defines()
    {
        using var zip = Open();

        var inZip = zip.Entries.Where(e => e.FullName.EndsWith("/function.json", StringComparison.Ordinal)).Select(e => e.FullName.Split('/')[0]).Order(StringComparer.Ordinal);
        Assert.Equal(FunctionPackager.DefinedFunctions(Repo.Root), inZip);
        Assert.Equal(FunctionPackager.DefinedFunctions(Repo.Root), app.Result.Layout.Functions.Select(f => f.Name));
    }

    [Fact]
    public void The_handler_executable_entry_carries_unix_mode_0755_and_extracts_executable()
    {
        using var zip = Open();

        var exe = zip.GetEntry("PushGov.Functions")!;
        Assert.Equal(Convert.ToInt32("755", 8), FunctionZip.UnixPermissions(exe));
        Assert.Equal(0x8000, (exe.ExternalAttributes >> 16) & 0xF000); // S_IFREG
        Assert.Equal(Convert.ToInt32("644", 8), FunctionZip.UnixPermissions(zip.GetEntry("host.json")!));
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(Path.Combine(app.SiteRoot, "PushGov.Functions")) & UnixFileMode.UserExecute) != 0);
        }
    }

    [Fact]
    public void The_zip_is_self_contained_for_linux_x64()
    {
        using var zip = Open();

        Assert.True(app.Result.SelfContained);
        Assert.NotNull(zip.GetEntry("libcoreclr.so"));
        Assert.NotNull(zip.GetEntry("libhostfxr.so"));
        Assert.NotNull(zip.GetEntry("PushGov.Functions.dll"));
        using var runtimeConfig = JsonDocument.Parse(zip.GetEntry("PushGov.Functions.runtimeconfig.json")!.Open());
        var frameworks = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("includedFrameworks").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("Microsoft.NETCore.App", frameworks);
        Assert.Contains("Microsoft.AspNetCore.App", frameworks);
    }

    [Fact]
    public void Local_settings_symbols_obj_and_the_definitions_source_copy_stay_out_and_entries_are_sorted()
    {
        using var zip = Open();
        var names = zip.Entries.Select(e => e.FullName).ToList();

        Assert.DoesNotContain(names, n => n.EndsWith("local.settings.json", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.StartsWith("obj/", StringComparison.Ordinal) || n.Contains("/obj/", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("function-definitions/", StringComparison.Ordinal));
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All(zip.Entries, e => Assert.Equal(FunctionZip.EntryTime.Year, e.LastWriteTime.Year));
        Assert.Equal(names.Count, app.Result.EntryCount);
    }
}

/// <summary>The executable from the zip starts as the Functions host starts it and answers as a custom handler.</summary>
[Collection("Package")]
public sealed class PackagedAppRunTests(PackagedApp app)
{
    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_extracted_executable_answers_its_health_check_and_a_Sweep_invocation()
    {
        await using var azurite = await Azurite.StartAsync();
        // The deployment's template creates the tables, containers and queues; the handler under the host does not.
        await StorageClients.FromConnectionString(azurite.ConnectionString).EnsureCreatedAsync();

        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(app.SiteRoot, "PushGov.Functions"))
        {
            WorkingDirectory = app.SiteRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString();
        start.Environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        start.Environment["PushGov__ApiKeyPepper"] = "package-test-pepper-0123456789";
        start.Environment["PushGov__TriggerHost__Enabled"] = "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

            var (status, health) = await PollHealthAsync(http, process, output);
            Assert.True(status == HttpStatusCode.OK, $"GET /api/health answered {(int?)status} {health}\n{Text(output)}");
            using (var doc = JsonDocument.Parse(health))
            {
                Assert.Equal("healthy", doc.RootElement.GetProperty("status").GetString());
            }

            using var invocation = new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("/Sweep", UriKind.Relative), invocation);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /Sweep answered {(int)response.StatusCode} {body}\n{Text(output)}");
            using var result = JsonDocument.Parse(body);
            Assert.Equal(JsonValueKind.Object, result.RootElement.GetProperty("Outputs").ValueKind);
            var log = Assert.Single(result.RootElement.GetProperty("Logs").EnumerateArray());
            Assert.Equal("timers=0 stuck=0 outboxes=0 poisoned=0", log.GetString());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    private static async Task<(HttpStatusCode? Status, string Body)> PollHealthAsync(HttpClient http, Process process, StringBuilder output)
    {
        var deadline = Stopwatch.StartNew();
        (HttpStatusCode? Status, string Body) last = (null, "(no answer)");
        while (deadline.Elapsed < StartupBound)
        {
            Assert.False(process.HasExited, $"PushGov.Functions exited with {(process.HasExited ? process.ExitCode : 0)} before answering:\n{Text(output)}");
            try
            {
                using var response = await http.GetAsync(new Uri("/api/health", UriKind.Relative));
                last = (response.StatusCode, await response.Content.ReadAsStringAsync());
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (HttpRequestException e)
            {
                last = (null, e.Message);
            }

            await Task.Delay(250);
        }

        return last;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            var text = output.ToString();
            return text.Length > 4000 ? text[^4000..] : text;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The zip writer and its validation, on small hand-made publish folders (no publish needed).</summary>
public sealed class FunctionZipTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pushgov-zip-test-");

    private const string HostJson = """{ "version": "2.0", "customHandler": { "description": { "defaultExecutablePath": "handler" } } }""";
    private const string QueueFunction = """{ "bindings": [ { "name": "message", "type": "queueTrigger", "direction": "in", "queueName": "q" } ] }""";

    public void Dispose() => _work.Delete(recursive: true);

    private string Folder(string name, params (string Path, string Text)[] files)
    {
        var folder = Path.Combine(_work.FullName, name);
        foreach (var (path, text) in files)
        {
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        return folder;
    }

    private string Zip(string name) => Path.Combine(_work.FullName, name + ".zip");

    [Fact]
    public void The_same_folder_gives_the_same_bytes_twice()
    {
        var folder = Folder("app", ("host.json", HostJson), ("handler", "#!/bin/sh"), ("Work/function.json", QueueFunction), ("b.dll", "b"), ("a.dll", "a"));

        FunctionZip.Write(folder, Zip("one"));
        File.SetLastWriteTimeUtc(Path.Combine(folder, "a.dll"), DateTime.UtcNow.AddDays(-3));
        FunctionZip.Write(folder, Zip("two"));

        Assert.Equal(File.ReadAllBytes(Zip("one")), File.ReadAllBytes(Zip("two")));
        using var zip = ZipFile.OpenRead(Zip("one"));
        Assert.Equal(["Work/function.json", "a.dll", "b.dll", "handler", "host.json"], zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void The_handler_gets_mode_0755_even_when_the_file_system_lost_it()
    {
        var folder = Folder("app", ("host.json", HostJson), ("handler", "#!/bin/sh"), ("Work/function.json", QueueFunction));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(folder, "handler"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var layout = FunctionZip.Write(folder, Zip("app"));

        using var zip = ZipFile.OpenRead(Zip("app"));
        Assert.Equal(Convert.ToInt32("755", 8), FunctionZip.UnixPermissions(zip.GetEntry("handler")!));
        Assert.Equal("handler", layout.ExecutablePath);
        Assert.Equal([new PackagedFunction("Work", "queueTrigger")], layout.Functions);
    }

    [Fact]
    public void A_missing_handler_executable_fails_naming_the_path_and_leaves_no_zip()
    {
        var folder = Folder("app", ("host.json", HostJson), ("Work/function.json", QueueFunction));

        var e = Assert.Throws<PackageValidationException>(() => FunctionZip.Write(folder, Zip("app")));

        Assert.Contains("'handler'", e.Message, StringComparison.Ordinal);
        Assert.Contains("defaultExecutablePath", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Zip("app")));
        Assert.Empty(Directory.EnumerateFiles(_work.FullName, "*.tmp"));
    }

    [Fact]
    public void A_function_without_a_trigger_fails_naming_the_function()
    {
        var output = """{ "bindings": [ { "name": "res", "type": "http", "direction": "out" } ] }""";
        var folder = Folder("app", ("host.json", HostJson), ("handler", "x"), ("Work/function.json", QueueFunction), ("Broken/function.json", output));

        var e = Assert.Throws<PackageValidationException>(() => FunctionZip.Write(folder, Zip("app")));

        Assert.Contains("Broken/function.json: no trigger binding", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_defined_function_missing_from_the_publish_folder_fails()
    {
        var folder = Folder("app", ("host.json", HostJson), ("handler", "x"), ("Work/function.json", QueueFunction));

        var e = Assert.Throws<PackageValidationException>(() => FunctionZip.Write(folder, Zip("app"), expectedFunctions: ["Work", "Sweep"]));

        Assert.Contains("The function Sweep (function-definitions/Sweep) has no Sweep/function.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_host_json_fails()
    {
        var folder = Folder("app", ("handler", "x"), ("Work/function.json", QueueFunction));

        var e = Assert.Throws<PackageValidationException>(() => FunctionZip.Write(folder, Zip("app")));

        Assert.Contains("host.json is not at the root of the zip.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_settings_symbols_obj_and_definitions_are_left_out()
    {
        var folder = Folder(
            "app",
            ("host.json", HostJson),
            ("handler", "x"),
            ("Work/function.json", QueueFunction),
            ("local.settings.json", "{}"),
            ("app.pdb", "p"),
            ("obj/x.cache", "c"),
            ("function-definitions/Work/function.json", QueueFunction),
            ("wwwroot/site.css", "s"));

        Assert.Equal(["Work/function.json", "handler", "host.json", "wwwroot/site.css"], FunctionZip.SelectFiles(folder));
        Assert.Contains("app.pdb", FunctionZip.SelectFiles(folder, includeSymbols: true));
    }
}
