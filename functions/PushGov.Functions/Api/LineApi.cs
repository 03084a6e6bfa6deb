using Microsoft.DurableTask.Client;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Notifications.Providers.Line;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Api;

/// <summary>
/// LINE routes, thin (the logic is in Infrastructure/Notifications/Providers/Line):
/// <list type="bullet">
/// <item><c>POST /api/tenants/{tenant}/events/line</c>: LINE's webhook, anonymous; <see cref="LineWebhook"/> checks
/// <c>X-Line-Signature</c> first (401 when missing or wrong, 404 when the tenant has no LINE channel).</item>
/// <item><c>POST /api/tenants/{tenant}/residents/{residentId}/line-link</c> <c>{linkToken}</c>: the residents' portal, after the
/// resident proved who they are, gets LINE's account-link URL with a fresh nonce (<see cref="LineAccountLinks"/>).</item>
/// <item><c>GET /api/tenants/{tenant}/line/quota?refresh</c>: the month's LINE quota for the staff dashboard (<see cref="LineQuota"/>).</item>
/// </list>
/// </summary>
public static class LineApi
{
    public sealed record LineLinkRequest(string? LinkToken);

    /// <summary>The webhook's answer: events handled, and how many of them were repeated deliveries.</summary>
    public sealed record LineWebhookAnswer(int Handled, int Repeated);

    internal static async Task<IResult> WebhookAsync(string tenant, HttpContext http, LineWebhook webhook, CancellationToken ct)
    {
        var limit = ApiContract.LineWebhook.Body!.MaxBytes;
        if (await BoundedBody.ReadAsync(http.Request.Body, http.Request.ContentLength, limit, ct) is not { } bytes)
        {
            return Problems.Result(ApiProblem.TooLarge(limit));
        }

        var result = await webhook.HandleAsync(tenant, bytes, http.Request.Headers[LineSignature.HeaderName].ToString(), ct);
        return result.Status switch
        {
            LineWebhookStatus.Processed => Results.Ok(new LineWebhookAnswer(result.Handled, result.Repeated)),
            LineWebhookStatus.BadSignature => Results.Problem(title: "Unauthorized", detail: "X-Line-Signature is missing or wrong.", statusCode: StatusCodes.Status401Unauthorized),
            LineWebhookStatus.NotConfigured => Problems.NotFound("LINE channel of tenant", tenant),
            _ => Problems.Result(ApiProblem.Malformed("$", "Not a LINE webhook body.")),
        };
    }

    internal static async Task<IResult> LinkAsync(string tenant, string residentId, HttpContext http, LineAccountLinks links, ResidentStore residents, CancellationToken ct)
    {
        if (!Problems.IsSafeId(residentId))
        {
            return Problems.NotFound("resident", residentId);
        }

        var (body, problem) = await Problems.ReadJsonAsync<LineLinkRequest>(http, ApiContract.LineLink, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.LinkToken is not { } token || !ApiPatterns.IsId(token))
        {
            return Problems.Validation(("linkToken", "The linkToken LINE gave the portal (letters, digits and -_.:, at most 128)."));
        }

        if (await residents.HouseholdOfAsync(tenant, residentId, ct) is null)
        {
            return Problems.NotFound("resident", residentId);
        }

        AuditApi.Note(http, residentIds: [residentId]);
        return Results.Ok(await links.StartAsync(tenant, residentId, token, ct));
    }

    internal static async Task<IResult> QuotaAsync(string tenant, HttpContext http, TenantDirectory tenants, LineQuota quota, CancellationToken ct)
    {
        var query = Problems.Query(http, ApiContract.LineQuota);
        var refresh = query.Bool("refresh");
        if (query.Problem is { } invalid)
        {
            return Problems.Result(invalid);
        }

        return await tenants.FindAsync(tenant, ct) is { } config
            ? Results.Ok(await quota.StateAsync(config, refresh == true, ct))
            : Problems.NotFound("tenant", tenant);
    }
}

/// <summary>The LINE routes as HTTP functions; the webhook's unfollow withdraws consent through the cases, so it binds the Durable client.</summary>
public sealed class LineFunctions(ApiGate gate, LineWebhook webhook, LineAccountLinks links, ResidentStore residents, TenantDirectory tenants, LineQuota quota, DurableCases cases)
{
    [Function("PostLineWebhook")]
    public Task<IResult> PostLineWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/events/line")] HttpRequest req, string tenant, [DurableClient] DurableTaskClient client)
    {
        cases.Use(client);
        return gate.RunAsync(req, ApiContract.LineWebhook, new { tenant }, (http, ct) => LineApi.WebhookAsync(tenant, http, webhook, ct));
    }

    [Function("StartLineLink")]
    public Task<IResult> StartLineLink([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/residents/{residentId}/line-link")] HttpRequest req, string tenant, string residentId) =>
        gate.RunAsync(req, ApiContract.LineLink, new { tenant, residentId }, (http, ct) => LineApi.LinkAsync(tenant, residentId, http, links, residents, ct));

    [Function("GetLineQuota")]
    public Task<IResult> GetLineQuota([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/line/quota")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.LineQuota, new { tenant }, (http, ct) => LineApi.QuotaAsync(tenant, http, tenants, quota, ct));
}
