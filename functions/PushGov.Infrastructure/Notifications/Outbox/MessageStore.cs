using Azure;
using Azure.Data.Tables;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Outbox;

/// <summary>Messages in the <c>messages</c> table (PartitionKey tenant, RowKey message id), ETag-guarded status changes.</summary>
public sealed class MessageStore(StorageClients storage)
{
    private readonly TableClient _table = storage.Table(StorageNames.Tables.Messages);

    /// <summary>Inserts the message unless it exists (ids are deterministic, so a repeat is a no-op). True when inserted.</summary>
    public async Task<bool> TryAddAsync(MessageRecord message, CancellationToken ct)
    {
        try
        {
            await _table.AddEntityAsync(ToEntity(message), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<(MessageRecord Message, ETag ETag)?> GetAsync(string tenant, string messageId, CancellationToken ct)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(tenant, messageId, cancellationToken: ct);
        return response.HasValue && response.Value is { } e ? (FromEntity(e), e.ETag) : null;
    }

    /// <summary>Replaces the message if unchanged since <paramref name="etag"/>; null on conflict.</summary>
    public async Task<ETag?> TryUpdateAsync(MessageRecord message, ETag etag, CancellationToken ct)
    {
        try
        {
            var response = await _table.UpdateEntityAsync(ToEntity(message), etag, TableUpdateMode.Replace, ct);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The message a provider id belongs to. Looks in the <see cref="SendIndex"/> first (one point read); falls back to a
    /// scan of the messages table (cross-partition: only for rows sent before the index existed).
    /// </summary>
    public async Task<MessageRecord?> FindByProviderIdAsync(string providerMessageId, CancellationToken ct)
    {
        if (await new SendIndex(storage).FindProviderIdAsync(providerMessageId, ct) is { } at)
        {
            return (await GetAsync(at.Tenant, at.MessageId, ct))?.Message;
        }

        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"ProviderMessageId eq {providerMessageId}"), maxPerPage: 1, cancellationToken: ct))
        {
            return FromEntity(e);
        }

        return null;
    }

    public async Task<IReadOnlyList<MessageRecord>> ListForCaseAsync(string tenant, string caseId, CancellationToken ct)
    {
        var list = new List<MessageRecord>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and CaseId eq {caseId}"), cancellationToken: ct))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    /// <summary>Every message of a tenant created at or after <paramref name="since"/> (the tenant's partition only), for reports.</summary>
    public async IAsyncEnumerable<MessageRecord> ListCreatedSinceAsync(string tenant, DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and CreatedAt ge {since}"), cancellationToken: ct))
        {
            yield return FromEntity(e);
        }
    }

    /// <summary>Messages waiting in a status since before <paramref name="olderThan"/>: the sweep for stuck 'created'/'sending'.</summary>
    public async Task<IReadOnlyList<MessageRecord>> ListStuckAsync(NotificationStatus status, DateTimeOffset olderThan, int max, CancellationToken ct)
    {
        var list = new List<MessageRecord>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Status eq {status.ToWireName()} and UpdatedAt lt {olderThan}"), cancellationToken: ct))
        {
            list.Add(FromEntity(e));
            if (list.Count >= max)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>Pending messages of one resident on one channel (to cancel them when consent is withdrawn).</summary>
    public async Task<IReadOnlyList<(MessageRecord Message, ETag ETag)>> ListPendingAsync(string tenant, string residentId, Channel channel, CancellationToken ct)
    {
        var list = new List<(MessageRecord, ETag)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and ResidentId eq {residentId} and Channel eq {channel.ToString()}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var m = FromEntity(e);
            if (m.Status.CanSend())
            {
                list.Add((m, e.ETag));
            }
        }

        return list;
    }

    private static TableEntity ToEntity(MessageRecord m)
    {
        var e = new TableEntity(m.Tenant, m.MessageId)
        {
            ["CaseId"] = m.CaseId,
            ["ResidentId"] = m.ResidentId,
            ["Channel"] = m.Channel.ToString(),
            ["Status"] = m.Status.ToWireName(),
            ["Attempts"] = m.Attempts,
            ["Provider"] = m.Provider,
            ["ProviderMessageId"] = m.ProviderMessageId,
            ["NotBefore"] = m.NotBefore,
            ["CreatedAt"] = m.CreatedAt,
            ["UpdatedAt"] = m.UpdatedAt,
            ["ServiceIds"] = string.Join(',', m.ServiceIds),
            ["TestMode"] = m.TestMode,
            ["FirstAttemptAt"] = m.FirstAttemptAt,
            ["PacedFor"] = m.PacedFor,
        };
        EntityPayload.Write(e, "Body", new MessageBody(m.To, m.Language, m.Purpose, m.Subject, m.Text, m.Html, m.TemplateVersion, m.LastError, m.ActionLabel, m.ActionUrl));
        return e;
    }

    private static MessageRecord FromEntity(TableEntity e)
    {
        var body = EntityPayload.Read<MessageBody>(e, "Body") ?? throw new InvalidOperationException($"Message {e.RowKey} has no body.");
        return new MessageRecord
        {
            Tenant = e.PartitionKey,
            MessageId = e.RowKey,
            CaseId = e.GetString("CaseId"),
            ResidentId = e.GetString("ResidentId"),
            Channel = Enum.Parse<Channel>(e.GetString("Channel")),
            To = body.To,
            Language = body.Language,
            ServiceIds = (e.GetString("ServiceIds") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
            Purpose = body.Purpose,
            Subject = body.Subject,
            Text = body.Text,
            Html = body.Html,
            ActionLabel = body.ActionLabel,
            ActionUrl = body.ActionUrl,
            TemplateVersion = body.TemplateVersion,
            Status = NotificationStatuses.ParseWireName(e.GetString("Status")),
            Attempts = e.GetInt32("Attempts") ?? 0,
            Provider = e.GetString("Provider"),
            ProviderMessageId = e.GetString("ProviderMessageId"),
            NotBefore = e.GetDateTimeOffset("NotBefore"),
            LastError = body.LastError,
            TestMode = e.GetBoolean("TestMode") ?? false,
            FirstAttemptAt = e.GetDateTimeOffset("FirstAttemptAt"),
            PacedFor = e.GetDateTimeOffset("PacedFor"),
            CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        };
    }

    /// <summary>The parts of a message kept compressed together (the address and the body are personal data).</summary>
    private sealed record MessageBody(string To, string Language, string Purpose, string? Subject, string Text, string? Html, string TemplateVersion, string? LastError, string? ActionLabel = null, string? ActionUrl = null);
}
