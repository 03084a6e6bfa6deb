using Microsoft.Extensions.Logging;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Messaging;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Cases;

/// <summary>The steps of a case that need I/O (reading the resident view). Their results come back as inputs.</summary>
public interface ICaseActivities
{
    /// <summary>
    /// Runs <paramref name="step"/> (<see cref="RunStep.Match"/> or <see cref="RunStep.Resolve"/>) for the case.
    /// <paramref name="context"/> lives for one invocation: steps run back to back may reuse what an earlier one read.
    /// </summary>
    Task<CaseInput> RunAsync(string step, CaseData c, StepContext context, CancellationToken ct);

    Task<CaseSettings> SettingsForAsync(string tenant, CancellationToken ct);
}

/// <summary>
/// Runs cases on Azure Storage: load the case, decide (a pure transition), save state and outbox in one
/// ETag-guarded write, then dispatch the outbox and clear it. A crash between the save and the dispatch leaves
/// the outbox on the case; the next touch of the case (a redelivered queue message or the outbox sweep) sends it
/// again, and every effect is idempotent (deterministic message ids, insert-if-absent rows, stale-tolerant steps),
/// so nothing is lost and nothing happens twice to the outside world.
/// </summary>
public sealed class CaseEngine(
    CaseStore cases,
    MessageStore messages,
    TimerStore timers,
    StorageClients storage,
    ICaseActivities activities,
    IMessageComposer composer,
    Tenants.TenantDirectory tenants,
    TimeProvider clock,
    ILogger<CaseEngine> logger) : ICaseStarter, ICaseInbox
{
    private const int MaxConflicts = 8;

    /// <summary>Starts the case of a life event unless it exists (case id = event id: starting twice is harmless).</summary>
    public async Task<bool> StartAsync(CaseData fresh, CancellationToken ct)
    {
        if (fresh.Nonce.Length == 0)
        {
            fresh = fresh with { Nonce = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)) };
        }

        var start = CaseWorkflow.Start(fresh, clock.GetUtcNow());
        if (await cases.TryCreateAsync(start.State, start.Commands, ct) is not { } etag)
        {
            return false;
        }

        await DispatchAndClearAsync(new StoredCase(start.State, start.Commands, etag), ct);
        return true;
    }

    public async Task<Decision?> SendAsync(string tenant, string caseId, CaseInput input, CancellationToken ct)
    {
        if (input is DeliveryReported)
        {
            // From the sender's hot path: handed on through the queue, the case applies it in its own invocation.
            await storage.Queue(StorageNames.Queues.CaseSteps).SendMessageAsync(new CaseStepMessage(tenant, caseId, Input: input).ToJson(), ct);
            return null;
        }

        return await ApplyAsync(tenant, caseId, input, ct);
    }

    public Task AddNoteAsync(string tenant, string caseId, HistoryEntry note, CancellationToken ct) => cases.AppendHistoryAsync(tenant, caseId, [note], ct);

    /// <summary>Handles one message of the <c>case-steps</c> queue.</summary>
    public async Task HandleAsync(CaseStepMessage message, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant"] = message.Tenant, ["caseId"] = message.CaseId });
        if (message.Input is { } input)
        {
            await ApplyAsync(message.Tenant, message.CaseId, input, ct);
        }
        else if (message.Step is { } step)
        {
            await RunStepAsync(message.Tenant, message.CaseId, step, ct);
        }
    }

    /// <summary>Applies an input (an event from a portal or staff, a timer, a delivery report). Returns the decision, or null for an unknown case.</summary>
    public async Task<Decision?> ApplyAsync(string tenant, string caseId, CaseInput input, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var stored = await LoadDispatchedAsync(tenant, caseId, ct);
            if (stored is null)
            {
                logger.LogWarning("Input {Input} for an unknown case", input.Name);
                return null;
            }

            var decision = CaseWorkflow.Apply(stored.Data, input, clock.GetUtcNow(), await activities.SettingsForAsync(tenant, ct));
            decision = await ContinueInlineAsync(decision, new StepContext(), ct);
            if (await CommitAsync(stored, decision, ct))
            {
                return decision;
            }
        }

        throw new InvalidOperationException($"Case {caseId} kept changing under input '{input.Name}'; giving up after {MaxConflicts} tries.");
    }

    private async Task RunStepAsync(string tenant, string caseId, string step, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var stored = await LoadDispatchedAsync(tenant, caseId, ct);
            if (stored is null || !StepApplies(step, stored.Data.State))
            {
                logger.LogInformation("Step {Step} skipped: the case has moved on", step);
                return;
            }

            var context = new StepContext();
            var input = await activities.RunAsync(step, stored.Data, context, ct);
            var decision = CaseWorkflow.Apply(stored.Data, input, clock.GetUtcNow(), await activities.SettingsForAsync(tenant, ct));
            decision = await ContinueInlineAsync(decision, context, ct);
            if (await CommitAsync(stored, decision, ct))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Case {caseId} kept changing during step '{step}'.");
    }

    /// <summary>
    /// Runs the steps a decision asks for right away, in this invocation, instead of a queue hop per step: match and
    /// resolve are pure reads, so re-running them after a crash gives the same result. Only the end state is saved.
    /// </summary>
    private async Task<Decision> ContinueInlineAsync(Decision decision, StepContext context, CancellationToken ct)
    {
        for (var hops = 0; hops < 4 && decision.Accepted; hops++)
        {
            var run = decision.Commands.OfType<RunStep>().FirstOrDefault();
            if (run is null || !StepApplies(run.Step, decision.State.State))
            {
                break;
            }

            var input = await activities.RunAsync(run.Step, decision.State, context, ct);
            var next = CaseWorkflow.Apply(decision.State, input, clock.GetUtcNow(), await activities.SettingsForAsync(decision.State.Tenant, ct));
            if (!next.Accepted)
            {
                break;
            }

            var rest = decision.Commands.Where(c => c != run).ToList();
            decision = new Decision(next.State, CaseWorkflow.Combine(rest, next.Commands), true);
        }

        return decision;
    }

    private static bool StepApplies(string step, CaseState state) =>
        (step, state) is (RunStep.Match, CaseState.Detected) or (RunStep.Resolve, CaseState.Matched);

    /// <summary>Saves the decision with its outbox, then dispatches. False on an ETag conflict (the caller reloads and decides again).</summary>
    private async Task<bool> CommitAsync(StoredCase stored, Decision decision, CancellationToken ct)
    {
        if (!decision.Accepted)
        {
            logger.LogInformation("Input refused: {Reason}", decision.RefusedBecause);
            return true;
        }

        if (ReferenceEquals(decision.State, stored.Data))
        {
            logger.LogDebug("Input ignored: {Reason}", decision.RefusedBecause);
            return true;
        }

        var etag = await cases.TrySaveAsync(decision.State, decision.Commands, stored.ETag, ct);
        if (etag is null)
        {
            return false;
        }

        logger.LogInformation("Case {From} -> {To} (version {Version})", stored.Data.State, decision.State.State, decision.State.Version);
        await DispatchAndClearAsync(new StoredCase(decision.State, decision.Commands, etag.Value), ct);
        return true;
    }

    /// <summary>Loads the case, first finishing any outbox a previous invocation left behind.</summary>
    private async Task<StoredCase?> LoadDispatchedAsync(string tenant, string caseId, CancellationToken ct)
    {
        var stored = await cases.GetAsync(tenant, caseId, ct);
        if (stored is { Outbox.Count: > 0 })
        {
            logger.LogInformation("Finishing an outbox of {Count} commands left by an earlier invocation", stored.Outbox.Count);
            await DispatchAndClearAsync(stored, ct);
            stored = await cases.GetAsync(tenant, caseId, ct);
        }

        return stored;
    }

    /// <summary>For the outbox sweep: finishes the outbox of a case whose dispatch did not complete.</summary>
    public async Task FinishOutboxAsync(string tenant, string caseId, CancellationToken ct) => await LoadDispatchedAsync(tenant, caseId, ct);

    private async Task DispatchAndClearAsync(StoredCase stored, CancellationToken ct)
    {
        if (stored.Outbox.Count == 0)
        {
            return;
        }

        foreach (var command in stored.Outbox)
        {
            await DispatchAsync(stored.Data, command, ct);
        }

        // If someone changed the case meanwhile, they saw this outbox and dispatch it too: every command is idempotent.
        _ = await cases.TrySaveAsync(stored.Data, [], stored.ETag, ct);
    }

    private async Task DispatchAsync(CaseData c, CaseCommand command, CancellationToken ct)
    {
        switch (command)
        {
            case RunStep run:
                await storage.Queue(StorageNames.Queues.CaseSteps).SendMessageAsync(new CaseStepMessage(c.Tenant, c.CaseId, Step: run.Step).ToJson(), ct);
                break;
            case SendMessage send:
                await CreateMessageAsync(c, send.Delivery, ct);
                break;
            case CancelMessage cancel:
                await CancelAsync(c.Tenant, cancel.MessageId, ct);
                break;
            case StartTimer start:
                await ScheduleAsync(c, start.Timer, ct);
                break;
            case AppendHistory history:
                await cases.AppendHistoryAsync(c.Tenant, c.CaseId, history.Entries, ct);
                break;
            default:
                throw new InvalidOperationException($"No dispatcher for {command.GetType().Name}.");
        }
    }

    private async Task CreateMessageAsync(CaseData c, Delivery d, CancellationToken ct)
    {
        var composed = composer.Compose(await tenants.GetAsync(c.Tenant, ct), c, d);
        var now = clock.GetUtcNow();
        await messages.TryAddAsync(
            new MessageRecord
            {
                Tenant = c.Tenant,
                MessageId = d.MessageId,
                CaseId = c.CaseId,
                ResidentId = d.ResidentId,
                Channel = d.Channel,
                To = d.Address,
                Language = composed.Language,
                ServiceIds = d.ServiceIds,
                Purpose = d.Purpose,
                Subject = composed.Subject,
                Text = composed.Text,
                Html = composed.Html,
                ActionLabel = composed.ActionLabel,
                ActionUrl = composed.ActionUrl,
                TemplateVersion = composed.TemplateVersion,
                Status = NotificationStatus.Created,
                TestMode = c.TestMode,
                CreatedAt = now,
                UpdatedAt = now,
            },
            ct);

        // Enqueued even when the row existed: a repeat is harmless (the sender sends only from 'created').
        await storage.Queue(StorageNames.Queues.Send).SendMessageAsync(new SendQueueMessage(c.Tenant, d.MessageId).ToJson(), ct);
    }

    private async Task CancelAsync(string tenant, string messageId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var found = await messages.GetAsync(tenant, messageId, ct);
            if (found is not { } m || !m.Message.Status.CanSend())
            {
                return;
            }

            var cancelled = m.Message with { Status = NotificationStatus.Cancelled, UpdatedAt = clock.GetUtcNow() };
            if (await messages.TryUpdateAsync(cancelled, m.ETag, ct) is not null)
            {
                return;
            }
        }
    }

    private async Task ScheduleAsync(CaseData c, CaseTimer timer, CancellationToken ct)
    {
        var delay = timer.DueAt - clock.GetUtcNow();
        if (delay <= TimerStore.QueueReach)
        {
            await storage.Queue(StorageNames.Queues.CaseSteps).SendMessageAsync(
                new CaseStepMessage(c.Tenant, c.CaseId, Input: new TimerFired(timer.Kind, timer.Token)).ToJson(),
                visibilityTimeout: delay > TimeSpan.Zero ? delay : TimeSpan.Zero,
                cancellationToken: ct);
        }
        else
        {
            await timers.AddAsync(c.Tenant, c.CaseId, timer, ct);
        }
    }

    /// <summary>
    /// Honours a withdrawal of consent at once: every message to that resident on that channel not yet sent is
    /// cancelled, and each case concerned is told, so it re-routes or closes.
    /// </summary>
    public async Task<int> WithdrawConsentAsync(string tenant, string residentId, Domain.Residents.Channel channel, CancellationToken ct)
    {
        var pending = await messages.ListPendingAsync(tenant, residentId, channel, ct);
        foreach (var (message, _) in pending)
        {
            await CancelAsync(tenant, message.MessageId, ct);
        }

        foreach (var caseId in pending.Select(p => p.Message.CaseId).Distinct(StringComparer.Ordinal))
        {
            await ApplyAsync(tenant, caseId, new ConsentWithdrawn(residentId, channel) { Actor = "resident" }, ct);
        }

        return pending.Count;
    }

    /// <summary>
    /// Drains <c>case-steps-poison</c>: a step that failed every retry marks its case failed (escalated, reason
    /// step-failed), so it surfaces on the staff list instead of being silently stuck. Returns the number drained.
    /// </summary>
    public Task<int> DrainPoisonAsync(CancellationToken ct) =>
        QueueDrain.DrainAsync(storage.Queue(StorageNames.Queues.Poison(StorageNames.Queues.CaseSteps)), async text =>
        {
            CaseStepMessage step;
            try
            {
                step = CaseStepMessage.Parse(text);
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                logger.LogWarning("A poison message that is not a case step was dropped");
                return;
            }

            await ApplyAsync(step.Tenant, step.CaseId, new StepFailed(step.Step ?? step.Input?.Name ?? "unknown", "failed after every retry"), ct);
        }, ct);

    /// <summary>The timer sweep: moves timers now within the queue's reach into delayed queue messages.</summary>
    public async Task<int> SweepTimersAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await timers.DueAsync(now.AddDays(-30), now + TimerStore.QueueReach, ct);
        foreach (var (tenant, caseId, timer, partition, row) in due)
        {
            var delay = timer.DueAt - now;
            await storage.Queue(StorageNames.Queues.CaseSteps).SendMessageAsync(
                new CaseStepMessage(tenant, caseId, Input: new TimerFired(timer.Kind, timer.Token)).ToJson(),
                visibilityTimeout: delay > TimeSpan.Zero ? delay : TimeSpan.Zero,
                cancellationToken: ct);
            await timers.RemoveAsync(partition, row, ct);
        }

        return due.Count;
    }
}
