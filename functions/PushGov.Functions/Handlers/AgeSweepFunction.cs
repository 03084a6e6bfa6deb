using Microsoft.DurableTask.Client;
using PushGov.Domain;
using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Handlers;

/// <summary>
/// <c>AgeSweep</c>: daily timer. For each tenant, reads only the birth dates whose notice window opens today
/// (AGE_65 and AGE_75 30 days ahead, SCHOOL_ENTRY from 1 September) from the birthday index, and starts a case
/// per event. Event ids are stable, so running the sweep twice for a day starts nothing twice.
/// </summary>
public sealed class AgeSweepFunction(TenantStore tenants, ResidentStore residents, DurableCases durable, TimeProvider clock, ILogger<AgeSweepFunction> logger)
{
    /// <summary>Daily at 01:00 in Japan (16:00 UTC).</summary>
    [Function("AgeSweep")]
    public Task RunAsync([TimerTrigger("0 0 16 * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        SweepAsync(JapanTime.Today(clock.GetUtcNow()), durable.Use(client), context.CancellationToken);

    /// <summary>Sweeps one day for every tenant; returns the number of cases started.</summary>
    public async Task<int> SweepAsync(DateOnly day, ICaseStarter cases, CancellationToken ct)
    {
        var started = 0;
        foreach (var tenant in await tenants.ListAsync(ct))
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant"] = tenant.Code });
            var sweep = new AgeEventSweep(tenant.Code);
            foreach (var query in sweep.QueriesFor(day))
            {
                foreach (var (residentId, householdId) in await residents.BirthdaysAsync(query, ct))
                {
                    var person = (await residents.HouseholdAsync(tenant.Code, householdId, ct)).FirstOrDefault(p => p.ResidentId == residentId);
                    if (person is null)
                    {
                        continue;
                    }

                    foreach (var e in sweep.OpenFor(person, day).Where(e => e.Kind == query.Kind))
                    {
                        if (await cases.StartAsync(new CaseData { Tenant = tenant.Code, CaseId = e.EventId, Event = e, CreatedAt = clock.GetUtcNow() }, ct))
                        {
                            started++;
                        }
                    }
                }
            }
        }

        logger.LogInformation("Age sweep for {Day}: {Started} cases started", day, started);
        return started;
    }
}
