using Microsoft.Extensions.Logging.Abstractions;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Templates;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Messaging;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Bench;

/// <summary>
/// The app's drop ingestion, put together as <c>PushGovServices.AddPushGov</c> registers it (the default catalog and
/// templates, the case engine with its real activities and composer), for benchmarks and tests that run it on Azurite.
/// </summary>
public sealed class AppIngest
{
    public AppIngest(StorageClients storage, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(storage);
        Storage = storage;
        var catalog = new Lazy<Catalog>(CatalogLoader.LoadDefault);
        var matcher = new Lazy<ServiceMatcher>(() => catalog.Value.Compile());
        var templates = new Lazy<TemplateCatalog>(() => TemplateCatalog.LoadDefault());
        Tenants = new TenantStore(storage);
        var directory = new TenantDirectory(Tenants, clock);
        Residents = new ResidentStore(storage);
        var eligibility = new CatalogEligibility(_ => matcher.Value);
        IMessageComposer composer = new TemplateComposer(_ => templates.Value, new PushGov.Domain.Residents.ResidentLinkSigner("bench-resident-link-key-0123456789-abcdef"), id => catalog.Value.Find(id)?.Counter);
        var engine = new CaseEngine(
            new CaseStore(storage),
            new MessageStore(storage),
            new TimerStore(storage),
            storage,
            new CaseActivities(Residents, eligibility, directory),
            composer,
            directory,
            clock,
            NullLogger<CaseEngine>.Instance);
        Ingestor = new DropIngestor(storage, Residents, engine, engine, directory, clock, NullLogger<DropIngestor>.Instance);
    }

    public StorageClients Storage { get; }

    public TenantStore Tenants { get; }

    public ResidentStore Residents { get; }

    public DropIngestor Ingestor { get; }

    /// <summary>Uploads a drop file to <c>drops/{tenant}/{dataset}/{name}</c> and returns the blob name.</summary>
    public async Task<string> UploadAsync(string tenant, string dataset, string path, string? name, CancellationToken ct)
    {
        var blobName = $"{tenant}/{dataset}/{name ?? Path.GetFileName(path)}";
        await using var file = File.OpenRead(path);
        await Storage.Container(StorageNames.Containers.Drops).GetBlobClient(blobName).UploadAsync(file, overwrite: true, ct);
        return blobName;
    }
}
