using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PushGov.Testing.Fakes;

/// <summary>An SMS as the fake ACS received it (every authenticated attempt, repeats included).</summary>
public sealed record FakeAcsSms(string From, string To, string Message, string RepeatabilityRequestId, string? RepeatabilityFirstSent, bool DeliveryReport, string? Tag, int AnsweredStatus, string? AnsweredMessageId);

/// <summary>An e-mail send as the fake ACS received it (every authenticated attempt, repeats included).</summary>
public sealed record FakeAcsEmail(string OperationId, string Sender, IReadOnlyList<string> To, string Subject, string PlainText, string? Html, IReadOnlyDictionary<string, string> Headers, bool EngagementTrackingDisabled, int AnsweredStatus);

/// <summary>
/// A fake Azure Communication Services on 127.0.0.1: SMS (<c>POST /sms</c>), Email (<c>POST /emails:send</c>,
/// <c>GET /emails/operations/{id}</c>). It recomputes the HMAC-SHA256 signature of every request from the documented
/// string-to-sign (independently of the product's signer) and answers 401 when it differs, when the body hash is
/// wrong, or when headers are missing; a bearer token is accepted only when <see cref="AcceptedBearerToken"/> is set.
/// Answers come from the script (<see cref="Enqueue"/>), then 202. A repeated SMS repeatability id or e-mail
/// Operation-Id gets the first answer's id back, as ACS does, and is recorded again so a test can count duplicates.
/// </summary>
public sealed class FakeAcs : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly byte[] key;
    private readonly ConcurrentQueue<FakeAnswer> script = new();
    private readonly ConcurrentQueue<FakeAcsSms> sms = new();
    private readonly ConcurrentQueue<FakeAcsEmail> emails = new();
    private readonly ConcurrentDictionary<string, string> smsIdsByRepeatability = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> operationPolls = new(StringComparer.OrdinalIgnoreCase);
    private string[] operationStatuses = ["Running", "Succeeded"];
    private int unauthorized;
    private int polls;
    private long sequence;

    private FakeAcs(WebApplication app, Uri endpoint, string accessKey)
    {
        this.app = app;
        Endpoint = endpoint;
        AccessKey = accessKey;
        key = Convert.FromBase64String(accessKey);
    }

    public Uri Endpoint { get; }

    public string AccessKey { get; }

    public string ConnectionString => $"endpoint={Endpoint.AbsoluteUri};accesskey={AccessKey}";

    /// <summary>When set, <c>Authorization: Bearer {this}</c> is accepted instead of an HMAC signature.</summary>
    public string? AcceptedBearerToken { get; set; }

    /// <summary>Seconds sent in Retry-After on operation polls that are not terminal ("0" keeps tests fast); null: none.</summary>
    public string? OperationRetryAfter { get; set; } = "0";

    /// <summary>A flaky provider for SMS and e-mail sends (seeded faults, recipients refused for good); null (the default): none.</summary>
    public FakeFaults? Faults { get; set; }

    public IReadOnlyList<FakeAcsSms> ReceivedSms => [.. sms];

    public IReadOnlyList<FakeAcsEmail> ReceivedEmails => [.. emails];

    /// <summary>Requests refused with 401.</summary>
    public int Unauthorized => Volatile.Read(ref unauthorized);

    public int EmailOperationPolls => Volatile.Read(ref polls);

    /// <summary>How many different SMS ACS took (202 and successful), whatever the number of attempts.</summary>
    public int DistinctAcceptedSms => sms.Where(s => s.AnsweredMessageId is not null).Select(s => s.RepeatabilityRequestId).Distinct(StringComparer.OrdinalIgnoreCase).Count();

    public static async Task<FakeAcs> StartAsync(string? accessKey = null)
    {
        accessKey ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        FakeAcs? fake = null;
        var (app, baseAddress) = await LoopbackServer.StartAsync(context => fake!.HandleAsync(context));
        fake = new FakeAcs(app, baseAddress, accessKey);
        return fake;
    }

    /// <summary>Scripts the next answers to SMS and e-mail sends, in order.</summary>
    public void Enqueue(params FakeAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            script.Enqueue(answer);
        }
    }

    /// <summary>The statuses successive polls of any operation return; the last one repeats. Default: Running, Succeeded.</summary>
    public void ScriptEmailOperation(params string[] statuses) => operationStatuses = statuses;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await LoopbackServer.ReadBodyAsync(request);
        if (!IsAuthorized(context, body))
        {
            Interlocked.Increment(ref unauthorized);
            await LoopbackServer.WriteJsonAsync(context.Response, 401, """{"error":{"code":"Denied","message":"Denied by the resource provider."}}""");
            return;
        }

        var path = request.Path.Value ?? string.Empty;
        if (HttpMethods.IsPost(request.Method) && path == "/sms")
        {
            await SmsAsync(context, body);
        }
        else if (HttpMethods.IsPost(request.Method) && path == "/emails:send")
        {
            await EmailAsync(context, body);
        }
        else if (HttpMethods.IsGet(request.Method) && path.StartsWith("/emails/operations/", StringComparison.Ordinal))
        {
            await OperationAsync(context, path["/emails/operations/".Length..]);
        }
        else
        {
            await LoopbackServer.WriteJsonAsync(context.Response, 404, """{"error":{"code":"NotFound","message":"No such route."}}""");
        }
    }

    private bool IsAuthorized(HttpContext context, byte[] body)
    {
        var headers = context.Request.Headers;
        var authorization = headers.Authorization.ToString();
        if (AcceptedBearerToken is { } token && authorization == "Bearer " + token)
        {
            return true;
        }

        var date = headers["x-ms-date"].ToString();
        var contentHash = headers["x-ms-content-sha256"].ToString();
        var host = headers.Host.ToString();
        if (date.Length == 0 || contentHash.Length == 0 || host.Length == 0)
        {
            return false;
        }

        if (contentHash != Convert.ToBase64String(SHA256.HashData(body)))
        {
            return false;
        }

        var stringToSign = $"{context.Request.Method}\n{LoopbackServer.RawTarget(context)}\n{date};{host};{contentHash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return authorization == $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}";
    }

    private FakeAnswer NextAnswer(string key, string to, FakeAnswer refusal) =>
        script.TryDequeue(out var answer) ? answer
        : Faults?.Next(key, to) is { } fault ? Faults.Answer(fault, refusal)
        : FakeAnswer.Accepted;

    private async Task SmsAsync(HttpContext context, byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var recipient = root.GetProperty("smsRecipients")[0];
        var options = root.TryGetProperty("smsSendOptions", out var o) ? o : default;
        var to = recipient.GetProperty("to").GetString()!;
        var repeatId = recipient.TryGetProperty("repeatabilityRequestId", out var r) ? r.GetString()! : string.Empty;
        var firstSent = recipient.TryGetProperty("repeatabilityFirstSent", out var f) ? f.GetString() : null;

        var answer = NextAnswer(repeatId, to, FakeAnswer.RecipientRejected);
        if (answer.Delay is { } delay && !answer.AnswerLost)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        string? messageId = null;
        string responseBody;
        if (answer.StatusCode == 202 && !answer.RecipientFails)
        {
            messageId = smsIdsByRepeatability.GetOrAdd(repeatId, _ => $"Outgoing_{Interlocked.Increment(ref sequence):D8}_{Guid.NewGuid():N}");
            responseBody = JsonSerializer.Serialize(new { value = new[] { new { to, messageId, httpStatusCode = 202, repeatabilityResult = "accepted", successful = true } } });
        }
        else if (answer.StatusCode == 202)
        {
            responseBody = JsonSerializer.Serialize(new { value = new[] { new { to, httpStatusCode = 400, successful = false, errorMessage = $"Invalid To phone number format: {to}" } } });
        }
        else
        {
            responseBody = ErrorBody(answer.StatusCode);
        }

        sms.Enqueue(new FakeAcsSms(
            root.GetProperty("from").GetString()!,
            to,
            root.GetProperty("message").GetString()!,
            repeatId,
            firstSent,
            options.ValueKind == JsonValueKind.Object && options.TryGetProperty("enableDeliveryReport", out var dr) && dr.GetBoolean(),
            options.ValueKind == JsonValueKind.Object && options.TryGetProperty("tag", out var tag) ? tag.GetString() : null,
            answer.StatusCode,
            messageId));

        if (answer.AnswerLost)
        {
            await LoopbackServer.DropAsync(context, answer.Delay);
            return;
        }

        Answer(context, answer);
        await LoopbackServer.WriteJsonAsync(context.Response, answer.StatusCode, responseBody);
    }

    private async Task EmailAsync(HttpContext context, byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var operationId = context.Request.Headers["Operation-Id"].ToString();
        if (operationId.Length == 0)
        {
            operationId = Guid.NewGuid().ToString();
        }

        var content = root.GetProperty("content");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in h.EnumerateObject())
            {
                headers[p.Name] = p.Value.GetString() ?? string.Empty;
            }
        }

        var recipients = root.GetProperty("recipients").GetProperty("to").EnumerateArray().Select(a => a.GetProperty("address").GetString()!).ToList();
        var answer = NextAnswer(operationId, recipients[0], FakeAnswer.BadRequest);
        if (answer.Delay is { } delay && !answer.AnswerLost)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        emails.Enqueue(new FakeAcsEmail(
            operationId,
            root.GetProperty("senderAddress").GetString()!,
            recipients,
            content.GetProperty("subject").GetString()!,
            content.GetProperty("plainText").GetString()!,
            content.TryGetProperty("html", out var html) ? html.GetString() : null,
            headers,
            root.TryGetProperty("userEngagementTrackingDisabled", out var t) && t.GetBoolean(),
            answer.StatusCode));

        if (answer.AnswerLost)
        {
            await LoopbackServer.DropAsync(context, answer.Delay);
            return;
        }

        Answer(context, answer);
        if (answer.StatusCode == 202)
        {
            context.Response.Headers["Operation-Location"] = new Uri(Endpoint, $"emails/operations/{operationId}?api-version=2023-03-31").AbsoluteUri;
            await LoopbackServer.WriteJsonAsync(context.Response, 202, JsonSerializer.Serialize(new { id = operationId, status = "Running" }));
        }
        else
        {
            await LoopbackServer.WriteJsonAsync(context.Response, answer.StatusCode, ErrorBody(answer.StatusCode));
        }
    }

    private Task OperationAsync(HttpContext context, string operationId)
    {
        Interlocked.Increment(ref polls);
        if (!emails.Any(e => string.Equals(e.OperationId, operationId, StringComparison.OrdinalIgnoreCase) && e.AnsweredStatus == 202))
        {
            return LoopbackServer.WriteJsonAsync(context.Response, 404, """{"error":{"code":"NotFound","message":"Operation not found."}}""");
        }

        var n = operationPolls.AddOrUpdate(operationId, 1, (_, c) => c + 1);
        var statuses = operationStatuses;
        var status = statuses[Math.Min(n - 1, statuses.Length - 1)];
        if (status is not ("Succeeded" or "Failed" or "Canceled") && OperationRetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        var payload = status == "Failed"
            ? JsonSerializer.Serialize(new { id = operationId, status, error = new { code = "MessageRejected", message = "The sender domain is not verified." } })
            : JsonSerializer.Serialize(new { id = operationId, status });
        return LoopbackServer.WriteJsonAsync(context.Response, 200, payload);
    }

    private static void Answer(HttpContext context, FakeAnswer answer)
    {
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
    }

    private static string ErrorBody(int status) => status switch
    {
        429 => """{"error":{"code":"TooManyRequests","message":"Rate limit exceeded."}}""",
        400 => """{"error":{"code":"BadRequest","message":"Invalid request."}}""",
        _ => """{"error":{"code":"InternalError","message":"Something went wrong."}}""",
    };
}
