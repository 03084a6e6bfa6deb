using System.Net;
using Microsoft.DurableTask.Client;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Notifications.Outbox;

namespace PushGov.Functions.Api;

/// <summary>
/// RFC 8058 one-click unsubscribe, anonymous (the message id is 96 bits of a hash: it names one e-mail to one resident).
/// <c>POST /api/unsubscribe/{messageId}</c> with the body <c>List-Unsubscribe=One-Click</c> (form-encoded, as mail providers
/// send it) withdraws e-mail consent of that message's resident at once. <c>GET</c> only shows a small confirmation page
/// (Japanese and English) whose button makes that POST: a link checker or mail scanner following the link changes nothing.
/// </summary>
public static class UnsubscribeApi
{
    internal static IResult PageFor(string messageId) => Problems.IsSafeId(messageId) ? Page(messageId, done: false) : Problems.NotFound("message", messageId);

    internal static async Task<IResult> PostAsync(string messageId, HttpContext http, OptOuts optOuts, CancellationToken ct)
    {
        var body = ApiContract.Unsubscribe.Body!;
        if (!body.Accepts(http.Request.ContentType))
        {
            return Problems.Result(ApiProblem.UnsupportedMediaType(body, http.Request.ContentType));
        }

        if (http.Request.ContentLength > body.MaxBytes)
        {
            return Problems.Result(ApiProblem.TooLarge(body.MaxBytes));
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { BufferBodyLengthLimit = body.MaxBytes, ValueLengthLimit = (int)body.MaxBytes }, ct);
        }
        catch (InvalidDataException e)
        {
            return Problems.Result(e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? ApiProblem.TooLarge(body.MaxBytes)
                : ApiProblem.Malformed("List-Unsubscribe", "The form could not be read; POST List-Unsubscribe=One-Click (RFC 8058)."));
        }

        if (!string.Equals(form["List-Unsubscribe"].ToString(), "One-Click", StringComparison.Ordinal))
        {
            return Problems.Result(ApiProblem.Malformed("List-Unsubscribe", "POST the form field List-Unsubscribe=One-Click (RFC 8058)."));
        }

        if (!Problems.IsSafeId(messageId))
        {
            return Problems.NotFound("message", messageId);
        }

        return await optOuts.UnsubscribeAsync(messageId, ct)
            ? Page(messageId, done: true)
            : Problems.NotFound("message", messageId);
    }

    internal static IResult Page(string messageId, bool done)
    {
        var id = WebUtility.HtmlEncode(messageId);
        var content = done
            ? "<h1>配信を停止しました</h1><p>このメールアドレスへのお知らせの配信を停止しました。</p><p lang=\"en\">You have been unsubscribed: we will not send further notices to this e-mail address.</p>"
            : $"""
              <h1>メール配信の停止</h1>
              <p>このメールアドレスへのお知らせの配信を停止しますか。</p>
              <p lang="en">Stop notices to this e-mail address?</p>
              <form method="post" action="{id}">
                <input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit">配信を停止する / Unsubscribe</button>
              </form>
              """;
        var html = $"""
            <!DOCTYPE html>
            <html lang="ja">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>配信停止 / Unsubscribe</title></head>
            <body style="font-family: sans-serif; max-width: 36em; margin: 2em auto; padding: 0 1em">
            {content}
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}

/// <summary>One-click unsubscribe as HTTP functions; the POST withdraws consent through the cases, so it binds the Durable client.</summary>
public sealed class UnsubscribeFunctions(ApiGate gate, OptOuts optOuts, DurableCases cases)
{
    [Function("GetUnsubscribePage")]
    public Task<IResult> GetUnsubscribePage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "unsubscribe/{messageId}")] HttpRequest req, string messageId) =>
        gate.RunAsync(req, ApiContract.UnsubscribePage, new { messageId }, (http, ct) => Task.FromResult(UnsubscribeApi.PageFor(messageId)));

    [Function("PostUnsubscribe")]
    public Task<IResult> PostUnsubscribe([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "unsubscribe/{messageId}")] HttpRequest req, string messageId, [DurableClient] DurableTaskClient client)
    {
        cases.Use(client);
        return gate.RunAsync(req, ApiContract.Unsubscribe, new { messageId }, (http, ct) => UnsubscribeApi.PostAsync(messageId, http, optOuts, ct));
    }
}
