using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Providers.Line;

/// <summary>The portal's next step of an account link: send the resident's browser to <see cref="RedirectUrl"/>.</summary>
public sealed record LineLinkStart(string RedirectUrl, DateTimeOffset ExpiresAt);

/// <summary>What became of an <c>accountLink</c> event's nonce.</summary>
public enum LineLinkOutcome
{
    Linked,
    UnknownNonce,
    Expired,
}

/// <summary>
/// LINE's account link (developers.line.biz/en/docs/messaging-api/linking-accounts/), with the residents' portal as the
/// municipality's site:
/// <list type="number">
/// <item>The LINE user asks to link (follows the account, or taps the link menu): PushGov issues a link token for that
/// user and replies with a button to <c>{portal}/line/link?linkToken=…</c> (<see cref="LineWebhook"/>).</item>
/// <item>The portal makes the resident prove who they are (their signed case link, or the municipality's sign-in), then
/// calls <see cref="StartAsync"/> (<c>POST /api/tenants/{tenant}/residents/{id}/line-link {linkToken}</c>): a random
/// nonce is stored for that resident for <see cref="NonceLifetime"/>, and the portal redirects the browser to LINE's
/// <c>https://access.line.me/dialog/bot/accountLink?linkToken=…&amp;nonce=…</c>.</item>
/// <item>LINE sends the <c>accountLink</c> webhook event with result ok and the nonce: <see cref="CompleteAsync"/> (once)
/// records the LINE user id as the resident's LINE address with consent, time and source <see cref="LinkSource"/>,
/// like any other channel's consent, and indexes the user id for <c>unfollow</c>.</item>
/// </list>
/// Rows in the <c>sendindex</c> table: nonce <c>ln|{nonce}</c> (tenant, resident, expiry); LINE user <c>lu|{tenant}|{userId}</c>,
/// RowKey the resident id (one LINE user may be linked to more than one resident, e.g. a parent for a child).
/// </summary>
public sealed class LineAccountLinks(StorageClients storage, ResidentStore residents, TimeProvider clock, ILogger<LineAccountLinks> logger)
{
    public const string LinkSource = "line-link";

    /// <summary>As long as LINE's link token lives.</summary>
    public static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(10);

    public const string AccountLinkDialog = "https://access.line.me/dialog/bot/accountLink";

    private readonly TableClient _table = storage.Table(StorageNames.Tables.SendIndex);

    /// <summary>Stores a fresh nonce for the resident and returns LINE's account-link URL.</summary>
    public async Task<LineLinkStart> StartAsync(string tenant, string residentId, string linkToken, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(linkToken);

        // 128 random bits, base64url: unguessable, and only characters a row key and a query may hold.
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = clock.GetUtcNow() + NonceLifetime;
        await _table.AddEntityAsync(new TableEntity(NoncePartition(nonce), string.Empty) { ["Tenant"] = tenant, ["ResidentId"] = residentId, ["ExpiresAt"] = expires }, ct);
        var url = $"{AccountLinkDialog}?linkToken={Uri.EscapeDataString(linkToken)}&nonce={Uri.EscapeDataString(nonce)}";
        return new LineLinkStart(url, expires);
    }

    /// <summary>
    /// Completes a link for the LINE user whose <c>accountLink</c> event carried <paramref name="nonce"/>. The nonce is used
    /// once (deleted with an ETag, so two deliveries cannot both use it) and only within its tenant and lifetime.
    /// </summary>
    public async Task<LineLinkOutcome> CompleteAsync(string tenant, string nonce, string userId, CancellationToken ct)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(NoncePartition(nonce), string.Empty, cancellationToken: ct);
        if (!found.HasValue || found.Value is not { } row || row.GetString("Tenant") != tenant || row.GetString("ResidentId") is not { } residentId)
        {
            return LineLinkOutcome.UnknownNonce;
        }

        try
        {
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return LineLinkOutcome.UnknownNonce;
        }

        var now = clock.GetUtcNow();
        if (row.GetDateTimeOffset("ExpiresAt") is not { } expires || expires < now)
        {
            return LineLinkOutcome.Expired;
        }

        var language = (await residents.ContactsAsync(tenant, residentId, ct))
            .OrderByDescending(c => c.ConsentedAt)
            .Select(c => c.Language)
            .FirstOrDefault(l => !string.IsNullOrEmpty(l));
        await _table.UpsertEntityAsync(new TableEntity(UserPartition(tenant, userId), residentId) { ["LinkedAt"] = now }, TableUpdateMode.Replace, ct);
        await residents.WriteContactsAsync(tenant, [new ContactRecord(residentId, Channel.Line, userId, language, Consent: true, now, LinkSource)], ct);
        logger.LogInformation("LINE account linked for a resident of {Tenant}", tenant);
        return LineLinkOutcome.Linked;
    }

    /// <summary>The residents a LINE user is linked to in a tenant.</summary>
    public async Task<IReadOnlyList<string>> ResidentsOfAsync(string tenant, string userId, CancellationToken ct)
    {
        var list = new List<string>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {UserPartition(tenant, userId)}"), select: ["RowKey"], cancellationToken: ct))
        {
            list.Add(e.RowKey);
        }

        return list;
    }

    private static string NoncePartition(string nonce) => "ln|" + nonce;

    /// <summary>LINE user ids are "U" and 32 hex digits; anything a key may not hold is replaced, never trusted.</summary>
    private static string UserPartition(string tenant, string userId) =>
        $"lu|{tenant}|" + string.Concat(userId.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
}
