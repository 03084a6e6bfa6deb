using Azure;
using Azure.Data.Tables;
using PushGov.Domain.Cases;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Cases;

/// <summary>
/// The projection of cases the staff API reads (never orchestration history): the <c>cases</c> table (PartitionKey
/// tenant, RowKey case id) holds each case's state as its orchestration last wrote it, with searchable columns (State,
/// Kind, ServiceIds, Deadline, …) beside the compressed document for list queries. History goes to <c>casehistory</c>
/// (PartitionKey <c>{tenant}-{caseId}</c>, RowKey the zero-padded version).
/// </summary>
public sealed class CaseStore(StorageClients storage) : ICaseReader
{
    private readonly TableClient _cases = storage.Table(StorageNames.Tables.Cases);
    private readonly TableClient _history = storage.Table(StorageNames.Tables.CaseHistory);

    public async Task<CaseData?> GetAsync(string tenant, string caseId, CancellationToken ct)
    {
        var response = await _cases.GetEntityIfExistsAsync<TableEntity>(tenant, caseId, cancellationToken: ct);
        return response.HasValue && response.Value is { } entity ? FromEntity(entity) : null;
    }

    /// <summary>Inserts the case as it starts; false when it exists already (starting twice is harmless).</summary>
    public async Task<bool> TryCreateAsync(CaseData data, CancellationToken ct)
    {
        try
        {
            await _cases.AddEntityAsync(ToEntity(data), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Writes the case's state (only its orchestration writes it, one step after another).</summary>
    public Task SaveAsync(CaseData data, CancellationToken ct) => _cases.UpsertEntityAsync(ToEntity(data), TableUpdateMode.Replace, ct);

    public async Task AppendHistoryAsync(string tenant, string caseId, IReadOnlyList<HistoryEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var actions = entries.DistinctBy(e => e.Version).Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, HistoryEntity(tenant, caseId, e)));
        foreach (var chunk in actions.Chunk(100))
        {
            await _history.SubmitTransactionAsync(chunk, ct);
        }
    }

    /// <summary>
    /// Adds a note to the history under the first version from <paramref name="note"/>'s on that no row has: inserted,
    /// never replaced, so notes written at once on one case each keep their row. Returns the note as stored.
    /// </summary>
    public async Task<HistoryEntry> AddNoteAsync(string tenant, string caseId, HistoryEntry note, CancellationToken ct)
    {
        for (var entry = note; ; entry = entry with { Version = entry.Version + 1 })
        {
            try
            {
                await _history.AddEntityAsync(HistoryEntity(tenant, caseId, entry), ct);
                return entry;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another note took this version a moment ago: the next one.
            }
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

    private static TableEntity HistoryEntity(string tenant, string caseId, HistoryEntry e) => new($"{tenant}-{caseId}", e.Version.ToString("D6"))
    {
        ["At"] = e.At,
        ["From"] = e.From.ToString(),
        ["To"] = e.To.ToString(),
        ["Cause"] = e.Cause,
        ["Actor"] = e.Actor,
        ["Detail"] = e.Detail,
    };

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
                var data = FromEntity(e);
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

    /// <summary>Every case of a tenant written at or after <paramref name="since"/> (the tenant's partition only), for reports.</summary>
    public async IAsyncEnumerable<CaseData> ListWrittenSinceAsync(string tenant, DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and Timestamp ge {since}");
        await foreach (var e in _cases.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            yield return FromEntity(e);
        }
    }

    private static TableEntity ToEntity(CaseData data)
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
            ["UpdatedAt"] = data.UpdatedAt,
        };
        EntityPayload.Write(entity, "Data", data);
        return entity;
    }

    private static CaseData FromEntity(TableEntity entity) =>
        EntityPayload.Read<CaseData>(entity, "Data") ?? throw new InvalidOperationException($"Case {entity.RowKey} has no data.");
}
