using System.IO.Compression;
using System.Text.Json;
using PushGov.Cli.Packaging;
using Xunit.Abstractions;

namespace PushGov.Deployment.Tests;

/// <summary>
/// One real packaging run (dotnet publish of the isolated worker, framework-dependent linux-x64, into a temporary build
/// folder, then the zip), shared by the tests of the "Package" collection, with the zip extracted next to it the way
/// the Functions host unpacks it.
/// </summary>
public sealed class PackagedApp : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pushgov-package-test-");

    public PackageResult Result { get; private set; } = null!;

    public string ZipPath => Result.ZipPath;

    public string SiteRoot => Path.Combine(_work.FullName, "site");

    /// <summary>functions.metadata of the package, as the Worker SDK wrote it at build time.</summary>
    public JsonElement Metadata { get; private set; }

    public async Task InitializeAsync()
    {
        Result = await FunctionPackager.PackageAsync(
            new PackageRequest
            {
                RepositoryRoot = Repo.Root,
                OutputZip = Path.Combine(_work.FullName, "out", "pushgov-functions.zip"),
                BuildDirectory = Path.Combine(_work.FullName, "build"),
            },
            TextWriter.Null,
            CancellationToken.None);
        ZipFile.ExtractToDirectory(ZipPath, SiteRoot);
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(SiteRoot, "functions.metadata")));
        Metadata = metadata.RootElement.Clone();
    }

    public Task DisposeAsync()
    {
        _work.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition("Package")]
public sealed class PackageCollection : ICollectionFixture<PackagedApp>, ICollectionFixture<CompiledTemplate>;

/// <summary>The deployment zip has the layout Flex Consumption's dotnet-isolated stack runs.</summary>
[Collection("Package")]
public sealed class PackageLayoutTests(PackagedApp app, ITestOutputHelper output)
{
    private ZipArchive Open() => ZipFile.OpenRead(app.ZipPath);

    [Fact]
    public void The_host_files_are_at_the_root_and_the_worker_is_PushGov_Functions_dll()
    {
        using var zip = Open();

        Assert.All(["host.json", "worker.config.json", "functions.metadata", "extensions.json", "PushGov.Functions.dll"], name => Assert.NotNull(zip.GetEntry(name)));
        Assert.Contains(zip.Entries, e => e.FullName.StartsWith(".azurefunctions/", StringComparison.Ordinal));
        Assert.Equal("PushGov.Functions.dll", app.Result.Layout.WorkerPath);
        output.WriteLine($"publish {app.Result.PublishDuration.TotalSeconds:0.0} s, zip {app.Result.ZipDuration.TotalSeconds:0.0} s, {app.Result.SizeBytes} bytes, {app.Result.EntryCount} entries");
    }

    [Fact]
    public void Publish_output_carries_extensions_json_with_Blobs_Queues_and_DurableTask_and_their_assemblies()
    {
        var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.SiteRoot, "extensions.json"))).RootElement.GetProperty("extensions").EnumerateArray().ToList();

        Assert.All(FunctionZip.RequiredExtensions, required =>
        {
            var extension = Assert.Single(extensions, e => e.GetProperty("name").GetString() == required);
            Assert.True(File.Exists(Path.Combine(app.SiteRoot, extension.GetProperty("hintPath").GetString()!)), $"{required}: {extension.GetProperty("hintPath")}");
        });
        Assert.Equal(["AzureStorageBlobs", "AzureStorageQueues", "DurableTask"], FunctionZip.RequiredExtensions);
    }

    [Fact]
    public void The_package_is_framework_dependent_on_dotnet_10_as_the_dotnet_isolated_10_stack_runs_it()
    {
        using var zip = Open();
        using var runtimeConfig = JsonDocument.Parse(zip.GetEntry("PushGov.Functions.runtimeconfig.json")!.Open());
        var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
        var frameworks = (options.TryGetProperty("frameworks", out var list) ? list.EnumerateArray().ToList() : [options.GetProperty("framework")])
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("version").GetString()!);

        Assert.Null(zip.GetEntry("libcoreclr.so"));
        Assert.StartsWith("10.0", frameworks["Microsoft.NETCore.App"], StringComparison.Ordinal);
        Assert.Equal("dotnet-isolated", JsonDocument.Parse(zip.GetEntry("worker.config.json")!.Open()).RootElement.GetProperty("description").GetProperty("language").GetString());
    }

    [Fact]
    public void Local_settings_symbols_and_obj_stay_out_and_entries_are_sorted_and_stamped()
    {
        using var zip = Open();
        var names = zip.Entries.Select(e => e.FullName).ToList();

        Assert.DoesNotContain(names, n => n.EndsWith("local.settings.json", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.StartsWith("obj/", StringComparison.Ordinal) || n.Contains("/obj/", StringComparison.Ordinal));
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All(zip.Entries, e => Assert.Equal(FunctionZip.EntryTime.Year, e.LastWriteTime.Year));
        Assert.Equal(names.Count, app.Result.EntryCount);
    }

    [Fact]
    public void The_zip_lists_exactly_the_functions_its_worker_declares()
    {
        using var zip = Open();

        var declared = FunctionZip.DeclaredFunctions(zip.GetEntry("PushGov.Functions.dll")!);

        Assert.Equal(declared.Order(StringComparer.Ordinal), app.Result.Layout.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Contains("IngestDrop", declared);
    }
}
