using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PushGov.Testing.Fakes;

/// <summary>A real Kestrel server on 127.0.0.1 and a free port, answering every request with one delegate.</summary>
internal static class LoopbackServer
{
    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal));
        return (app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public static string RawTarget(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : context.Request.Path + context.Request.QueryString;

    /// <summary>The answer lost: waits <paramref name="delay"/> (or until the client gives up), then drops the connection.</summary>
    public static async Task DropAsync(HttpContext context, TimeSpan? delay)
    {
        if (delay is { } wait)
        {
            try
            {
                await Task.Delay(wait, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up first (its timeout): the connection is gone already.
            }
        }

        context.Abort();
    }

    public static Task WriteJsonAsync(HttpResponse response, int status, string json)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        return response.WriteAsync(json);
    }
}

/// <summary>
/// One scripted answer of a fake provider. A fake answers from its script queue first, then with its default (202).
/// <see cref="RetryAfter"/> is sent verbatim (delta seconds "2", or an HTTP date). <see cref="RecipientFails"/>: ACS SMS
/// answers 202 but marks the recipient unsuccessful. <see cref="Delay"/> holds the answer back (to provoke client timeouts).
/// <see cref="AnswerLost"/>: the send is taken and recorded as the status says, then the answer is lost: the connection
/// is dropped (after <see cref="Delay"/>, if given).
/// </summary>
public sealed record FakeAnswer(int StatusCode, string? RetryAfter = null, bool RecipientFails = false, TimeSpan? Delay = null, bool AnswerLost = false)
{
    public static FakeAnswer Accepted { get; } = new(202);

    public static FakeAnswer ServerError { get; } = new(500);

    public static FakeAnswer BadRequest { get; } = new(400);

    public static FakeAnswer Unprocessable { get; } = new(422);

    public static FakeAnswer RecipientRejected { get; } = new(202, RecipientFails: true);

    public static FakeAnswer Throttled(string retryAfter) => new(429, retryAfter);

    public static FakeAnswer Slow(TimeSpan delay) => new(202, Delay: delay);
}
