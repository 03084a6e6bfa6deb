using Azure;
using Azure.Data.Tables;
using PushGov.Domain.Cases;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Cases;

/// <summary>A case as loaded: its state, the commands still in its outbox, and the ETag that guards the next write.</summary>
public sealed record StoredCase(CaseData Data, IReadOnlyList<CaseCommand> Outbox, ETag ETag);

/// <summary>
/// Cases in the <c>cases</c> table (PartitionKey tenant, RowKey case id), every write guarded by the ETag.
/// The outbox is written in the same entity as the state, so "state saved" and "effects owed" are one write.
/// History goes to <c>casehistory</c> (PartitionKey <c>{tenant}-{caseId}</c>, RowKey the zero-padded version).
/// Searchable columns (State, Kind, ServiceIds, Deadline, …) sit beside the compressed document for list queries.
/// </summary>
public sealed class CaseStore(StorageClients storage) : ICaseReader
{
    private readonly TableClient _cases = storage.Table(StorageNames.Tables.Cases);
    private readonly TableClient _history = storage.Table(StorageNames.Tables.CaseHistory);

    public async Task<StoredCase?> GetAsync(string tenant, string caseId, CancellationToken ct)
    {
        var response = await _cases.GetEntityIfExistsAsync<TableEntity>(tenant, caseId, cancellationToken: ct);
        return response.HasValue && response.Value is { } entity ? FromEntity(entity) : null;
    }

    async Task<CaseData?> ICaseReader.GetAsync(string tenant, string caseId, CancellationToken ct) => (await GetAsync(tenant, caseId, ct))?.Data;

    /// <summary>Inserts a new case with its outbox; its ETag, or null when a case with that id exists already (starting twice is harmless).</summary>
    public async Task<ETag?> TryCreateAsync(CaseData data, IReadOnlyList<CaseCommand> outbox, CancellationToken ct)
    {
        try
        {
            var response = await _cases.AddEntityAsync(ToEntity(data, outbox), ct);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Builds the entity for a batch insert (ingest creates many cases of one tenant in one transaction).</summary>
    public static TableEntity NewEntity(CaseData data, IReadOnlyList<CaseCommand> outbox) => ToEntity(data, outbox);

    /// <summary>Replaces the case if nobody changed it since <paramref name="etag"/>; null on a concurrency conflict.</summary>
    public async Task<ETag?> TrySaveAsync(CaseData data, IReadOnlyList<CaseCommand> outbox, ETag etag, CancellationToken ct)
    {
        try
        {
            var response = await _cases.UpdateEntityAsync(ToEntity(data, outbox), etag, TableUpdateMode.Replace, ct);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409)
        {
            return null;
        }
    }

    public async Task AppendHistoryAsync(string tenant, string caseId, IReadOnlyList<HistoryEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var partition = $"{tenant}-{caseId}";
        var actions = entries.DistinctBy(e => e.Version).Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, e.Version.ToString("D6"))
        {
            ["At"] = e.At,
            ["From"] = e.From.ToString(),
            ["To"] = e.To.ToString(),
            ["Cause"] = e.Cause,
            ["Actor"] = e.Actor,
            ["Detail"] = e.Detail,
        }));
        foreach (var chunk in actions.Chunk(100))
        {
            await _history.SubmitTransactionAsync(chunk, ct);
        }
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string tenant, string caseId, CancellationToken ct)
    {
        var list = new List<HistoryEntry>();
        await foreach (var e in _history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant + "-" + caseId}"), cancellationToken: ct))
        {
            list.Add(new HistoryEntry(
                int.Parse(e.RowKey),
                e.GetDateTimeOffset("At") ?? default,
                Enum.Parse<CaseState>(e.GetString("From")),
                Enum.Parse<CaseState>(e.GetString("To")),
                e.GetString("Cause"),
                e.GetString("Actor"),
                e.GetString("Detail")));
        }

        return list;
    }

    /// <summary>Cases of a tenant, newest filters first; paged with an opaque continuation token.</summary>
    public async Task<(IReadOnlyList<CaseData> Cases, string? ContinuationToken)> ListAsync(string tenant, CaseQuery query, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant}");
        if (query.State is { } state)
        {
            filter += " and " + TableClient.CreateQueryFilter($"State eq {state.ToString()}");
        }

        if (query.From is { } from)
        {
            filter += " and " + TableClient.CreateQueryFilter($"EventDate ge {from.ToString("yyyy-MM-dd")}");
        }

        if (query.To is { } to)
        {
            filter += " and " + TableClient.CreateQueryFilter($"EventDate le {to.ToString("yyyy-MM-dd")}");
        }

        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        var cases = new List<CaseData>();
        string? token = query.ContinuationToken;
        await foreach (var page in _cases.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: ct).AsPages(token, pageSize))
        {
            foreach (var e in page.Values)
            {
                var data = FromEntity(e).Data;
                if (query.Service is null || data.Matches.Any(m => m.ServiceId == query.Service))
                {
                    cases.Add(data);
                }
            }

            token = page.ContinuationToken;
            break;
        }

        return (cases, token);
    }

    /// <summary>Cases whose outbox was not emptied (a crash between "state saved" and "effects sent"), for the sweep.</summary>
    public async IAsyncEnumerable<(string Tenant, string CaseId)> WithStaleOutboxAsync(DateTimeOffset olderThan, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"HasOutbox eq {true} and Timestamp lt {olderThan}");
        await foreach (var e in _cases.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            yield return (e.PartitionKey, e.RowKey);
        }
    }

    private static TableEntity ToEntity(CaseData data, IReadOnlyList<CaseCommand> outbox)
    {
        var entity = new TableEntity(data.Tenant, data.CaseId)
        {
            ["State"] = data.State.ToString(),
            ["Outcome"] = data.Outcome.ToString(),
            ["Kind"] = data.Event.Kind.ToString(),
            ["EventDate"] = data.Event.EventDate.ToString("yyyy-MM-dd"),
            ["Deadline"] = data.EarliestDeadline?.ToString("yyyy-MM-dd"),
            ["ServiceIds"] = string.Join(',', data.Matches.Select(m => m.ServiceId)),
            ["EscalationReason"] = data.EscalationReason,
            ["AssignedTo"] = data.AssignedTo,
            ["Version"] = data.Version,
            ["HasOutbox"] = outbox.Count > 0,
            ["UpdatedAt"] = data.UpdatedAt,
        };
        EntityPayload.Write(entity, "Data", data);
        EntityPayload.Write(entity, "Outbox", outbox);
        return entity;
    }

    private static StoredCase FromEntity(TableEntity entity) =>
        new(EntityPayload.Read<CaseData>(entity, "Data") ?? throw new InvalidOperationException($"Case {entity.RowKey} has no data."),
            EntityPayload.Read<List<CaseCommand>>(entity, "Outbox") ?? [],
            entity.ETag);
}

public sealed record CaseQuery(CaseState? State = null, string? Service = null, DateOnly? From = null, DateOnly? To = null, string? ContinuationToken = null, int PageSize = 50);
