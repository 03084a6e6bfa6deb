using PushGov.Functions.Hosting;

// PushGov as an Azure Functions custom handler: one ASP.NET Core app that answers the Functions host's invocations
// (POST /{FunctionName}) and serves the portals' API under /api. Locally its own trigger host plays the Functions host.
var builder = WebApplication.CreateBuilder(args);
builder.AddPushGovConfiguration().AddPushGovTelemetry();
builder.Services.AddPushGov(builder.Configuration);

var app = builder.Build();
app.MapPushGov();
app.Run();

/// <summary>The app's entry point (visible to integration tests).</summary>
public partial class Program;
