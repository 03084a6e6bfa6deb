using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PushGov.Infrastructure.Notifications.Providers.Line;

namespace PushGov.Testing.Fakes;

/// <summary>One push as the fake LINE platform received it (every attempt that had the right bearer token).</summary>
public sealed record FakeLinePush(string RetryKey, string To, JsonArray Messages, int AnsweredStatus)
{
    public string Text => Messages[0]?["text"]?.GetValue<string>() ?? string.Empty;

    /// <summary>The uri of the card's button, when the push had a card.</summary>
    public string? ButtonUri => Messages.Count > 1 ? Messages[1]?["contents"]?["footer"]?["contents"]?[0]?["action"]?["uri"]?.GetValue<string>() : null;
}

/// <summary>
/// A fake of the LINE Messaging API on 127.0.0.1 (a real Kestrel server), for one channel:
/// <list type="bullet">
/// <item>every request must carry <c>Authorization: Bearer {AccessToken}</c> (401 otherwise, counted);</item>
/// <item><c>POST /v2/bot/message/push</c>: recorded; a retry key it accepted before gets 409 with
/// <c>x-line-accepted-request-id</c>; otherwise the script's next answer (429, 500, or 200 after a delay: accepted and
/// recorded first, then answered late, so a client can time out on a push that went out), else 200; with a monthly limit
/// set and spent, 429 "You have reached your monthly limit.";</item>
/// <item><c>GET /v2/bot/message/quota</c> and <c>/quota/consumption</c>: the limit set and the pushes accepted (plus a start value);</item>
/// <item><c>POST /v2/bot/user/{userId}/linkToken</c> and <c>POST /v2/bot/message/reply</c>: recorded, answered 200.</item>
/// </list>
/// <see cref="Webhook"/> builds signed webhook bodies as LINE sends them.
/// </summary>
public sealed class FakeLinePlatform : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<FakeAnswer> script = new();
    private readonly ConcurrentQueue<FakeLinePush> pushes = new();
    private readonly ConcurrentDictionary<string, string> acceptedKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string ReplyToken, JsonArray Messages)> replies = new();
    private readonly ConcurrentQueue<string> linkTokenUsers = new();
    private int unauthorized;
    private long usedBefore;
    private long limit = -1; // -1: no monthly limit

    private FakeLinePlatform(WebApplication app, Uri baseAddress, string accessToken)
    {
        this.app = app;
        BaseAddress = baseAddress;
        AccessToken = accessToken;
    }

    public Uri BaseAddress { get; }

    public string AccessToken { get; }

    /// <summary>Every push attempt, in order.</summary>
    public IReadOnlyList<FakeLinePush> Pushes => [.. pushes];

    /// <summary>Pushes LINE took (and so delivered): one per retry key, whatever the client heard.</summary>
    public IReadOnlyList<FakeLinePush> Delivered => pushes.Where(p => p.AnsweredStatus == 200).ToList();

    public IReadOnlyList<(string ReplyToken, JsonArray Messages)> Replies => [.. replies];

    public IReadOnlyList<string> LinkTokenUsers => [.. linkTokenUsers];

    public int Unauthorized => Volatile.Read(ref unauthorized);

    public static async Task<FakeLinePlatform> StartAsync(string? accessToken = null)
    {
        accessToken ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        FakeLinePlatform? fake = null;
        var (app, baseAddress) = await LoopbackServer.StartAsync(context => fake!.HandleAsync(context));
        fake = new FakeLinePlatform(app, baseAddress, accessToken);
        return fake;
    }

    /// <summary>The month's limit (null: none) and how many were used before this fake started counting.</summary>
    public void SetQuota(long? monthlyLimit, long usedBefore = 0)
    {
        Interlocked.Exchange(ref limit, monthlyLimit ?? -1);
        Interlocked.Exchange(ref this.usedBefore, usedBefore);
    }

    public void Enqueue(params FakeAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            script.Enqueue(answer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private long Used => Interlocked.Read(ref usedBefore) + acceptedKeys.Count;

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LoopbackServer.ReadBodyAsync(context.Request);
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + AccessToken)
        {
            Interlocked.Increment(ref unauthorized);
            await LoopbackServer.WriteJsonAsync(context.Response, 401, """{"message":"Authentication failed. Confirm that the access token in the authorization header is valid."}""");
            return;
        }

        var path = context.Request.Path.Value ?? string.Empty;
        var post = HttpMethods.IsPost(context.Request.Method);
        switch (path)
        {
            case "/v2/bot/message/push" when post:
                await PushAsync(context, JsonNode.Parse(body)!.AsObject());
                return;
            case "/v2/bot/message/reply" when post:
                var reply = JsonNode.Parse(body)!.AsObject();
                replies.Enqueue((reply["replyToken"]!.GetValue<string>(), reply["messages"]!.AsArray()));
                await LoopbackServer.WriteJsonAsync(context.Response, 200, "{}");
                return;
            case "/v2/bot/message/quota" when HttpMethods.IsGet(context.Request.Method):
                var l = Interlocked.Read(ref limit);
                await LoopbackServer.WriteJsonAsync(context.Response, 200, l >= 0 ? $$"""{"type":"limited","value":{{l}}}""" : """{"type":"none"}""");
                return;
            case "/v2/bot/message/quota/consumption" when HttpMethods.IsGet(context.Request.Method):
                await LoopbackServer.WriteJsonAsync(context.Response, 200, $$"""{"totalUsage":{{Used}}}""");
                return;
        }

        if (post && path.StartsWith("/v2/bot/user/", StringComparison.Ordinal) && path.EndsWith("/linkToken", StringComparison.Ordinal))
        {
            linkTokenUsers.Enqueue(Uri.UnescapeDataString(path["/v2/bot/user/".Length..^"/linkToken".Length]));
            await LoopbackServer.WriteJsonAsync(context.Response, 200, $$"""{"linkToken":"lt{{Guid.NewGuid():N}}"}""");
            return;
        }

        await LoopbackServer.WriteJsonAsync(context.Response, 404, """{"message":"Not found"}""");
    }

    private async Task PushAsync(HttpContext context, JsonObject request)
    {
        var key = context.Request.Headers["X-Line-Retry-Key"].ToString();
        var to = request["to"]!.GetValue<string>();
        var messages = request["messages"]!.AsArray();
        if (key.Length > 0 && acceptedKeys.TryGetValue(key, out var acceptedId))
        {
            pushes.Enqueue(new FakeLinePush(key, to, messages, 409));
            context.Response.Headers["x-line-accepted-request-id"] = acceptedId;
            await LoopbackServer.WriteJsonAsync(context.Response, 409, """{"message":"The retry key is already accepted"}""");
            return;
        }

        var answer = script.TryDequeue(out var scripted) ? scripted : null;
        if (answer is { StatusCode: not 200 })
        {
            pushes.Enqueue(new FakeLinePush(key, to, messages, answer.StatusCode));
            if (answer.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            await LoopbackServer.WriteJsonAsync(context.Response, answer.StatusCode, answer.StatusCode == 429 ? """{"message":"Too Many Requests"}""" : """{"message":"An error occurred in the server"}""");
            return;
        }

        if (Interlocked.Read(ref limit) is >= 0 and var monthly && Used >= monthly)
        {
            pushes.Enqueue(new FakeLinePush(key, to, messages, 429));
            await LoopbackServer.WriteJsonAsync(context.Response, 429, """{"message":"You have reached your monthly limit."}""");
            return;
        }

        var requestId = Guid.NewGuid().ToString();
        if (key.Length > 0)
        {
            acceptedKeys[key] = requestId;
        }

        pushes.Enqueue(new FakeLinePush(key, to, messages, 200));
        if (answer?.Delay is { } delay)
        {
            // Taken and recorded; the answer comes too late for the client.
            await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        context.Response.Headers["x-line-request-id"] = requestId;
        await LoopbackServer.WriteJsonAsync(context.Response, 200, $$"""{"sentMessages":[{"id":"{{Random.Shared.NextInt64():D}}"}]}""");
    }

    /// <summary>Webhook bodies as LINE sends them, and their signature.</summary>
    public static class Webhook
    {
        public static byte[] Body(params JsonObject[] events) =>
            Encoding.UTF8.GetBytes(new JsonObject { ["destination"] = "U00000000000000000000000000000000", ["events"] = new JsonArray([.. events.Select(e => e.DeepClone())]) }.ToJsonString());

        public static string Sign(string channelSecret, byte[] body) => LineSignature.Compute(channelSecret, body);

        public static JsonObject Event(string type, string userId, string? webhookEventId = null, bool redelivery = false) => new()
        {
            ["type"] = type,
            ["mode"] = "active",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["source"] = new JsonObject { ["type"] = "user", ["userId"] = userId },
            ["webhookEventId"] = webhookEventId ?? "01" + Guid.NewGuid().ToString("N").ToUpperInvariant(),
            ["deliveryContext"] = new JsonObject { ["isRedelivery"] = redelivery },
            ["replyToken"] = type is "follow" or "postback" or "accountLink" ? Guid.NewGuid().ToString("N") : null,
        };

        public static JsonObject AccountLink(string userId, string nonce, string result = "ok", string? webhookEventId = null)
        {
            var e = Event("accountLink", userId, webhookEventId);
            e["link"] = new JsonObject { ["result"] = result, ["nonce"] = nonce };
            return e;
        }
    }
}
