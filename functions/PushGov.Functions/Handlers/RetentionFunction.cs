using PushGov.Functions.CustomHandler;
using PushGov.Infrastructure.Audit;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Handlers;

/// <summary>
/// <c>Retention</c>: daily timer (02:30 Asia/Tokyo). For each tenant, purges message bodies and deletes closed cases
/// older than the tenant's limits (<see cref="Retention"/>); each purge is audited as <c>system:retention</c>.
/// </summary>
public sealed class RetentionFunction(TenantStore tenants, Retention retention, ILogger<RetentionFunction> logger) : IFunction
{
    public string Name => "Retention";

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken ct)
    {
        var results = new List<RetentionResult>();
        foreach (var tenant in await tenants.ListAsync(ct))
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant"] = tenant.Code });
            results.Add(await retention.RunAsync(tenant, ct));
        }

        return new InvocationResponse
        {
            Logs = results.Select(r => $"{r.Tenant}: bodies={r.MessageBodiesPurged} sink={r.SinkRowsDeleted} cases={r.CasesDeleted}").ToList(),
        };
    }
}
