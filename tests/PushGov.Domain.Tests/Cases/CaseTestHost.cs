using PushGov.Domain.Cases;

namespace PushGov.Domain.Tests.Cases;

/// <summary>
/// An in-process host for a case workflow with a clock that can skip days (as durabletask's test host): it applies
/// inputs, keeps the timers the workflow asks for, and fires them in order as the clock moves. No storage, no queues:
/// the workflow's timing rules are tested on their own.
/// </summary>
public sealed class CaseTestHost(CaseData start, DateTimeOffset now, CaseSettings? settings = null)
{
    private readonly List<CaseTimer> _timers = [];

    public CaseData Case { get; private set; } = start;

    public DateTimeOffset Now { get; private set; } = now;

    /// <summary>Every command the workflow gave, in order, with the time it was given.</summary>
    public List<(DateTimeOffset At, CaseCommand Command)> Commands { get; } = [];

    public Decision Apply(CaseInput input)
    {
        var decision = CaseWorkflow.Apply(Case, input, Now, settings);
        if (decision.Accepted)
        {
            Case = decision.State;
            foreach (var command in decision.Commands)
            {
                Commands.Add((Now, command));
                if (command is StartTimer t)
                {
                    _timers.Add(t.Timer);
                }
            }
        }

        return decision;
    }

    /// <summary>Moves the clock to <paramref name="until"/>, firing every timer due on the way at its own time.</summary>
    public void AdvanceTo(DateTimeOffset until)
    {
        while (_timers.Where(t => t.DueAt <= until).OrderBy(t => t.DueAt).FirstOrDefault() is { } next)
        {
            _timers.Remove(next);
            Now = next.DueAt;
            Apply(new TimerFired(next.Kind, next.Token));
        }

        Now = until;
    }

    public IEnumerable<(DateTimeOffset At, SendMessage Send)> Sends => Commands.Where(c => c.Command is SendMessage).Select(c => (c.At, (SendMessage)c.Command));
}
