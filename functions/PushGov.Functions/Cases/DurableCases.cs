using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Notifications;
using PushGov.Infrastructure.Notifications.Outbox;

namespace PushGov.Functions.Cases;

/// <summary>
/// Cases on Durable Functions, behind the seams the rest of the app uses (<see cref="ICaseStarter"/>, <see cref="ICaseInbox"/>):
/// starting a case schedules its <see cref="CaseOrchestration"/> (instance id = case id); an input is raised to it as an
/// external event. The client is the one the Functions host binds to a function (<c>[DurableClient]</c>): every function
/// that reaches cases binds it and hands it over with <see cref="Use"/> before calling its service.
/// </summary>
public sealed class DurableCases(CaseStore projection, INotificationRequests notifications, CaseActivities steps, MessageStore messages, TimeProvider clock, ILogger<DurableCases> logger) : ICaseStarter, ICaseInbox
{
    /// <summary>How long a change waits for the case to show it (<see cref="SendAsync"/>).</summary>
    public static readonly TimeSpan ProjectionWait = TimeSpan.FromSeconds(10);

    /// <summary>How long an input waits for a case's orchestration that is scheduled but not started (<see cref="SendAsync"/>).</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);

    private DurableTaskClient? _client;

    private DurableTaskClient Client => _client ?? throw new InvalidOperationException("No Durable client: the function must bind [DurableClient] and call DurableCases.Use.");

    /// <summary>Takes the client the host bound to the current function; returns this inbox.</summary>
    public DurableCases Use(DurableTaskClient client)
    {
        _client = client;
        return this;
    }

    /// <summary>
    /// Writes the case's first projection (so staff and portals see it at once) and schedules its orchestration unless
    /// it exists: starting twice is harmless.
    /// </summary>
    public async Task<bool> StartAsync(CaseData fresh, CancellationToken ct)
    {
        if (fresh.Nonce.Length == 0)
        {
            fresh = fresh with { Nonce = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)) };
        }

        var start = CaseWorkflow.Start(fresh, clock.GetUtcNow());
        var created = await projection.TryCreateAsync(start.State, ct);
        if (!created && await Client.GetInstanceAsync(fresh.CaseId, ct) is not null)
        {
            return false;
        }

        var run = new CaseRun(start.State, await steps.SettingsForAsync(fresh.Tenant, ct), start.Commands);
        await Client.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, run.ToJson(), new StartOrchestrationOptions(fresh.CaseId), ct);
        return true;
    }

    /// <summary>
    /// Decides on the projected state whether the case can take the input now (a refusal answers at once, e.g. 409 to a
    /// portal) and raises it to the orchestration, which decides again on its own state. Delivery reports are raised
    /// without that check. Null for a case that does not exist.
    /// </summary>
    public async Task<Decision?> SendAsync(string tenant, string caseId, CaseInput input, CancellationToken ct)
    {
        Decision? decision = null;
        var before = 0;
        if (input is not DeliveryReported)
        {
            if (await projection.GetAsync(tenant, caseId, ct) is not { } c)
            {
                return null;
            }

            before = c.Version;

            decision = CaseWorkflow.Apply(c, input, clock.GetUtcNow(), await steps.SettingsForAsync(tenant, ct));
            if (!decision.Accepted)
            {
                return decision;
            }
        }

        if (input is not (DeliveryReported or DeliveryRerouted))
        {
            // Reports and reroutes come from a message the running case created; anything else may reach a case just started.
            await AwaitStartedAsync(caseId, ct);
        }

        await Client.RaiseEventAsync(caseId, CaseOrchestration.InputEvent, CaseOrchestration.Write(input), ct);

        // A rerouted delivery comes from the sender (ChannelFallback), inside the send queue's trigger: nobody is waiting
        // to read the case, and the sender needs only this decision (did the case take the replacement?). The case's own
        // effects cancel the original and say why on its row, so waiting would only hold the send queue for up to 10 s.
        if (decision is { Accepted: true } && decision.State.Version > before && input is not DeliveryRerouted)
        {
            await AwaitProjectionAsync(tenant, caseId, decision.State.Version, ct);
        }

        return decision;
    }

    /// <summary>
    /// Waits, at most <see cref="StartWait"/>, until the case's orchestration has started: Durable Task's Azure Storage
    /// provider discards an event it dequeues for an instance that has no history yet (status Pending; Azure/durabletask
    /// issue #720), and the projection a caller read is written before the orchestration is scheduled. Past the wait the
    /// input is refused (<see cref="CaseStartingException"/>), never raised to be lost.
    /// </summary>
    private async Task AwaitStartedAsync(string caseId, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await Client.GetInstanceAsync(caseId, ct))?.RuntimeStatus is null or OrchestrationRuntimeStatus.Pending)
        {
            if (waited.Elapsed >= StartWait)
            {
                logger.LogWarning("The case's orchestration had not started after {Seconds} s; the input is refused", StartWait.TotalSeconds);
                throw new CaseStartingException(caseId);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>
    /// Read-your-writes for a caller that changed a case (a member of staff, a resident): waits until the case has applied
    /// the input and written its projection, at most <see cref="ProjectionWait"/>. Past that (a busy host) the input is
    /// still taken, and the projection shows it a little later.
    /// </summary>
    private async Task AwaitProjectionAsync(string tenant, string caseId, int version, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < ProjectionWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            if (await projection.GetAsync(tenant, caseId, ct) is not { } now || now.Version >= version || !now.IsOpen)
            {
                return;
            }
        }

        logger.LogInformation("The case had not applied the input after {Seconds} s; answering without waiting longer", ProjectionWait.TotalSeconds);
    }

    /// <summary>Cancels every message to the resident on the channel not yet sent, at once, then tells each case concerned.</summary>
    public async Task<int> WithdrawConsentAsync(string tenant, string residentId, Channel channel, CancellationToken ct)
    {
        var pending = await messages.ListPendingAsync(tenant, residentId, channel, ct);
        foreach (var (message, _) in pending)
        {
            await notifications.CancelAsync(tenant, message.MessageId, null, ct);
        }

        foreach (var caseId in pending.Select(p => p.Message.CaseId).Distinct(StringComparer.Ordinal))
        {
            await SendAsync(tenant, caseId, new ConsentWithdrawn(residentId, channel) { Actor = "resident" }, ct);
        }

        logger.LogInformation("Consent withdrawn on {Channel}: {Cancelled} pending messages cancelled", channel, pending.Count);
        return pending.Count;
    }

    /// <summary>A note is not a transition: it goes to the case's history in the projection directly.</summary>
    public Task<HistoryEntry> AddNoteAsync(string tenant, string caseId, HistoryEntry note, CancellationToken ct) =>
        projection.AddNoteAsync(tenant, caseId, note, ct);
}

/// <summary>An input for a case whose orchestration has not started yet: the caller should try again shortly.</summary>
public sealed class CaseStartingException(string caseId)
    : Exception($"Case {caseId} is still starting; nothing was changed. Try again in a few seconds.")
{
    /// <summary>What the caller is told to wait before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);
}
