using PushGov.Domain.Messaging;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Notifications.Providers.Development;

namespace PushGov.Functions.Api;

/// <summary>
/// What the development sink recorded: the messages PushGov would have sent (locally and for test keys).
/// <code>GET /api/tenants/{tenant}/notifications</code>
/// </summary>
public static class NotificationsApi
{
    public sealed record Notification(string MessageId, string Channel, string To, string? Subject, string Text, string Language, string? TemplateVersion, DateTimeOffset RecordedAt);

    internal static async Task<IResult> ListAsync(string tenant, DevSink sink, HttpContext http, CancellationToken ct)
    {
        var query = Problems.Query(http, ApiContract.Notifications);
        var (max, reveal) = (query.Int("max"), query.Bool("reveal"));
        if (query.Problem is { } invalid)
        {
            return Problems.Result(invalid);
        }

        // Addresses are masked unless a caller with the permission asks to see them (they are what a real send would have used).
        var show = reveal == true;
        if (show && !ApiPrincipal.From(http).Allows(ApiPermission.RevealAddresses))
        {
            return Problems.Forbidden($"reveal=true needs the {ApiPermission.RevealAddresses} permission (roles {string.Join(", ", ApiPermissions.RolesWith(ApiPermission.RevealAddresses))}).");
        }

        var entries = await sink.ListAsync(tenant, max ?? 500, ct);
        AuditApi.Note(http, detail: $"count={entries.Count} revealed={show}");
        return Results.Ok(entries.Select(e => new Notification(e.MessageId, e.Channel, show ? e.To : Masking.Mask(e.To), e.Subject, e.Text, e.Language, e.TemplateVersion, e.RecordedAt)).ToList());
    }
}

/// <summary>The development sink's record as an HTTP function.</summary>
public sealed class NotificationsFunctions(ApiGate gate, DevSink sink)
{
    [Function("ListNotifications")]
    public Task<IResult> ListNotifications([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/notifications")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, ApiContract.Notifications, new { tenant }, (http, ct) => NotificationsApi.ListAsync(tenant, sink, http, ct));
}
