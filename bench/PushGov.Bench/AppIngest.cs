using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Local;
using PushGov.LocalHost;
using PushGov.Testing;

namespace PushGov.Bench;

/// <summary>
/// The app's drop ingestion as the app registers it (<c>PushGovServices.AddPushGov</c>), on the local host with the case
/// orchestration running (the cases a drop starts are real orchestrations), for benchmarks and tests on Azurite.
/// </summary>
public sealed class AppIngest : IAsyncDisposable
{
    private readonly LocalFunctionsHost _host;

    private AppIngest(LocalFunctionsHost host)
    {
        _host = host;
        host.Services.GetRequiredService<DurableCases>().Use(host.Services.GetRequiredService<DurableTaskClient>());
    }

    public static async Task<AppIngest> StartAsync(string connectionString, TimeProvider clock, CancellationToken ct = default)
    {
        var host = LocalFunctionsHost.Create(LocalApp.Options(
            TestAppSettings.For(connectionString, "ingest"),
            functions: LocalApp.CaseFunctions,
            logging: l => l.SetMinimumLevel(LogLevel.Warning),
            services: s => s.Replace(ServiceDescriptor.Singleton(clock))));
        await host.StartAsync(ct);
        return new AppIngest(host);
    }

    public StorageClients Storage => _host.Services.GetRequiredService<StorageClients>();

    public TenantStore Tenants => _host.Services.GetRequiredService<TenantStore>();

    public ResidentStore Residents => _host.Services.GetRequiredService<ResidentStore>();

    public DropIngestor Ingestor => _host.Services.GetRequiredService<DropIngestor>();

    /// <summary>Uploads a drop file to <c>drops/{tenant}/{dataset}/{name}</c> and returns the blob name.</summary>
    public async Task<string> UploadAsync(string tenant, string dataset, string path, string? name, CancellationToken ct)
    {
        var blobName = $"{tenant}/{dataset}/{name ?? Path.GetFileName(path)}";
        await using var file = File.OpenRead(path);
        await Storage.Container(StorageNames.Containers.Drops).GetBlobClient(blobName).UploadAsync(file, overwrite: true, ct);
        return blobName;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
