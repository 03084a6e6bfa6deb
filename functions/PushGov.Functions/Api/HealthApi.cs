using PushGov.Functions.Contract;
using PushGov.Infrastructure.Storage;

namespace PushGov.Functions.Api;

/// <summary><c>GET /api/health</c>: is storage reachable (tables, blobs, queues)? 200 when all are, 503 otherwise.</summary>
public static class HealthApi
{
    public sealed record Health(string Status, IReadOnlyDictionary<string, string> Storage);

    internal static async Task<IResult> CheckAsync(StorageClients storage, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var checks = new Dictionary<string, Func<Task>>
        {
            ["tables"] = () => storage.Table(StorageNames.Tables.Cases).QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, cancellationToken: timeout.Token).AsPages().GetAsyncEnumerator(timeout.Token).MoveNextAsync().AsTask(),
            ["blobs"] = () => storage.Container(StorageNames.Containers.Drops).ExistsAsync(timeout.Token),
            ["queues"] = () => storage.Queue(StorageNames.Queues.Send).ExistsAsync(timeout.Token),
        };
        var results = new Dictionary<string, string>();
        foreach (var (name, check) in checks)
        {
            try
            {
                await check();
                results[name] = "reachable";
            }
            catch (Exception e) when (e is not OperationCanceledException || timeout.IsCancellationRequested)
            {
                results[name] = "unreachable: " + e.GetType().Name;
            }
        }

        var healthy = results.Values.All(v => v == "reachable");
        return Results.Json(new Health(healthy ? "healthy" : "unhealthy", results), statusCode: healthy ? 200 : 503);
    }
}

/// <summary>Health and this API's description as HTTP functions (anonymous).</summary>
public sealed class HealthFunctions(ApiGate gate, StorageClients storage)
{
    [Function("GetHealth")]
    public Task<IResult> GetHealth([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) =>
        gate.RunAsync(req, ApiContract.Health, null, (_, ct) => HealthApi.CheckAsync(storage, ct));

    [Function("GetOpenApi")]
    public Task<IResult> GetOpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req) =>
        gate.RunAsync(req, ApiContract.OpenApi, null, (_, _) => Task.FromResult(Results.Text(OpenApiDocument.Json, MediaType.Json, System.Text.Encoding.UTF8)));
}
