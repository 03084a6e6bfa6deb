using System.Text.Json;
using Microsoft.DurableTask;
using PushGov.Domain.Cases;
using PushGov.Domain.Serialization;
using PushGov.Infrastructure.Cases;

namespace PushGov.Functions.Cases;

/// <summary>What a case's orchestration starts from: its state, its tenant's settings, and the commands it owes.</summary>
public sealed record CaseRun(CaseData Case, CaseSettings Settings, IReadOnlyList<CaseCommand> Commands)
{
    public string ToJson() => JsonSerializer.Serialize(this, PushGovJson.Options);

    public static CaseRun Parse(string json) =>
        JsonSerializer.Deserialize<CaseRun>(json, PushGovJson.Options) ?? throw new FormatException("A case run needs a case.");
}

/// <summary>The effects a decision owes and the projection it writes, for the <c>ApplyCaseEffects</c> activity.</summary>
public sealed record CaseEffectsRequest(CaseData Case, IReadOnlyList<CaseCommand> Effects, IReadOnlyList<HistoryEntry> History);

/// <summary>
/// One Durable Functions orchestration per case (instance id = case id = event id). <see cref="CaseWorkflow"/> decides
/// everything; this is the generic loop around it, one turn per input, all in one execution:
/// <list type="number">
/// <item>run the commands the last decision owes: the match and resolve steps as activities whose results go straight back
/// into the workflow; messages to create or cancel and the projection (state and history for the staff API) in one
/// <c>ApplyCaseEffects</c> activity. A step that fails every retry becomes a <see cref="StepFailed"/> input: the case goes to
/// staff with the reason;</item>
/// <item>stop when the case is closed; else wait for the next input (an external event raised through the
/// <see cref="DurableCases"/> inbox) or the earliest timer the state holds (reminder, escalation, expiry, up to two years
/// ahead: waited for in steps no longer than <see cref="MaxTimerStep"/>);</item>
/// <item>apply it with the orchestration's clock and go round again with the new state and its commands.</item>
/// </list>
/// It never continues as new: events raised while an execution ends in <c>ContinueAsNew</c> can be dropped by the Durable
/// Task Azure Storage provider (durabletask-dotnet issue #387; Azure/durabletask PR #1399), and an "applied" or a staff
/// close that is lost leaves a resident reminded and escalated for nothing (the load drill found 8 in 50). Within one
/// execution, events that arrive while the orchestrator is busy wait in its history for the next waiter. A case takes a
/// few dozen inputs and timer steps in its life, so its history stays small.
/// Inputs arrive under one event name, <see cref="InputEvent"/>, whatever their kind (applied, declined, staff take-over or
/// close, delivery report, consent withdrawn, recipient died), and the orchestration keeps exactly one waiter for it,
/// carried over a timer that wins, so an event can never be taken by a waiter that was abandoned. The orchestrator reads
/// no clock, makes no ids and does no I/O.
/// </summary>
public sealed class CaseOrchestration(CaseActivities steps, CaseEffects effects)
{
    public const string Name = "CaseOrchestration";
    public const string InputEvent = "case-input";
    public const string MatchActivity = "MatchCase";
    public const string ResolveActivity = "ResolveCase";
    public const string EffectsActivity = "ApplyCaseEffects";

