using System.Text;
using Microsoft.DurableTask.Client;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Notifications.DeliveryReports;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;

namespace PushGov.Functions.Api;

/// <summary>
/// Provider callbacks, anonymous routes that check who is calling themselves:
/// <list type="bullet">
/// <item><c>POST /api/events/acs</c>: Event Grid (EventGridEvent schema), authenticated as <see cref="EventGridWebhookOptions"/>
/// says (a shared secret in a header or <c>?code=</c>, and/or an Entra ID token); with no authentication configured it
/// refuses everything (401) and the app says so at start. The subscription validation handshake is answered <c>{"validationResponse": code}</c>. <c>SMSDeliveryReportReceived</c> and
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

    internal static async Task<IResult> AcsAsync(HttpContext http, EventGridWebhookAuth auth, DeliveryReportHandler reports, OptOuts optOuts, TimeProvider clock, ILogger<DeliveryReportHandler> logger, CancellationToken ct)
    {
        var request = http.Request;
        if (await auth.RefuseAsync(request.Headers[ApiContract.EventGridSecretHeader].ToString(), request.Query["code"].ToString(), request.Headers.Authorization.ToString(), ct) is { } refused)
        {
            return Problems.Result(refused);
        }

        var limit = ApiContract.EventGridEvents.Body!.MaxBytes;
        if (await BoundedBody.ReadAsync(request.Body, request.ContentLength, limit, ct) is not { } bytes)
        {
            return Problems.Result(ApiProblem.TooLarge(limit));
        }

        var body = Encoding.UTF8.GetString(bytes);

        IReadOnlyList<EventGridNotification> events;
        try
        {
            events = EventGridParser.Parse(body);
        }
        catch (FormatException e)
        {
            return Problems.Result(ApiProblem.Malformed("$", "Not an Event Grid delivery: " + e.Message));
        }

        var retry = false;
        var now = clock.GetUtcNow();
        foreach (var e in events)
        {
            switch (e)
            {
                case SubscriptionValidation v:
                    logger.LogInformation("Event Grid subscription validation {Id}", v.Id);
                    return Results.Text(EventGridParser.ValidationResponse(v.ValidationCode), MediaType.Json, Encoding.UTF8);
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
            : Results.Json(new ApiContract.EventGridAnswer(null));
    }

    internal static async Task<IResult> DomesticAsync(HttpContext http, DomesticSmsSettings settings, DeliveryReportHandler reports, TimeProvider clock, CancellationToken ct)
    {
        if (settings.Secret is not { } secret)
        {
            return Results.Problem(title: "Not configured", detail: "No domestic SMS provider is configured.", statusCode: StatusCodes.Status404NotFound);
        }

        var limit = ApiContract.DomesticSmsCallback.Body!.MaxBytes;
        if (await BoundedBody.ReadAsync(http.Request.Body, http.Request.ContentLength, limit, ct) is not { } raw)
        {
            return Problems.Result(ApiProblem.TooLarge(limit));
        }

        var check = DomesticSmsCallback.TryRead(raw, http.Request.Headers[DomesticSmsSignature.HeaderName].ToString(), secret, clock.GetUtcNow(), out var callback);
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
}

/// <summary>Provider callbacks as HTTP functions: they hand delivery reports and opt-outs to cases, so they bind the Durable client.</summary>
public sealed class DeliveryReportsFunctions(ApiGate gate, EventGridWebhookAuth auth, DomesticSmsSettings domestic, DeliveryReportHandler reports, OptOuts optOuts, TimeProvider clock, ILogger<DeliveryReportHandler> logger, DurableCases cases)
{
    [Function("PostEventGridEvents")]
    public Task<IResult> PostEventGridEvents([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events/acs")] HttpRequest req, [DurableClient] DurableTaskClient client)
    {
        cases.Use(client);
        return gate.RunAsync(req, ApiContract.EventGridEvents, null, (http, ct) => DeliveryReportsApi.AcsAsync(http, auth, reports, optOuts, clock, logger, ct));
    }

    [Function("PostDomesticSmsCallback")]
    public Task<IResult> PostDomesticSmsCallback([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events/domestic-sms")] HttpRequest req, [DurableClient] DurableTaskClient client)
    {
        cases.Use(client);
        return gate.RunAsync(req, ApiContract.DomesticSmsCallback, null, (http, ct) => DeliveryReportsApi.DomesticAsync(http, domestic, reports, clock, ct));
    }
}
