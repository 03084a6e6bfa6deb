using PushGov.Cli;

// ./pushgov — the PushGov command line: detect, match, generate, tenant, notifications, package.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await CliApp.RunAsync(args, CliConsole.System(), cancel.Token);
