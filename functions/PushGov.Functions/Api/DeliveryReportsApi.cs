using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask.Client;
using PushGov.Functions.Cases;
using PushGov.Functions.Hosting;
using PushGov.Infrastructure.Acs;
using PushGov.Infrastructure.Messaging;
using PushGov.Infrastructure.Sending;

namespace PushGov.Functions.Api;

/// <summary>
/// Provider callbacks, anonymous routes that check who is calling themselves:
/// <list type="bullet">
/// <item><c>POST /api/events/acs</c>: Event Grid (EventGridEvent schema). With <c>PushGov:EventGrid:Secret</c> set, the
/// subscription's URL must carry <c>?code={secret}</c> (compared in constant time; 401 otherwise). The subscription
/// validation handshake is answered <c>{"validationResponse": code}</c>. <c>SMSDeliveryReportReceived</c> and
/// <c>EmailDeliveryReportReceived</c> update the message found by the provider's id; <c>SMSReceived</c> with an opt-out word
/// (STOP, 配信停止, …) withdraws SMS consent of the residents we texted at that number. A report for a message not yet known
/// (the report overtook our own write) is answered 503 while it is younger than 10 minutes, so Event Grid delivers it again;
/// older ones are acknowledged and logged.</item>
/// <item><c>POST /api/events/domestic-sms</c>: the aggregator's callback, signed (<c>X-Signature</c>, checked with
/// <see cref="DomesticSmsCallback.TryRead"/>): missing, wrong or stale (over 5 minutes) → 401 problem.</item>
/// </list>
/// </summary>
public static class DeliveryReportsApi
{
    private static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(10);

    internal static async Task<IResult> AcsAsync(HttpContext http, EventGridSettings settings, DeliveryReports reports, OptOuts optOuts, TimeProvider clock, ILogger<DeliveryReports> logger, CancellationToken ct)
    {
        if (settings.Secret is { } secret && !SameSecret(secret, http.Request.Query["code"].ToString()))
        {
            return Results.Problem(title: "Unauthorized", detail: "The Event Grid subscription must call this endpoint with its ?code=.", statusCode: StatusCodes.Status401Unauthorized);
        }

        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(ct);
        }

        IReadOnlyList<EventGridNotification> events;
        try
        {
            events = EventGridParser.Parse(body);
        }
        catch (FormatException e)
        {
            return Results.Problem(title: "Not an Event Grid delivery", detail: e.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        var retry = false;
        var now = clock.GetUtcNow();
        foreach (var e in events)
        {
            switch (e)
            {
                case SubscriptionValidation v:
                    logger.LogInformation("Event Grid subscription validation {Id}", v.Id);
                    return Results.Text(EventGridParser.ValidationResponse(v.ValidationCode), "application/json", Encoding.UTF8);
                case SmsDeliveryReport sms:
                    retry |= Unknown(await reports.ApplyAsync(sms.MessageId, sms.MessageStatus, sms.DeliveryStatus, sms.DeliveryStatusDetails, ct), e, now);
                    break;
                case EmailDeliveryReport email:
                    retry |= Unknown(await reports.ApplyAsync(email.MessageId, email.MessageStatus, email.Status, email.StatusMessage, ct), e, now);
                    break;
                case SmsReceived inbound when inbound.IsOptOut:
                    await optOuts.OptOutSmsAsync(inbound.From, ct);
                    break;
                default:
                    logger.LogInformation("Event Grid event {Type} {Id} acknowledged", e.EventType, e.Id);
                    break;
            }
        }

        return retry
            ? Results.Problem(title: "Not yet known", detail: "A report names a message not recorded yet; deliver it again.", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok();
    }

    internal static async Task<IResult> DomesticAsync(HttpContext http, DomesticSmsSettings settings, DeliveryReports reports, TimeProvider clock, CancellationToken ct)
    {
        if (settings.Secret is not { } secret)
        {
            return Results.Problem(title: "Not configured", detail: "No domestic SMS provider is configured.", statusCode: StatusCodes.Status404NotFound);
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var check = DomesticSmsCallback.TryRead(buffer.ToArray(), http.Request.Headers[DomesticSmsSignature.HeaderName].ToString(), secret, clock.GetUtcNow(), out var callback);
        if (check != SignatureCheck.Valid || callback is null)
        {
            return Results.Problem(title: "Unauthorized", detail: $"The callback signature is {check.ToString().ToLowerInvariant()}.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var outcome = await reports.ApplyAsync(callback.ProviderMessageId, callback.MessageStatus, callback.Status, callback.ErrorCode, ct);
        return outcome == ReportOutcome.UnknownMessage && (callback.Timestamp is not { } at || clock.GetUtcNow() - at < RetryWindow)
            ? Results.Problem(title: "Not yet known", detail: "No message has this id yet; call again.", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok();
    }

    private static bool Unknown(ReportOutcome outcome, EventGridNotification e, DateTimeOffset now) =>
        outcome == ReportOutcome.UnknownMessage && (e.EventTime is not { } at || now - at < RetryWindow);

    private static bool SameSecret(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}

/// <summary>The provider callbacks (see <see cref="DeliveryReportsApi"/>): a final status is handed to the message's case.</summary>
public sealed class DeliveryReportsFunctions(
    ApiGate gate,
    DurableCases cases,
    EventGridSettings eventGrid,
    DomesticSmsSettings domestic,
    DeliveryReports reports,
    OptOuts optOuts,
    TimeProvider clock,
    ILogger<DeliveryReports> logger)
{
    [Function("AcsEvents")]
    public Task<IResult> AcsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events/acs")] HttpRequest req, [DurableClient] DurableTaskClient client)
    {
        cases.Use(client);
        return gate.AnonymousAsync(req, (http, ct) => DeliveryReportsApi.AcsAsync(http, eventGrid, reports, optOuts, clock, logger, ct));
    }

    [Function("DomesticSmsEvents")]
    public Task<IResult> DomesticAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events/domestic-sms")] HttpRequest req, [DurableClient] DurableTaskClient client)
    {
        cases.Use(client);
        return gate.AnonymousAsync(req, (http, ct) => DeliveryReportsApi.DomesticAsync(http, domestic, reports, clock, ct));
    }
}
