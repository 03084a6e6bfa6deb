using PushGov.Infrastructure.Line;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Api;

/// <summary>
/// LINE routes, thin (the logic is in Infrastructure/Line):
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
    /// <summary>A webhook body larger than this is not LINE's (it sends small batches of events).</summary>
    private const int MaxWebhookBytes = 1024 * 1024;

    public sealed record LineLinkRequest(string? LinkToken);

    public static RouteGroupBuilder MapLineApi(this RouteGroupBuilder tenants)
    {
        tenants.MapPost("/{tenant}/events/line", WebhookAsync).WithTags("LINE").AllowAnonymous().DisableAntiforgery();
        tenants.MapPost("/{tenant}/residents/{residentId}/line-link", LinkAsync).WithTags("LINE").RequireRole(ApiRole.ResidentPortal).Audited("line.link")
            .Accepts<LineLinkRequest>("application/json").Produces<LineLinkStart>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapGet("/{tenant}/line/quota", QuotaAsync).WithTags("LINE").RequireRole(ApiRole.Staff).Audited("line.quota.read")
            .Produces<LineQuotaState>().ProducesProblem(StatusCodes.Status404NotFound);
        return tenants;
    }

    private static async Task<IResult> WebhookAsync(string tenant, HttpContext http, LineWebhook webhook, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxWebhookBytes)
            {
                return Problems.TooLarge(MaxWebhookBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        var result = await webhook.HandleAsync(tenant, buffer.ToArray(), http.Request.Headers[LineSignature.HeaderName].ToString(), ct);
        return result.Status switch
        {
            LineWebhookStatus.Processed => Results.Ok(new { handled = result.Handled, repeated = result.Repeated }),
            LineWebhookStatus.BadSignature => Results.Problem(title: "Unauthorized", detail: "X-Line-Signature is missing or wrong.", statusCode: StatusCodes.Status401Unauthorized),
            LineWebhookStatus.NotConfigured => Problems.NotFound("LINE channel of tenant", tenant),
            _ => Results.Problem(title: "Bad request", detail: "Not a LINE webhook body.", statusCode: StatusCodes.Status400BadRequest),
        };
    }

    private static async Task<IResult> LinkAsync(string tenant, string residentId, HttpContext http, LineAccountLinks links, ResidentStore residents, CancellationToken ct)
    {
        if (!Problems.IsSafeId(residentId))
        {
            return Problems.NotFound("resident", residentId);
        }

        var (body, problem) = await Problems.ReadJsonAsync<LineLinkRequest>(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.LinkToken is not { Length: > 0 and <= 200 } token || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~'))
        {
            return Problems.Validation(("linkToken", "The linkToken LINE gave the portal (letters, digits, -_.~; at most 200)."));
        }

        if (await residents.HouseholdOfAsync(tenant, residentId, ct) is null)
        {
            return Problems.NotFound("resident", residentId);
        }

        AuditApi.Note(http, residentIds: [residentId]);
        return Results.Ok(await links.StartAsync(tenant, residentId, token, ct));
    }

    private static async Task<IResult> QuotaAsync(string tenant, bool? refresh, TenantDirectory tenants, LineQuota quota, CancellationToken ct) =>
        await tenants.FindAsync(tenant, ct) is { } config
            ? Results.Ok(await quota.StateAsync(config, refresh == true, ct))
            : Problems.NotFound("tenant", tenant);
}
