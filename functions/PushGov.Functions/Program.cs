using Microsoft.Azure.Functions.Worker.Builder;
using PushGov.Functions.Hosting;

// PushGov as an Azure Functions isolated worker (ASP.NET Core integration for HTTP). The local host registers the same
// services with AddPushGov and invokes the same [Function] methods.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddPushGov(builder.Configuration).AddPushGovTelemetry(builder.Configuration);
builder.Build().Run();
