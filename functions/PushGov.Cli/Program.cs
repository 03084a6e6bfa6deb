using System.CommandLine;
using PushGov.Cli.Commands;

// ./pushgov — the PushGov command line: detect, match, generate, bench, tenant, notifications, package.
var root = new RootCommand("PushGov: push notifications of municipal services when residents' lives change.")
{
    TenantCommands.Build(),
    NotificationsCommand.Build(),
    PackageCommand.Build(),
};
return await root.Parse(args).InvokeAsync();
