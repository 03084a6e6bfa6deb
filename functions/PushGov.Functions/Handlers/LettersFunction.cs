using PushGov.Domain;
using PushGov.Infrastructure.Notifications.Providers.Letters;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Handlers;

/// <summary>
/// <c>Letters</c>: daily timer at 01:30 in Japan (16:30 UTC). Assembles yesterday's letters of each tenant into the print
/// vendor's CSV (<c>letters/{tenant}/{date}.csv</c>). Re-running writes the same files.
/// </summary>
public sealed class LettersFunction(TenantStore tenants, LetterBatch batch, TimeProvider clock, ILogger<LettersFunction> logger)
{
    [Function("Letters")]
    public Task RunAsync([TimerTrigger("0 30 16 * * *")] TimerInfo timer, FunctionContext context) =>
        AssembleAsync(JapanTime.LocalDay(clock.GetUtcNow(), JapanTime.Tokyo).AddDays(-1), context.CancellationToken);

    /// <summary>Assembles one day for every tenant; returns the number of letters.</summary>
    public async Task<int> AssembleAsync(DateOnly day, CancellationToken ct)
    {
        var total = 0;
        foreach (var tenant in await tenants.ListAsync(ct))
        {
            var count = await batch.AssembleAsync(tenant.Code, day, ct);
            if (count > 0)
            {
                logger.LogInformation("Letters of {Tenant} for {Day}: {Count}", tenant.Code, day, count);
            }

            total += count;
        }

        return total;
    }
}
