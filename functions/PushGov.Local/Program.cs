using PushGov.Local;
using PushGov.LocalHost;

// ./run.sh: PushGov on the local host. Settings come from local.settings.json beside the app and the environment;
// the first argument, when given, is the address to listen on (default http://127.0.0.1:7071).
await LocalFunctionsHost.RunAsync(LocalApp.Options(new Dictionary<string, string?>(), urls: args.FirstOrDefault() ?? "http://127.0.0.1:7071"));