    /// <summary>The longest single durable timer: longer waits are chained (a step that ends short of the timer waits again).</summary>
    public static readonly TimeSpan MaxTimerStep = TimeSpan.FromDays(6);

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    [Function(Name)]
    public async Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var run = CaseRun.Parse(InputText(context));
        var (state, commands) = (run.Case, run.Commands);
        Task<string>? received = null;
        while (true)
        {
            state = await ExecuteAsync(context, state, commands, run.Settings);
            if (!state.IsOpen)
            {
                return;
            }

            // One waiter for the case's inputs, kept while timers win, so no event goes to a waiter nobody awaits.
            received ??= context.WaitForExternalEvent<string>(InputEvent);
            var input = await NextInputAsync(context, state, received);
            if (received.IsCompleted)
            {
                received = null;
            }

            var decision = input is null ? null : CaseWorkflow.Apply(state, input, Now(context), run.Settings);
            (state, commands) = decision is { Accepted: true } ? (decision.State, decision.Commands) : (state, []);
        }
    }

    /// <summary>The next input, or null when a step of a long timer ended without reaching the timer.</summary>
    private static async Task<CaseInput?> NextInputAsync(TaskOrchestrationContext context, CaseData state, Task<string> received)
    {
        var timer = state.Timers.OrderBy(t => t.DueAt).FirstOrDefault();
        if (timer is null)
        {
            return ParseInput(await received);
        }

        var now = Now(context);
        var step = timer.DueAt - now > MaxTimerStep ? now + MaxTimerStep : timer.DueAt;
        using var cancel = new CancellationTokenSource();
        var elapsed = context.CreateTimer(step.UtcDateTime, cancel.Token);
        if (await Task.WhenAny(received, elapsed) == received)
        {
            // Cancel, not CancelAsync: the orchestrator must go on on its own scheduler, not on a thread-pool thread.
            cancel.Cancel();
            return ParseInput(await received);
        }

        return step < timer.DueAt ? null : new TimerFired(timer.Kind, timer.Token);
    }

    /// <summary>Runs the commands of a decision: steps feed the workflow; effects and the projection go to one activity.</summary>
    private static async Task<CaseData> ExecuteAsync(TaskOrchestrationContext context, CaseData state, IReadOnlyList<CaseCommand> commands, CaseSettings settings)
    {
        if (commands.Count == 0)
        {
            return state;
        }

        var owed = new Queue<CaseCommand>(commands);
        var outside = new List<CaseCommand>();
        var history = new List<HistoryEntry>();
        while (owed.TryDequeue(out var command))
        {
            switch (command)
            {
                case RunStep run:
                    var result = await StepAsync(context, run.Step, state);
                    var decision = CaseWorkflow.Apply(state, result, Now(context), settings);
                    if (decision.Accepted)
                    {
                        state = decision.State;
                        foreach (var next in decision.Commands)
                        {
                            owed.Enqueue(next);
                        }
                    }

                    break;
                case AppendHistory h:
                    history.AddRange(h.Entries);
                    break;
                case StartTimer:
                    // The state holds its timers; the wait takes the earliest.
                    break;
                default:
                    outside.Add(command);
                    break;
            }
        }

        var request = JsonSerializer.Serialize(new CaseEffectsRequest(state, outside, history), PushGovJson.Options);
        try
        {
            await context.CallActivityAsync(EffectsActivity, request, Retry);
        }
        catch (TaskFailedException e) when (state.IsOpen)
        {
            // The effects failed every retry: the case goes to staff with the reason (the projection is written again).
            var failed = CaseWorkflow.Apply(state, new StepFailed(EffectsActivity, e.FailureDetails.ErrorMessage), Now(context), settings);
            state = failed.State;
            var retryRequest = new CaseEffectsRequest(state, [], failed.Commands.OfType<AppendHistory>().SelectMany(h => h.Entries).ToList());
            await context.CallActivityAsync(EffectsActivity, JsonSerializer.Serialize(retryRequest, PushGovJson.Options), Retry);
        }

        return state;
    }

    private static async Task<CaseInput> StepAsync(TaskOrchestrationContext context, string step, CaseData state)
    {
        var activity = step switch
        {
            RunStep.Match => MatchActivity,
            RunStep.Resolve => ResolveActivity,
            _ => throw new InvalidOperationException($"Unknown step '{step}'."),
        };
        try
        {
            return ParseInput(await context.CallActivityAsync<string>(activity, JsonSerializer.Serialize(state, PushGovJson.Options), Retry));
        }
        catch (TaskFailedException e)
        {
            return new StepFailed(step, e.FailureDetails.ErrorMessage);
        }
    }

    [Function(MatchActivity)]
    public async Task<string> MatchAsync([ActivityTrigger] string caseJson, CancellationToken ct) =>
        Write(await steps.RunAsync(RunStep.Match, ParseCase(caseJson), ct));

    [Function(ResolveActivity)]
    public async Task<string> ResolveAsync([ActivityTrigger] string caseJson, CancellationToken ct) =>
        Write(await steps.RunAsync(RunStep.Resolve, ParseCase(caseJson), ct));

    [Function(EffectsActivity)]
    public async Task ApplyEffectsAsync([ActivityTrigger] string requestJson, CancellationToken ct)
    {
        var request = JsonSerializer.Deserialize<CaseEffectsRequest>(requestJson, PushGovJson.Options) ?? throw new FormatException("No effects request.");
        await effects.ApplyAsync(request.Case, request.Effects, request.History, ct);
    }

    /// <summary>
    /// The input, a JSON string: a host that registers the orchestrator with an untyped input hands it over as a JSON
    /// element, one that knows it is a string as a string.
    /// </summary>
    private static string InputText(TaskOrchestrationContext context) => context.GetInput<object>() switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        _ => throw new InvalidOperationException("A case orchestration needs its case as a JSON string."),
    };

    /// <summary>The orchestration's replay-safe clock.</summary>
    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

    internal static string Write(CaseInput input) => JsonSerializer.Serialize(input, PushGovJson.Options);

    internal static CaseInput ParseInput(string json) =>
        JsonSerializer.Deserialize<CaseInput>(json, PushGovJson.Options) ?? throw new FormatException("An empty case input.");

    private static CaseData ParseCase(string json) =>
        JsonSerializer.Deserialize<CaseData>(json, PushGovJson.Options) ?? throw new FormatException("An empty case.");
}
