using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using PushGov.Portal.Auth;

namespace PushGov.Portal.Api;

/// <summary>An error answer of the API (problem+json): its status, title and detail, shown to staff as they are.</summary>
public sealed class ApiProblemException(HttpStatusCode status, string title, string? detail)
    : Exception($"{(int)status} {title}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;
}

/// <summary>
/// PushGov's HTTP API as a municipality's own portal calls it: every request carries the signed-in member of staff's
/// credential as the bearer and names their tenant in the route. The portal never names another tenant: the session's
/// tenant is the only one it knows, whatever a URL says.
/// </summary>
public sealed class PushGovApi(HttpClient http, IHttpContextAccessor context)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private StaffSession Session => StaffSession.From(context.HttpContext?.User ?? new()) ?? throw new InvalidOperationException("No member of staff is signed in.");

    /// <summary>Checks a credential before a session is made of it: the staff-only dashboard route answers 200 only to staff of that tenant.</summary>
    public async Task<HttpStatusCode> CheckStaffAsync(string tenant, string credential, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/tenants/{Uri.EscapeDataString(tenant)}/dashboard");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await http.SendAsync(request, ct);
        return response.StatusCode;
    }

    public Task<DashboardReport> DashboardAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        GetAsync<DashboardReport>($"dashboard?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", ct);

    public Task<TakeUpReport> TakeUpAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        GetAsync<TakeUpReport>($"takeup?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", ct);

    public Task<DropListing> DropsAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        GetAsync<DropListing>($"drops?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", ct);

    public Task<DropReport> DropReportAsync(string dataset, string name, CancellationToken ct) =>
        GetAsync<DropReport>($"drops/{Uri.EscapeDataString(dataset)}/{Uri.EscapeDataString(name)}/report", ct);

    public async Task<DropAccepted> UploadDropAsync(string dataset, string name, Stream body, long? length, CancellationToken ct)
    {
        var content = new StreamContent(body, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        if (length is { } n)
        {
            content.Headers.ContentLength = n;
        }

        var query = name.Length > 0 ? "?name=" + Uri.EscapeDataString(name) : string.Empty;
        return await SendAsync<DropAccepted>(HttpMethod.Post, $"drops/{Uri.EscapeDataString(dataset)}{query}", content, ct);
    }

    public Task<CaseList> EscalationsAsync(CancellationToken ct) => GetAsync<CaseList>("escalations", ct);

    public Task<CaseList> CasesAsync(string? state, CancellationToken ct) =>
        GetAsync<CaseList>("cases?pageSize=200" + (state is null ? string.Empty : "&state=" + Uri.EscapeDataString(state)), ct);

    public Task<CaseDetail> CaseAsync(string caseId, CancellationToken ct) => GetAsync<CaseDetail>($"cases/{Uri.EscapeDataString(caseId)}", ct);

    public Task<CasePeopleView> PeopleAsync(string caseId, CancellationToken ct) => GetAsync<CasePeopleView>($"cases/{Uri.EscapeDataString(caseId)}/people", ct);

    public Task<CaseSummary> RaiseAsync(string caseId, string eventName, string? outcome, string? note, CancellationToken ct) =>
        SendAsync<CaseSummary>(HttpMethod.Post, $"cases/{Uri.EscapeDataString(caseId)}/events/{Uri.EscapeDataString(eventName)}", JsonContent.Create(new { outcome, note }, options: Json), ct);

    public Task<HistoryEntry> AddNoteAsync(string caseId, string text, CancellationToken ct) =>
        SendAsync<HistoryEntry>(HttpMethod.Post, $"cases/{Uri.EscapeDataString(caseId)}/notes", JsonContent.Create(new { text }, options: Json), ct);

    public Task<ResendAccepted> ResendAsync(string caseId, string residentId, string channel, CancellationToken ct) =>
        SendAsync<ResendAccepted>(HttpMethod.Post, $"cases/{Uri.EscapeDataString(caseId)}/resend", JsonContent.Create(new { residentId, channel }, options: Json), ct);

    public Task<TenantCatalogView> CatalogAsync(CancellationToken ct) => GetAsync<TenantCatalogView>("catalog", ct);

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        var session = Session;
        using var request = new HttpRequestMessage(method, $"api/tenants/{Uri.EscapeDataString(session.Tenant)}/{path}") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Credential);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ReadProblemAsync(response, ct);
            throw new ApiProblemException(response.StatusCode, problem.Title ?? response.ReasonPhrase ?? "Error", problem.Detail);
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, ct) ?? throw new ApiProblemException(response.StatusCode, "Empty answer", "The API answered with no body.");
    }

    private static async Task<Problem> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<Problem>(Json, ct) ?? new Problem(null, null);
        }
        catch (JsonException)
        {
            return new Problem(null, null);
        }
    }

    private sealed record Problem(string? Title, string? Detail);
}
