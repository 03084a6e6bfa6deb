using PushGov.Functions.Contract;

namespace PushGov.Functions.Hosting;

/// <summary>
/// Says once at start how the app's webhooks authenticate (a webhook without authentication refuses every call, and says
/// so here as a warning, so an operator sees it before the first delivery report is lost).
/// </summary>
public sealed class StartupReport(EventGridWebhookOptions eventGrid, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.Log(eventGrid.Enabled ? LogLevel.Information : LogLevel.Warning, "{Webhook}", eventGrid.Describe());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
