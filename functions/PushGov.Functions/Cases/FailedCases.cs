using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Infrastructure.Cases;

namespace PushGov.Functions.Cases;

/// <summary>
/// Case orchestrations that ended <see cref="OrchestrationRuntimeStatus.Failed"/>: the orchestrator threw (an input it
/// cannot read) or writing the effects of a failed step failed too. Such a case would otherwise stay silently stuck: its
/// projection keeps saying it is in progress and every input raised to it is lost. The <c>Sweep</c> timer calls
/// <see cref="EscalateAsync"/>, which for each one:
/// <list type="number">
/// <item>escalates the case's projection to staff (<see cref="EscalationReasons.OrchestrationFailed"/>, decided by
/// <see cref="CaseWorkflow"/> like every transition), with the failure and any transition the failed generation had
/// decided but not written in the case's note, and a history row — written through <see cref="CaseEffects"/> as the
/// orchestration's own activity writes it. The base is the projection, the last state whose effects happened; nothing
/// the failed generation still owed (a message not yet created) is pretended done;</item>
/// <item>then marks the failure handled by <b>replacing</b> the failed instance with a new generation that starts from
/// the escalated state and owes nothing. Not a purge: a purged instance would let a re-sent drop start the case afresh
/// (new nonce, new message ids, a second message to the resident) and would leave staff's close or take-over, and a
/// resident's answer, raised to nothing. The replacement takes inputs and keeps the case's expiry timer, and it is not
/// <see cref="OrchestrationRuntimeStatus.Failed"/>, so the next sweep does not see it again. The instance is replaced in
/// one start that keeps any instance not failed (<see cref="StartOrchestrationOptions.DedupeStatuses"/>), so a case is
/// never without its orchestration, and a second sweep racing this one starts nothing.</item>
/// </list>
/// The escalation is dated at the failure (the instance's last update), so it is a function of the projection and the
/// failure alone: two sweeps racing over one failure write the same row. A sweep that stopped between the two steps
/// finds the failure again; the projection then already carries this escalation (escalated for this reason, dated at or
/// after the failure), so it is not escalated twice: the case is only restarted.
/// Inputs raised between the failure and the sweep are lost with the failed generation; the escalation tells staff to look.
/// The log names the case and the error's type only (an error message may quote data).
/// </summary>
public sealed class FailedCases(CaseStore projection, CaseEffects effects, ILogger<FailedCases> logger)
{
    /// <summary>The longest error message kept in the case's note.</summary>
    public const int MaxErrorLength = 300;

    /// <summary>Every status but failed: the replacing start keeps an instance in any of them and starts nothing.</summary>
    private static readonly OrchestrationRuntimeStatus[] NotFailed =
    [
        OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Suspended, OrchestrationRuntimeStatus.Terminated,
    ];

    /// <summary>Escalates and restarts every failed case orchestration; returns how many it handled.</summary>
    public async Task<int> EscalateAsync(DurableTaskClient client, CancellationToken ct)
    {
        var handled = 0;
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed], FetchInputsAndOutputs = true };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (instance.Name == CaseOrchestration.Name && await HandleAsync(client, instance, ct))
            {
                handled++;
            }
        }

        return handled;
    }

    private async Task<bool> HandleAsync(DurableTaskClient client, OrchestrationMetadata failed, CancellationToken ct)
    {
        var errorType = failed.FailureDetails?.ErrorType ?? "unknown";
        if (RunOf(failed) is not { } run || run.Case.CaseId != failed.InstanceId)
        {
            logger.LogError("Case orchestration {CaseId} failed ({ErrorType}) and its input names no case: left for the vendor", failed.InstanceId, errorType);
            return false;
        }

        // The tenant comes from the orchestration's own input; the projection is read in that tenant only.
        var tenant = run.Case.Tenant;
        var current = await projection.GetAsync(tenant, run.Case.CaseId, ct) ?? run.Case;
        var already = current is { State: CaseState.Escalated, EscalationReason: EscalationReasons.OrchestrationFailed } && current.UpdatedAt >= failed.LastUpdatedAt;
        var state = current;
        if (!already)
        {
            var decision = CaseWorkflow.Apply(current, new OrchestrationFailed(Reason(failed, run, current)), failed.LastUpdatedAt, run.Settings);
            if (decision.Accepted)
            {
                state = decision.State;
                await effects.ApplyAsync(state, [], [.. decision.Commands.OfType<AppendHistory>().SelectMany(h => h.Entries)], ct);
            }
        }

        if (state.IsOpen)
        {
            var replacement = new CaseRun(state, run.Settings, []);
            await client.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, replacement.ToJson(), new StartOrchestrationOptions(state.CaseId).WithDedupeStatuses(NotFailed), ct);
        }
        else
        {
            // A case that closed before its orchestration failed owes nothing: only the failed instance goes.
            await client.PurgeInstanceAsync(state.CaseId, cancellation: ct);
        }

        logger.LogWarning("Case orchestration {CaseId} of tenant {Tenant} failed ({ErrorType}): case {Action}", state.CaseId, tenant, errorType, state.IsOpen ? "escalated to staff and restarted" : "already closed; failed instance purged");
        return true;
    }

    private static CaseRun? RunOf(OrchestrationMetadata failed)
    {
        try
        {
            return failed.ReadInputAs<string>() is { } input ? CaseRun.Parse(input) : null;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>What staff read in the case's note: the failure, and the transitions the failed generation had not written.</summary>
    private static string Reason(OrchestrationMetadata failed, CaseRun run, CaseData current)
    {
        var message = failed.FailureDetails?.ErrorMessage ?? string.Empty;
        if (message.Length > MaxErrorLength)
        {
            message = message[..MaxErrorLength] + "…";
        }

        var reason = $"The case's orchestration failed ({failed.FailureDetails?.ErrorType}: {message}). Restarted from this state; inputs sent to it since the failure were lost.";
        var lost = run.Commands.OfType<AppendHistory>().SelectMany(h => h.Entries).Where(e => e.Version > current.Version).ToList();
        return lost.Count == 0
            ? reason
            : reason + " Decided but not applied: " + string.Join("; ", lost.Select(e => $"{e.Cause} by {e.Actor} ({e.From} → {e.To})")) + ".";
    }
}
