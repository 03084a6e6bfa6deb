using PushGov.Domain.Messaging;
using PushGov.Infrastructure.Messaging;

namespace PushGov.Functions.Api;

/// <summary>
/// What the development sink recorded: the messages PushGov would have sent (locally and for test keys).
/// <code>GET /api/tenants/{tenant}/notifications</code>
/// </summary>
public static class NotificationsApi
{
    public sealed record Notification(string MessageId, string Channel, string To, string? Subject, string Text, string Language, string? TemplateVersion, DateTimeOffset RecordedAt);

    internal static async Task<IResult> ListAsync(string tenant, int? max, bool? reveal, DevSink sink, HttpContext http, CancellationToken ct)
    {
        var entries = await sink.ListAsync(tenant, Math.Clamp(max ?? 500, 1, 5000), ct);

        // Addresses are masked unless an admin asks to see them (they are what a real send would have used).
        var show = reveal == true && ApiPrincipal.From(http).Role == ApiRole.Admin;
        AuditApi.Note(http, detail: $"count={entries.Count} revealed={show}");
        return Results.Ok(entries.Select(e => new Notification(e.MessageId, e.Channel, show ? e.To : Masking.Mask(e.To), e.Subject, e.Text, e.Language, e.TemplateVersion, e.RecordedAt)).ToList());
    }
}

/// <summary>The development sink's route.</summary>
public sealed class NotificationsFunctions(ApiGate gate, DevSink sink)
{
    [Function("ListNotifications")]
    public Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/notifications")] HttpRequest req, string tenant) =>
        gate.RunAsync(req, tenant, new Audit("notifications.read"), CasesApi.Staff, (http, ct) => NotificationsApi.ListAsync(tenant, Query.Int(req, "max"), Query.Bool(req, "reveal"), sink, http, ct));
}
