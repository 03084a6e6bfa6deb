using Microsoft.Azure.Functions.Worker;

namespace PushGov.LocalHost.SampleApp;

/// <summary>A timer whose schedule comes from a setting.</summary>
public sealed class TimerFunctions(Probe probe)
{
    [Function("Tick")]
    public void Tick([TimerTrigger("%TickSchedule%")] TimerInfo timer)
    {
        probe.Record($"tick {timer.ScheduleStatus?.Next:O} {timer.IsPastDue}");
    }
}
