using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Infrastructure.Notifications.Providers.Line;

/// <summary>How a webhook request ended: the route answers 200, 401, 404 or 400.</summary>
public enum LineWebhookStatus
{
    Processed,
    BadSignature,
    NotConfigured,
    Malformed,
}

/// <summary>The outcome of one webhook request: events handled, and events skipped as redeliveries.</summary>
public sealed record LineWebhookResult(LineWebhookStatus Status, int Handled = 0, int Repeated = 0);

/// <summary>
/// The tenant's LINE webhook (<c>POST /api/tenants/{tenant}/events/line</c>). The <c>X-Line-Signature</c> is checked over
/// the raw body with the tenant's channel secret before anything else is read; a missing or wrong one changes nothing.
/// Each event is taken once: its <c>webhookEventId</c> is inserted (insert-if-absent) in the <c>sendindex</c> table
/// (PartitionKey <c>lw|{tenant}</c>) before it is handled, so a redelivery changes nothing (and the row is removed again
/// if handling fails, so LINE's redelivery can try again). Events:
/// <list type="bullet">
/// <item><c>accountLink</c> with result ok: completes the link of its nonce (<see cref="LineAccountLinks"/>): LINE consent.</item>
/// <item><c>unfollow</c> (the user blocked the account): LINE consent of every linked resident withdrawn at once, their
/// pending LINE messages cancelled (<see cref="OptOuts.UnfollowLineAsync"/>).</item>
/// <item><c>follow</c>, or a <c>postback</c> with data <see cref="LinkPostback"/> (a rich-menu button): a link token is issued
/// and the reply invites the user to link on the portal. Following consents to nothing.</item>
/// </list>
/// Other events are acknowledged and ignored.
/// </summary>
public sealed class LineWebhook(
    LineOptions options,
    StorageClients storage,
    LineAccountLinks links,
    OptOuts optOuts,
    LineClient client,
    TenantDirectory tenants,
    TimeProvider clock,
    ILogger<LineWebhook> logger)
{
    /// <summary>Postback data of a "link my account" menu button.</summary>
    public const string LinkPostback = "pushgov:link";

    private readonly TableClient _table = storage.Table(StorageNames.Tables.SendIndex);

    public async Task<LineWebhookResult> HandleAsync(string tenant, byte[] body, string? signature, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (options.For(tenant) is not { } channel)
        {
            return new LineWebhookResult(LineWebhookStatus.NotConfigured);
        }

        if (!LineSignature.IsValid(channel.ChannelSecret!, body, signature))
        {
            logger.LogWarning("LINE webhook for {Tenant} refused: bad or missing signature", tenant);
            return new LineWebhookResult(LineWebhookStatus.BadSignature);
        }

        JsonArray events;
        try
        {
            events = JsonNode.Parse(body)?["events"] as JsonArray ?? throw new JsonException("no events");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new LineWebhookResult(LineWebhookStatus.Malformed);
        }

        var handled = 0;
        var repeated = 0;
        foreach (var e in events.OfType<JsonObject>())
        {
            var id = Text(e["webhookEventId"]);
            if (id is null || !IsKeySafe(id))
            {
                logger.LogWarning("LINE event without a usable webhookEventId ignored");
                continue;
            }

            if (!await ClaimAsync(tenant, id, Text(e["type"]), ct))
            {
                repeated++;
                continue;
            }

            try
            {
                await HandleEventAsync(tenant, e, ct);
                handled++;
            }
            catch
            {
                await _table.DeleteEntityAsync(Partition(tenant), id, ETag.All, CancellationToken.None);
                throw;
            }
        }

        return new LineWebhookResult(LineWebhookStatus.Processed, handled, repeated);
    }

    private async Task HandleEventAsync(string tenant, JsonObject e, CancellationToken ct)
    {
        var type = Text(e["type"]);
        var userId = Text(e["source"]?["userId"]);
        if (userId is null)
        {
            logger.LogInformation("LINE {Type} event without a user ignored", type);
            return;
        }

        switch (type)
        {
            case "accountLink":
                var result = Text(e["link"]?["result"]);
                var nonce = Text(e["link"]?["nonce"]);
                if (result == "ok" && nonce is not null && IsKeySafe(nonce))
                {
                    var outcome = await links.CompleteAsync(tenant, nonce, userId, ct);
                    logger.LogInformation("LINE account link in {Tenant}: {Outcome}", tenant, outcome);
                }
                else
                {
                    logger.LogInformation("LINE account link in {Tenant} not completed (result {Result})", tenant, result ?? "(none)");
                }

                break;
            case "unfollow":
                var residents = await links.ResidentsOfAsync(tenant, userId, ct);
                await optOuts.UnfollowLineAsync(tenant, residents, userId, ct);
                logger.LogInformation("LINE unfollow in {Tenant}: consent withdrawn for {Count} residents", tenant, residents.Count);
                break;
            case "follow":
            case "postback" when Text(e["postback"]?["data"]) == LinkPostback:
                if (Text(e["replyToken"]) is { } replyToken)
                {
                    await InviteToLinkAsync(tenant, userId, replyToken, ct);
                }

                break;
            default:
                logger.LogInformation("LINE {Type} event acknowledged", type);
                break;
        }
    }

    /// <summary>Issues a link token and replies with a button to the portal's link page (Japanese, with English).</summary>
    private async Task InviteToLinkAsync(string tenant, string userId, string replyToken, CancellationToken ct)
    {
        var config = await tenants.FindAsync(tenant, ct);
        if (config is null)
        {
            return;
        }

        try
        {
            var token = await client.IssueLinkTokenAsync(tenant, userId, ct);
            var url = $"{config.PortalBaseUrl.TrimEnd('/')}/line/link?linkToken={Uri.EscapeDataString(token)}";
            var text = $"{config.Name}の公式アカウントです。手続きのお知らせをLINEで受け取るには、下のボタンから本人確認をしてアカウントを連携してください。\nTo get notices from {config.Name} on LINE, link your account with the button below.";
            var reply = await client.ReplyAsync(
                tenant,
                replyToken,
                LineSender.Messages(new Domain.Messaging.OutgoingMessage
                {
                    Tenant = tenant,
                    MessageId = "link-invitation",
                    IdempotencyKey = "link-invitation",
                    Channel = Domain.Residents.Channel.Line,
                    To = userId,
                    TextBody = text,
                    ActionLabel = "連携する / Link",
                    ActionUrl = url,
                }),
                ct);
            logger.LogInformation("LINE link invitation in {Tenant}: HTTP {Status}", tenant, reply.Status);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The user can ask again (menu button); the event itself is taken.
            logger.LogWarning("LINE link invitation in {Tenant} failed ({Error})", tenant, ex.GetType().Name);
        }
    }

    /// <summary>Inserts the event's row; false when it was there already (a redelivery).</summary>
    private async Task<bool> ClaimAsync(string tenant, string eventId, string? type, CancellationToken ct)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(Partition(tenant), eventId) { ["Type"] = type, ["ReceivedAt"] = clock.GetUtcNow() }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    private static string Partition(string tenant) => "lw|" + tenant;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    /// <summary>Ids and nonces become row keys: letters, digits, '-' and '_' only, at most 255.</summary>
    private static bool IsKeySafe(string value) => value.Length <= 255 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
