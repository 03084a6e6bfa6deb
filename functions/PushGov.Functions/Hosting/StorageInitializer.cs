using PushGov.Infrastructure.Storage;

namespace PushGov.Functions.Hosting;

/// <summary>
/// Creates any container, queue or table the app uses that is missing, once at start (idempotent). The Bicep template
/// creates them in Azure; this makes a fresh Azurite or a hand-made account work too. A storage outage at start is
/// logged, not fatal: the health endpoint reports it and the triggers retry.
/// </summary>
public sealed class StorageInitializer(StorageClients storage, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await storage.EnsureCreatedAsync(timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Storage could not be prepared at start ({Error}); /api/health reports it", e.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
