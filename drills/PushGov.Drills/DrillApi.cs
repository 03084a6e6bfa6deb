using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Drills;

/// <summary>One answer of the host's HTTP API: its status (0: no answer, <see cref="Error"/> says why), body and time.</summary>
public sealed record ApiAnswer(int Status, JsonElement? Body, TimeSpan Took, string? Error = null);

/// <summary>
/// The host's HTTP API (docs/api.md) as a portal calls it, on loopback, with at most <paramref name="connections"/>
/// connections at once; keys are made in the host's <c>apikeys</c> table as <c>./pushgov tenant create</c> makes them.
/// </summary>
public sealed class DrillApi(Uri baseAddress, int connections) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>A new API key of <paramref name="role"/> for the tenant, in clear.</summary>
    public static async Task<string> CreateKeyAsync(DrillSystem system, string tenant, ApiRole role, CancellationToken ct) =>
        (await new ApiKeyStore(system.Storage, DrillSystem.ApiKeyPepper, TimeProvider.System).CreateAsync(tenant, role, $"drill {role}", ct)).Key;

    /// <summary>Sends one request (<paramref name="body"/> as JSON when given) under <c>/api/tenants/{tenant}/</c>; a failure to answer is status 0.</summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string tenant, string path, string key, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"api/tenants/{tenant}/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement? json = null;
            if (response.Content.Headers.ContentType?.MediaType is { } media && media.Contains("json", StringComparison.Ordinal) && text.Length > 0)
            {
                using var document = JsonDocument.Parse(text);
                json = document.RootElement.Clone();
            }

            return new ApiAnswer((int)response.StatusCode, json, clock.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new ApiAnswer(0, null, clock.Elapsed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The ids of the tenant's escalated cases, as staff see them (<c>GET /escalations</c>).</summary>
    public async Task<IReadOnlySet<string>> EscalationsAsync(string tenant, string staffKey, CancellationToken ct)
    {
        var answer = await SendAsync(HttpMethod.Get, tenant, "escalations", staffKey, null, ct);
        if (answer is not { Status: 200, Body: { } body })
        {
            throw new DrillFailedException($"GET escalations answered {answer.Status} {answer.Error}");
        }

        return body.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("caseId").GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    public void Dispose() => _http.Dispose();
}
