using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Outbox;

/// <summary>
/// The lookups the callbacks of the providers need, as point reads in the <c>sendindex</c> table (no scan of every tenant):
/// <list type="bullet">
/// <item><b>provider id → message</b>: PartitionKey <c>p|{provider message id}</c> (hashed when it holds characters a key
/// may not), RowKey empty; written when a provider accepts a message. A delivery report names only the provider's id.</item>
/// <item><b>phone → residents who got an SMS from us</b>: PartitionKey <c>t|{SHA-256 of the E.164 number}</c>, RowKey
/// <c>{tenant}|{residentId}</c>; written when an SMS is sent. An inbound SMS (STOP, 配信停止) names only the phone: the
/// partition lists exactly the residents (in any tenant) we sent that number an SMS, so opt-out reads one partition.
/// The number is hashed, not stored: a pseudonym, not protection (phone numbers can be enumerated), like every other
/// row of this storage account it is personal data.</item>
/// </list>
/// </summary>
public sealed class SendIndex(StorageClients storage)
{
    private readonly TableClient _table = storage.Table(StorageNames.Tables.SendIndex);

    public Task RecordProviderIdAsync(string providerMessageId, string tenant, string messageId, CancellationToken ct) =>
        _table.UpsertEntityAsync(
            new TableEntity(ProviderPartition(providerMessageId), string.Empty) { ["Tenant"] = tenant, ["MessageId"] = messageId },
            TableUpdateMode.Replace,
            ct);

    public async Task<(string Tenant, string MessageId)?> FindProviderIdAsync(string providerMessageId, CancellationToken ct)
    {
        var e = await _table.GetEntityIfExistsAsync<TableEntity>(ProviderPartition(providerMessageId), string.Empty, cancellationToken: ct);
        return e.HasValue && e.Value is { } row && row.GetString("Tenant") is { } tenant && row.GetString("MessageId") is { } id ? (tenant, id) : null;
    }

    /// <summary>Message id → tenant, for the one-click unsubscribe URL (which carries the message id only).</summary>
    public Task RecordMessageAsync(string messageId, string tenant, CancellationToken ct) =>
        _table.UpsertEntityAsync(new TableEntity("m|" + Safe(messageId), string.Empty) { ["Tenant"] = tenant, ["MessageId"] = messageId }, TableUpdateMode.Replace, ct);

    public async Task<string?> TenantOfMessageAsync(string messageId, CancellationToken ct)
    {
        var e = await _table.GetEntityIfExistsAsync<TableEntity>("m|" + Safe(messageId), string.Empty, cancellationToken: ct);
        return e.HasValue && e.Value is { } row && row.GetString("MessageId") == messageId ? row.GetString("Tenant") : null;
    }

    public Task RecordSmsRecipientAsync(string phone, string tenant, string residentId, string messageId, DateTimeOffset at, CancellationToken ct) =>
        _table.UpsertEntityAsync(
            new TableEntity(PhonePartition(phone), $"{tenant}|{residentId}") { ["Tenant"] = tenant, ["ResidentId"] = residentId, ["LastMessageId"] = messageId, ["LastSentAt"] = at },
            TableUpdateMode.Replace,
            ct);

    /// <summary>Every (tenant, resident) we have sent an SMS to this number.</summary>
    public async Task<IReadOnlyList<(string Tenant, string ResidentId)>> SmsRecipientsAsync(string phone, CancellationToken ct)
    {
        var list = new List<(string, string)>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PhonePartition(phone)}"), cancellationToken: ct))
        {
            if (e.GetString("Tenant") is { } tenant && e.GetString("ResidentId") is { } resident)
            {
                list.Add((tenant, resident));
            }
        }

        return list;
    }

    /// <summary>"+81 90-1234-5678" and "+819012345678" are one number.</summary>
    public static string NormalizePhone(string phone) =>
        string.Concat(phone.Where(c => c is not (' ' or '-' or '.' or '(' or ')'))).Trim();

    internal static string PhonePartition(string phone) =>
        "t|" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("pushgov/sms-reply/" + NormalizePhone(phone))));

    internal static string ProviderPartition(string providerMessageId) => "p|" + Safe(providerMessageId);

    /// <summary>The value itself when a table key may hold it, else "h" + its SHA-256.</summary>
    private static string Safe(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var safe = value.Length <= 200 && !value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        return safe ? value : "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}
