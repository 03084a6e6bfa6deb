using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PushGov.Infrastructure.Notifications.Providers.Line;

/// <summary>One answer of the Messaging API: the status, LINE's request ids, its error message, and Retry-After.</summary>
public sealed record LineAnswer(int Status, string? RequestId, string? AcceptedRequestId, string? ErrorMessage, TimeSpan? RetryAfter, JsonNode? Body)
{
    public bool IsSuccess => Status is >= 200 and <= 299;
}

/// <summary>The month's message quota of a channel: <see cref="Limit"/> null when the plan has no limit.</summary>
public sealed record LineQuotaReading(long? Limit, long Used);

/// <summary>
/// A small hand-written client of the LINE Messaging API (REST; no SDK): push (with <c>X-Line-Retry-Key</c>), reply,
/// the monthly quota and its consumption, and link tokens for the account link. Each call carries the tenant's channel
/// access token as a bearer token (<see cref="LineOptions"/>). Answers are returned as they are; mapping them to
/// message statuses is <see cref="LineSender"/>'s (through ProviderStatusMap).
/// </summary>
public sealed class LineClient
{
    private readonly HttpClient http;
    private readonly LineOptions options;
    private readonly Uri baseUri;

    public LineClient(HttpClient http, LineOptions options)
    {
        this.http = http ?? throw new ArgumentNullException(nameof(http));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        baseUri = options.BaseUrl.AbsoluteUri.EndsWith('/') ? options.BaseUrl : new Uri(options.BaseUrl.AbsoluteUri + "/");
    }

    /// <summary>True when the tenant's channel access token and secret are configured.</summary>
    public bool IsConfigured(string tenant) => options.For(tenant) is not null;

    /// <summary><c>POST /v2/bot/message/push</c> with up to 5 message objects to one user.</summary>
    public Task<LineAnswer> PushAsync(string tenant, string userId, JsonArray messages, Guid retryKey, CancellationToken ct)
    {
        var body = new JsonObject { ["to"] = userId, ["messages"] = messages };
        return SendAsync(tenant, HttpMethod.Post, "v2/bot/message/push", body, retryKey, ct);
    }

    /// <summary><c>POST /v2/bot/message/reply</c>: answers a webhook event (free; does not count against the quota).</summary>
    public Task<LineAnswer> ReplyAsync(string tenant, string replyToken, JsonArray messages, CancellationToken ct)
    {
        var body = new JsonObject { ["replyToken"] = replyToken, ["messages"] = messages };
        return SendAsync(tenant, HttpMethod.Post, "v2/bot/message/reply", body, null, ct);
    }

    /// <summary><c>POST /v2/bot/user/{userId}/linkToken</c>: a link token (valid 10 minutes, one use) for the account link.</summary>
    public async Task<string> IssueLinkTokenAsync(string tenant, string userId, CancellationToken ct)
    {
        var answer = await SendAsync(tenant, HttpMethod.Post, $"v2/bot/user/{Uri.EscapeDataString(userId)}/linkToken", null, null, ct);
        return answer.IsSuccess && answer.Body?["linkToken"]?.GetValue<string>() is { Length: > 0 } token
            ? token
            : throw new HttpRequestException($"LINE link token: HTTP {answer.Status} {answer.ErrorMessage}".TrimEnd());
    }

    /// <summary><c>GET /v2/bot/message/quota</c> and <c>/quota/consumption</c>.</summary>
    public async Task<LineQuotaReading> QuotaAsync(string tenant, CancellationToken ct)
    {
        var quota = await SendAsync(tenant, HttpMethod.Get, "v2/bot/message/quota", null, null, ct);
        var used = await SendAsync(tenant, HttpMethod.Get, "v2/bot/message/quota/consumption", null, null, ct);
        if (!quota.IsSuccess || !used.IsSuccess)
        {
            throw new HttpRequestException($"LINE quota: HTTP {quota.Status}/{used.Status}");
        }

        long? limit = quota.Body?["type"]?.GetValue<string>() == "limited" ? quota.Body["value"]?.GetValue<long>() : null;
        return new LineQuotaReading(limit, used.Body?["totalUsage"]?.GetValue<long>() ?? 0);
    }

    private async Task<LineAnswer> SendAsync(string tenant, HttpMethod method, string path, JsonObject? body, Guid? retryKey, CancellationToken ct)
    {
        var channel = options.For(tenant) ?? throw new InvalidOperationException($"LINE is not configured for tenant {tenant}.");
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", channel.ChannelAccessToken);
        if (retryKey is { } key)
        {
            request.Headers.TryAddWithoutValidation("X-Line-Retry-Key", key.ToString());
        }

        if (body is not null || method == HttpMethod.Post)
        {
            request.Content = new StringContent((body ?? []).ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? parsed = null;
        try
        {
            parsed = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
            // an HTML error page from a proxy: no body to read
        }

        return new LineAnswer(
            (int)response.StatusCode,
            Header(response, "x-line-request-id"),
            Header(response, "x-line-accepted-request-id"),
            parsed is JsonObject o ? o["message"]?.GetValue<string>() : null,
            response.Headers.RetryAfter?.Delta,
            parsed);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
