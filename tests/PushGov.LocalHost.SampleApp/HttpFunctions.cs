using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace PushGov.LocalHost.SampleApp;

/// <summary>HTTP functions: route values, methods, both result types.</summary>
public sealed class HttpFunctions(Probe probe)
{
    [Function("Hello")]
    public IActionResult Hello(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "hello/{name}/{count:int}")] HttpRequest request, string name, int count)
    {
        probe.Record($"hello {name} {count}");
        return new OkObjectResult(new { name, count, query = request.Query["q"].ToString() });
    }

    [Function("Echo")]
    public static async Task<IResult> EchoAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "put", Route = "echo")] HttpRequest request, FunctionContext context)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.CancellationToken);
        return Results.Text($"{request.Method} {context.FunctionDefinition.Name}: {body}", "text/plain", statusCode: 201);
    }
}
