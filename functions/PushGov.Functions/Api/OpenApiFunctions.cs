using System.Reflection;
using System.Text.Json.Nodes;

namespace PushGov.Functions.Api;

/// <summary>
/// <c>GET /api/openapi.json</c>: the API's description, generated from the HTTP functions that exist (one operation per
/// function: its route, methods and name), so it cannot drift from them.
/// </summary>
public sealed class OpenApiFunctions(ApiGate gate)
{
    private static readonly Lazy<string> Document = new(Build);

    [Function("OpenApi")]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req) =>
        gate.AnonymousAsync(req, (_, _) => Task.FromResult(Results.Text(Document.Value, "application/json")));

    /// <summary>Every HTTP function of the app: its name, route (under <c>/api</c>) and methods.</summary>
    public static IReadOnlyList<(string Function, string Route, IReadOnlyList<string> Methods)> HttpFunctions() =>
        typeof(OpenApiFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .Select(x => (x.Function!.Name, "/api/" + x.Trigger!.Route, (IReadOnlyList<string>)(x.Trigger.Methods ?? []).Select(m => m.ToLowerInvariant()).ToList()))
            .OrderBy(x => x.Item2, StringComparer.Ordinal)
            .ToList();

    private static string Build()
    {
        var paths = new JsonObject();
        foreach (var (function, route, methods) in HttpFunctions())
        {
            var path = paths[route] as JsonObject ?? new JsonObject();
            paths[route] = path;
            foreach (var method in methods)
            {
                var parameters = new JsonArray();
                foreach (var name in route.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
                {
                    parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
                }

                path[method] = new JsonObject
                {
                    ["operationId"] = function,
                    ["parameters"] = parameters,
                    ["responses"] = new JsonObject
                    {
                        ["default"] = new JsonObject { ["description"] = "See docs/api.md; errors are application/problem+json." },
                    },
                };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "PushGov API",
                ["version"] = "1",
                ["description"] = "Per-tenant API for residents' portals and municipal staff. Authenticate with Authorization: Bearer pg_… (an API key) or, where configured, a Microsoft Entra ID access token. Errors are application/problem+json. See docs/api.md.",
            },
            ["paths"] = paths,
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
