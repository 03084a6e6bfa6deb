using System.Text.Json;

namespace PushGov.Functions.CustomHandler;

/// <summary>
/// The custom-handler side of the app: the Functions host posts <see cref="InvocationRequest"/> to <c>/{FunctionName}</c>
/// and reads an <see cref="InvocationResponse"/>. HTTP-triggered functions are forwarded as the original request
/// (<c>enableForwardingHttpRequest</c>) and served by the API under <c>/api</c>.
/// </summary>
public static class CustomHandlerEndpoints
{
    public static IEndpointRouteBuilder MapCustomHandler(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{functionName}", async (string functionName, HttpRequest http, FunctionDispatcher dispatcher, ILoggerFactory loggers, CancellationToken ct) =>
        {
            if (!dispatcher.Exists(functionName))
            {
                return Results.NotFound(new InvocationResponse { Logs = [$"No function named '{functionName}'."] });
            }

            InvocationRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<InvocationRequest>(http.Body, cancellationToken: ct);
            }
            catch (JsonException)
            {
                request = null;
            }

            if (request is null)
            {
                return Results.BadRequest(new InvocationResponse { Logs = ["The body is not a custom-handler invocation payload ({\"Data\": …, \"Metadata\": …})."] });
            }

            try
            {
                return Results.Json(await dispatcher.InvokeAsync(functionName, request, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                loggers.CreateLogger("PushGov.Functions.CustomHandler").LogError(e, "{Function} failed", functionName);
                return Results.Json(new InvocationResponse { Logs = [$"{functionName} failed: {e.GetType().Name}"] }, statusCode: StatusCodes.Status500InternalServerError);
            }
        }).ExcludeFromDescription();
        return app;
    }
}
