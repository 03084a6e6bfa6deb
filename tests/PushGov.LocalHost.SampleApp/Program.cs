using Microsoft.Extensions.Hosting;

// How Azure runs this app (and `func start` where Core Tools are installed). The local host does not run this
// Program: it is given SampleServices.Configure, the same registration.
var host = new HostBuilder()
    .ConfigureFunctionsWebApplication()
    .ConfigureServices((context, services) => PushGov.LocalHost.SampleApp.SampleServices.Configure(services, context.Configuration))
    .Build();
host.Run();
