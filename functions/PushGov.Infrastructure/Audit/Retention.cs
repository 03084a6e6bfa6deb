using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Audit;

/// <summary>What one retention run removed for one tenant.</summary>
public sealed record RetentionResult(string Tenant, int MessageBodiesPurged, int SinkRowsDeleted, int CasesDeleted);

/// <summary>
/// Retention per tenant (<see cref="TenantConfig.RetainMessageBodiesDays"/>, <see cref="TenantConfig.RetainCasesYears"/>):
/// message bodies older than the limit lose their address, subject and text (the row and its status stay, for
/// statistics); the development sink's copies are deleted; closed cases older than the limit are deleted with their
/// history and messages. Every purge is audited as <see cref="Actor"/>. Running twice purges nothing twice.
/// </summary>
public sealed class Retention(StorageClients storage, MessageStore messages, AuditLog audit, TimeProvider clock, ILogger<Retention> logger)
{
    public const string Actor = "system:retention";
    public const string Purged = "(purged)";

    private readonly TableClient _messages = storage.Table(StorageNames.Tables.Messages);
    private readonly TableClient _sink = storage.Table(StorageNames.Tables.Sink);
    private readonly TableClient _cases = storage.Table(StorageNames.Tables.Cases);
    private readonly TableClient _history = storage.Table(StorageNames.Tables.CaseHistory);

    public async Task<RetentionResult> RunAsync(TenantConfig tenant, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var bodies = await PurgeBodiesAsync(tenant.Code, now.AddDays(-tenant.RetainMessageBodiesDays), ct);
        var sink = await PurgeSinkAsync(tenant.Code, now.AddDays(-tenant.RetainMessageBodiesDays), ct);
        var cases = await PurgeCasesAsync(tenant.Code, now.AddYears(-tenant.RetainCasesYears), ct);
        if (bodies + sink > 0)
        {
            await audit.AppendAsync(tenant.Code, Actor, "retention.message-bodies", null, null, null, 0, $"bodies={bodies} sink={sink} olderThanDays={tenant.RetainMessageBodiesDays}", ct);
        }

        logger.LogInformation("Retention: {Bodies} message bodies purged, {Sink} sink rows and {Cases} closed cases deleted", bodies, sink, cases);
        return new RetentionResult(tenant.Code, bodies, sink, cases);
    }

    /// <summary>Final messages created before <paramref name="cutoff"/>: address, subject, text and HTML become "(purged)".</summary>
    private async Task<int> PurgeBodiesAsync(string tenant, DateTimeOffset cutoff, CancellationToken ct)
    {
        var purged = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and CreatedAt lt {cutoff}");
        var ids = new List<string>();
        await foreach (var e in _messages.QueryAsync<TableEntity>(filter, select: ["RowKey", "Status"], cancellationToken: ct))
        {
            if (NotificationStatuses.TryParseWireName(e.GetString("Status"), out var status) && status.IsFinal())
            {
                ids.Add(e.RowKey);
            }
        }

        foreach (var id in ids)
        {
            if (await messages.GetAsync(tenant, id, ct) is not { } found || found.Message.To == Purged)
            {
                continue;
            }

            var m = found.Message;
            var scrubbed = m with { To = Purged, Subject = m.Subject is null ? null : Purged, Text = Purged, Html = m.Html is null ? null : Purged, LastError = null };
            if (await messages.TryUpdateAsync(scrubbed, found.ETag, ct) is not null)
            {
                purged++;
            }
        }

        return purged;
    }

    private async Task<int> PurgeSinkAsync(string tenant, DateTimeOffset cutoff, CancellationToken ct)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and RecordedAt lt {cutoff}");
        var keys = new List<string>();
        await foreach (var e in _sink.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            keys.Add(e.RowKey);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            await _sink.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(tenant, k), ETag.All)), ct);
            deleted += chunk.Length;
        }

        return deleted;
    }

    /// <summary>Closed cases last changed before <paramref name="cutoff"/>: history, messages, then the case row (ETag-guarded).</summary>
    private async Task<int> PurgeCasesAsync(string tenant, DateTimeOffset cutoff, CancellationToken ct)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and State eq {CaseState.Closed.ToString()} and UpdatedAt lt {cutoff}");
        var candidates = new List<TableEntity>();
        await foreach (var e in _cases.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            candidates.Add(e);
        }

        foreach (var e in candidates)
        {
            var data = EntityPayload.Read<CaseData>(e, "Data");
            var residents = data is null ? [] : data.Matches.SelectMany(m => m.RecipientIds).Prepend(data.Event.ResidentId).Distinct(StringComparer.Ordinal).ToList();
            var history = await DeletePartitionAsync(_history, $"{tenant}-{e.RowKey}", ct);
            var sent = await DeleteMessagesAsync(tenant, e.RowKey, ct);
            try
            {
                await _cases.DeleteEntityAsync(tenant, e.RowKey, e.ETag, ct);
            }
            catch (RequestFailedException x) when (x.Status is 404 or 412)
            {
                continue; // gone already, or changed since read (then it is no longer old): the next run decides again
            }

            await audit.AppendAsync(tenant, Actor, "retention.case-deleted", null, e.RowKey, residents, 0, $"history={history} messages={sent}", ct);
            deleted++;
        }

        return deleted;
    }

    private async Task<int> DeleteMessagesAsync(string tenant, string caseId, CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var m in _messages.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and CaseId eq {caseId}"), select: ["RowKey"], cancellationToken: ct))
        {
            keys.Add(m.RowKey);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            await _messages.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(tenant, k), ETag.All)), ct);
        }

        return keys.Count;
    }

    private static async Task<int> DeletePartitionAsync(TableClient table, string partition, CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: ct))
        {
            keys.Add(e.RowKey);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All)), ct);
        }

        return keys.Count;
    }
}
