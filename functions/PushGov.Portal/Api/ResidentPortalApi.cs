using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PushGov.Portal.Api;

/// <summary>What an answer through a link came to.</summary>
public enum ResidentAnswerResult
{
    Accepted,

    /// <summary>The case cannot take it any more (it is closed).</summary>
    TooLate,

    /// <summary>The link does not open the case (the same for every reason).</summary>
    LinkNotValid,
}

/// <summary>
/// PushGov's API as the residents' side of the portal calls it: with the tenant's ResidentPortal key
/// (<see cref="PortalOptions.ResidentKeys"/>), passing on the token of the link the resident followed. The token goes in
/// request bodies, never in an API URL. Anything that does not open (no key for the tenant, a malformed part, the API's
/// 404) is one answer: null, so the page can only say "this link cannot be used".
/// </summary>
public sealed partial class ResidentPortalApi(HttpClient http, IOptions<PortalOptions> options)
{
    /// <summary>The resident's view of their case, or null when the link does not open it.</summary>
    public async Task<ResidentCase?> ViewAsync(string tenant, string caseId, string token, CancellationToken ct)
    {
        using var response = await PostAsync(tenant, caseId, "resident-view", new { link = token }, ct);
        return response is null || response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await ReadAsync<ResidentCase>(response, ct);
    }

    /// <summary>Tells the case the resident applied, or that it is not for them.</summary>
    public async Task<ResidentAnswerResult> AnswerAsync(string tenant, string caseId, string token, string answer, CancellationToken ct)
    {
        using var response = await PostAsync(tenant, caseId, "resident-answer", new { link = token, answer }, ct);
        return response?.StatusCode switch
        {
            null or HttpStatusCode.NotFound => ResidentAnswerResult.LinkNotValid,
            HttpStatusCode.Conflict => ResidentAnswerResult.TooLate,
            HttpStatusCode.Accepted => ResidentAnswerResult.Accepted,
            _ => throw await ProblemAsync(response, ct),
        };
    }

    /// <summary>
    /// Confirms the prefilled one-step application of a service: <see cref="ResidentAnswerResult.Accepted"/> when it is
    /// handed over (by this or an earlier confirmation), <see cref="ResidentAnswerResult.TooLate"/> when the case is closed
    /// or the application cannot be filled any more, <see cref="ResidentAnswerResult.LinkNotValid"/> for a link or service
    /// that does not offer it.
    /// </summary>
    public async Task<ResidentAnswerResult> ConfirmApplicationAsync(string tenant, string caseId, string token, string service, CancellationToken ct)
    {
        using var response = await PostAsync(tenant, caseId, "resident-application", new { link = token, service }, ct);
        return response?.StatusCode switch
        {
            null or HttpStatusCode.NotFound => ResidentAnswerResult.LinkNotValid,
            HttpStatusCode.Conflict => ResidentAnswerResult.TooLate,
            HttpStatusCode.Created or HttpStatusCode.OK => ResidentAnswerResult.Accepted,
            _ => throw await ProblemAsync(response, ct),
        };
    }

    /// <summary>The resident's channels, consent and language (the resident id comes from their opened link, never from the browser).</summary>
    public async Task<ResidentPreferences> PreferencesAsync(string tenant, string residentId, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, tenant, $"residents/{Uri.EscapeDataString(residentId)}/preferences", null);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<ResidentPreferences>(response, ct);
    }

    /// <summary>Saves the resident's choices; a 400 comes back as the API's errors by field (null when saved).</summary>
    public async Task<IReadOnlyDictionary<string, string[]>?> SavePreferencesAsync(string tenant, string residentId, object update, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Put, tenant, $"residents/{Uri.EscapeDataString(residentId)}/preferences", update);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblem>(PushGovApi.Json, ct);
            return problem?.Errors ?? new Dictionary<string, string[]> { ["$"] = ["The choices could not be saved."] };
        }

        await ReadAsync<ResidentPreferences>(response, ct);
        return null;
    }

    private HttpRequestMessage Request(HttpMethod method, string tenant, string path, object? body)
    {
        var key = options.Value.ResidentKeys.TryGetValue(tenant, out var k) && TenantCode().IsMatch(tenant) ? k : throw new InvalidOperationException("No resident key for the tenant.");
        var request = new HttpRequestMessage(method, $"api/tenants/{tenant}/{path}") { Content = body is null ? null : JsonContent.Create(body, options: PushGovApi.Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private sealed record ValidationProblem(Dictionary<string, string[]>? Errors);

    private async Task<HttpResponseMessage?> PostAsync(string tenant, string caseId, string action, object body, CancellationToken ct)
    {
        if (!TenantCode().IsMatch(tenant) || !CaseId().IsMatch(caseId) || !options.Value.ResidentKeys.TryGetValue(tenant, out var key) || key.Length == 0)
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tenants/{tenant}/cases/{Uri.EscapeDataString(caseId)}/{action}")
        {
            Content = JsonContent.Create(body, options: PushGovApi.Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await http.SendAsync(request, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemAsync(response, ct);
        }

        return await response.Content.ReadFromJsonAsync<T>(PushGovApi.Json, ct) ?? throw new ApiProblemException(response.StatusCode, "Empty answer", "The API answered with no body.");
    }

    private static async Task<ApiProblemException> ProblemAsync(HttpResponseMessage response, CancellationToken ct) =>
        new(response.StatusCode, response.ReasonPhrase ?? "Error", await response.Content.ReadAsStringAsync(ct) is { Length: > 0 } text ? text[..Math.Min(text.Length, 300)] : null);

    [GeneratedRegex(@"^[0-9]{6}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TenantCode();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CaseId();
}
