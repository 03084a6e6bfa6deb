using PushGov.Drills;

// pushgov-drill — the reliability drills behind `./pushgov drill …` (docs/reliability.md).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await DrillApp.RunAsync(args, Console.Out, Console.Error, cancel.Token);
