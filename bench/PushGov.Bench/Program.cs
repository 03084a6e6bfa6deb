using PushGov.Bench;

// pushgov-bench — the benchmarks behind `./pushgov bench …` (docs/benchmarks.md).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await BenchApp.RunAsync(args, BenchConsole.System(), cancel.Token);
