namespace PushGov.Infrastructure.Drops;

/// <summary>The wall-clock time one phase of a drop's ingest took (a phase met more than once, e.g. once per chunk, adds up).</summary>
public sealed record DropPhaseTime(string Phase, TimeSpan Elapsed)
{
    /// <summary>The phases on one line: <c>phase 1.2 s, …</c> (the ingest's log line, the P2 benchmark).</summary>
    public static string Describe(IEnumerable<DropPhaseTime> phases) =>
        string.Join(", ", phases.Select(p => FormattableString.Invariant($"{p.Phase} {p.Elapsed.TotalSeconds:F1} s")));
}

/// <summary>Where a drop's ingest spends its time: each call to <see cref="End"/> gives the time since the previous one to a phase.</summary>
internal sealed class DropPhaseTimes(TimeProvider clock)
{
    private readonly List<DropPhaseTime> phases = [];
    private long since = clock.GetTimestamp();

    public IReadOnlyList<DropPhaseTime> Phases => phases;

    /// <summary>Ends the phase under way: the time since the previous call is added to <paramref name="phase"/>.</summary>
    public void End(string phase)
    {
        var now = clock.GetTimestamp();
        var elapsed = clock.GetElapsedTime(since, now);
        since = now;
        var i = phases.FindIndex(p => p.Phase == phase);
        if (i < 0)
        {
            phases.Add(new DropPhaseTime(phase, elapsed));
        }
        else
        {
            phases[i] = phases[i] with { Elapsed = phases[i].Elapsed + elapsed };
        }
    }

    public override string ToString() => DropPhaseTime.Describe(phases);
}
