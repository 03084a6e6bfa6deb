using PushGov.Infrastructure.Audit;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Handlers;

/// <summary>
/// <c>Retention</c>: daily timer (02:30 Asia/Tokyo). For each tenant, purges message bodies and deletes closed cases
/// older than the tenant's limits (<see cref="Retention"/>); each purge is audited as <c>system:retention</c>.
/// </summary>
public sealed class RetentionFunction(TenantStore tenants, Retention retention, ILogger<RetentionFunction> logger)
{
    [Function("Retention")]
    public async Task RunAsync([TimerTrigger("0 30 17 * * *")] TimerInfo timer, FunctionContext context)
    {
        foreach (var tenant in await tenants.ListAsync(context.CancellationToken))
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant"] = tenant.Code });
            var r = await retention.RunAsync(tenant, context.CancellationToken);
            logger.LogInformation("Retention: bodies={Bodies} sink={Sink} cases={Cases}", r.MessageBodiesPurged, r.SinkRowsDeleted, r.CasesDeleted);
        }
    }
}
