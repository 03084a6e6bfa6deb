using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost.Triggers;

/// <summary>
/// HTTP triggers on Kestrel: one endpoint per function at <c>{routePrefix}/{route}</c> (route templates with
/// constraints, as the Functions host takes them), restricted to the function's methods. Unmatched paths get 404 and
/// known paths with another method 405, from endpoint routing.
/// </summary>
internal static class HttpTriggers
{
    public static void Map(WebApplication app, IEnumerable<FunctionInvoker> functions, string routePrefix, RequestDelegate? unmatchedRequest)
    {
        app.UseRouting();
        foreach (var function in functions)
        {
            var route = string.Join('/', new[] { routePrefix, function.Trigger["route"] ?? function.Name }
                .Select(part => part.Trim('/')).Where(part => part.Length > 0));
            RequestDelegate handler = context => InvokeAsync(function, context, app.Services);
            var endpoint = function.Trigger.Methods.Count == 0 ? app.Map(route, handler) : app.MapMethods(route, function.Trigger.Methods, handler);
            endpoint.WithDisplayName(function.Name);
        }

        app.UseEndpoints(_ => { });
        if (unmatchedRequest is not null)
        {
            app.Run(unmatchedRequest);
        }
    }

    private static async Task InvokeAsync(FunctionInvoker function, HttpContext context, IServiceProvider services)
    {
        // Binding data as the Functions host gives it: query parameters, then route values (which win).
        var data = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in context.Request.Query)
        {
            data[key] = value.ToString();
        }

        foreach (var (key, value) in context.Request.RouteValues)
        {
            data[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        var input = new TriggerInput
        {
            Bind = (type, _) => ValueTask.FromResult<object?>(type == typeof(HttpRequest)
                ? context.Request
                : throw new InvalidOperationException($"Function {function.Name}: an HTTP trigger binds to HttpRequest, not {type.Name}.")),
            BindingData = data,
            HttpContext = context,
        };

        try
        {
            await function.InvokeAsync(services, input, context.RequestAborted, result => ExecuteAsync(function, result, context));
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Function." + function.Name)
                .LogError(e, "Function {Function} failed.", function.Name);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    private static Task ExecuteAsync(FunctionInvoker function, object? result, HttpContext context) => result switch
    {
        null => Task.CompletedTask,
        IResult httpResult => httpResult.ExecuteAsync(context),
        IActionResult actionResult => actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())),
        _ => throw new NotSupportedException($"Function {function.Name} returned {result.GetType().Name}; an HTTP function returns IActionResult or IResult."),
    };
}
