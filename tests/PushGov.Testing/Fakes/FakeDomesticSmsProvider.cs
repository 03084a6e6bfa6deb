using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;

namespace PushGov.Testing.Fakes;

/// <summary>An SMS as the fake domestic provider received it (every attempt that passed the signature check).</summary>
public sealed record FakeDomesticSms(string IdempotencyKey, string Id, string To, string Text, string? CallbackUrl, int AnsweredStatus, string? ProviderId);

/// <summary>
/// A fake of PushGov's domestic SMS provider contract (<see cref="DomesticSmsClient"/>) on 127.0.0.1: <c>POST /v1/messages</c>.
/// Checks <c>X-Signature</c> with the shared secret (401 when missing, wrong or stale), answers from its script then
/// 202 <c>{id, status: "queued"}</c>; a repeated Idempotency-Key gets 200 and the first id back.
/// </summary>
public sealed class FakeDomesticSmsProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<FakeAnswer> script = new();
    private readonly ConcurrentQueue<FakeDomesticSms> received = new();
    private readonly ConcurrentDictionary<string, string> idsByKey = new(StringComparer.Ordinal);
    private int unauthorized;

    private FakeDomesticSmsProvider(WebApplication app, Uri endpoint, string secret, TimeProvider time)
    {
        this.app = app;
        Endpoint = endpoint;
        Secret = secret;
        Time = time;
    }

    public Uri Endpoint { get; }

    public string Secret { get; }

    /// <summary>The clock the signature's freshness is judged by.</summary>
    public TimeProvider Time { get; }

    public IReadOnlyList<FakeDomesticSms> Received => [.. received];

    public int Unauthorized => Volatile.Read(ref unauthorized);

    /// <summary>A flaky provider (seeded faults, recipients refused for good); null (the default): none.</summary>
    public FakeFaults? Faults { get; set; }

    public int DistinctAccepted => received.Where(r => r.ProviderId is not null).Select(r => r.IdempotencyKey).Distinct(StringComparer.Ordinal).Count();

    public static async Task<FakeDomesticSmsProvider> StartAsync(string? secret = null, TimeProvider? time = null)
    {
        secret ??= Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        FakeDomesticSmsProvider? fake = null;
        var (app, baseAddress) = await LoopbackServer.StartAsync(context => fake!.HandleAsync(context));
        fake = new FakeDomesticSmsProvider(app, baseAddress, secret, time ?? TimeProvider.System);
        return fake;
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

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LoopbackServer.ReadBodyAsync(context.Request);
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/v1/messages")
        {
            await LoopbackServer.WriteJsonAsync(context.Response, 404, """{"code":"not_found","message":"No such route."}""");
            return;
        }

        var check = DomesticSmsSignature.Verify(context.Request.Headers[DomesticSmsSignature.HeaderName].ToString(), body, Secret, Time.GetUtcNow());
        if (check != SignatureCheck.Valid)
        {
            Interlocked.Increment(ref unauthorized);
            await LoopbackServer.WriteJsonAsync(context.Response, 401, $$"""{"code":"signature_{{check.ToString().ToLowerInvariant()}}","message":"Signature refused."}""");
            return;
        }

        var key = context.Request.Headers["Idempotency-Key"].ToString();
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var to = root.GetProperty("to").GetString()!;

        var answer = script.TryDequeue(out var scripted) ? scripted
            : Faults?.Next(key, to) is { } fault ? Faults.Answer(fault, FakeAnswer.Unprocessable)
            : FakeAnswer.Accepted;
        if (answer.Delay is { } delay && !answer.AnswerLost)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        string? providerId = null;
        int status = answer.StatusCode;
        string responseBody;
        if (status == 202)
        {
            var fresh = $"jp_{Guid.NewGuid():N}";
            providerId = idsByKey.GetOrAdd(key, fresh);
            status = providerId == fresh ? 202 : 200;
            responseBody = JsonSerializer.Serialize(new { id = providerId, status = "queued" });
        }
        else
        {
            responseBody = status switch
            {
                422 => JsonSerializer.Serialize(new { code = "not_mobile", message = $"{to} cannot receive SMS" }),
                429 => """{"code":"rate_limited","message":"Slow down."}""",
                _ => """{"code":"error","message":"Provider error."}""",
            };
        }

        received.Enqueue(new FakeDomesticSms(
            key,
            root.GetProperty("id").GetString()!,
            to,
            root.GetProperty("text").GetString()!,
            root.TryGetProperty("callbackUrl", out var cb) ? cb.GetString() : null,
            status,
            providerId));

        if (answer.AnswerLost)
        {
            await LoopbackServer.DropAsync(context, answer.Delay);
            return;
        }

        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await LoopbackServer.WriteJsonAsync(context.Response, status, responseBody);
    }
}
