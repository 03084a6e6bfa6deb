using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Audit;

/// <summary>
/// One audit row: who (<see cref="Actor"/>) did what (<see cref="Action"/>, on <see cref="Route"/>) to which case and
/// residents, when, and with what result (<see cref="Status"/>, the HTTP status or 0 for a background job).
/// <see cref="Detail"/> never holds personal data (no names, addresses or note texts: counts and ids only).
/// </summary>
public sealed record AuditEntry(
    string Tenant,
    string Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? Route,
    string? CaseId,
    IReadOnlyList<string> ResidentIds,
    int Status,
    string? Detail);

/// <summary>
/// The append-only audit log in the <c>audit</c> table: PartitionKey <c>{tenant}-{yyyyMM}</c> (one partition per tenant and
/// month, so a month's audit is read in one range), RowKey the inverted time (newest first) and a random suffix, so two
/// entries in the same tick never collide. Rows are only ever inserted (never upserted): nothing in PushGov updates or
/// deletes them; retention of the audit itself is the storage account's immutability/lifecycle policy's business.
/// </summary>
public sealed class AuditLog(StorageClients storage, TimeProvider clock)
{
    /// <summary>The longest range one listing may cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    private readonly TableClient _table = storage.Table(StorageNames.Tables.Audit);

    public static string Partition(string tenant, DateTimeOffset at) => $"{tenant}-{at.UtcDateTime:yyyyMM}";

    /// <summary>Inverted ticks, zero-padded (19 digits), so rows sort newest first inside a partition.</summary>
    public static string TimeKey(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19");

    /// <summary>Appends one entry (an insert: it fails rather than overwrite anything).</summary>
    public async Task<AuditEntry> AppendAsync(
        string tenant,
        string actor,
        string action,
        string? route,
        string? caseId,
        IEnumerable<string>? residentIds,
        int status,
        string? detail,
        CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        ArgumentException.ThrowIfNullOrEmpty(action);
        var at = clock.GetUtcNow();
        var id = TimeKey(at) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var residents = (residentIds ?? []).Where(r => !string.IsNullOrEmpty(r)).Distinct(StringComparer.Ordinal).ToList();
        var entry = new AuditEntry(tenant, id, at, actor, action, Limit(route, 1000), Limit(caseId, 200), residents, status, Limit(detail, 1000));
        await _table.AddEntityAsync(
            new TableEntity(Partition(tenant, at), id)
            {
                ["Tenant"] = tenant,
                ["At"] = at,
                ["Actor"] = entry.Actor,
                ["Action"] = entry.Action,
                ["Route"] = entry.Route,
                ["CaseId"] = entry.CaseId,
                ["ResidentIds"] = JsonSerializer.Serialize(residents),
                ["Status"] = status,
                ["Detail"] = entry.Detail,
            },
            ct);
        return entry;
    }

    /// <summary>
    /// Entries of a tenant from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), newest first, a
    /// page at a time. The continuation token is opaque (the month being read and the table's own token).
    /// </summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, string? ContinuationToken)> ListAsync(
        string tenant,
        DateTimeOffset from,
        DateTimeOffset to,
        string? continuationToken,
        int pageSize,
        CancellationToken ct)
    {
        if (to <= from)
        {
            return ([], null);
        }

        pageSize = Math.Clamp(pageSize, 1, 1000);
        var month = MonthStart(to.AddTicks(-1));
        string? tableToken = null;
        if (continuationToken is not null)
        {
            (month, tableToken) = ParseToken(continuationToken) ?? throw new FormatException("The continuation token is not one this API gave.");
        }

        var firstMonth = MonthStart(from);
        var list = new List<AuditEntry>();
        while (month >= firstMonth && list.Count < pageSize)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenant, month)} and RowKey gt {TimeKey(to) + "~"} and RowKey le {TimeKey(from) + "~"}");
            string? next = null;
            await foreach (var page in _table.QueryAsync<TableEntity>(filter, pageSize - list.Count, cancellationToken: ct).AsPages(tableToken, pageSize - list.Count))
            {
                list.AddRange(page.Values.Select(FromEntity));
                next = page.ContinuationToken;
                break;
            }

            if (next is not null)
            {
                return (list, Token(month, next));
            }

            month = month.AddMonths(-1);
            tableToken = null;
        }

        return (list, month >= firstMonth ? Token(month, null) : null);
    }

    private static DateTimeOffset MonthStart(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Token(DateTimeOffset month, string? tableToken) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{month:yyyyMM}|{tableToken}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (DateTimeOffset Month, string? TableToken)? ParseToken(string token)
    {
        if (token.Length > 2000)
        {
            return null;
        }

        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar != 6 || !DateTimeOffset.TryParseExact(text[..6] + "01", "yyyyMMdd", null, System.Globalization.DateTimeStyles.AssumeUniversal, out var month))
            {
                return null;
            }

            var rest = text[(bar + 1)..];
            return (month, rest.Length == 0 ? null : rest);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static AuditEntry FromEntity(TableEntity e) => new(
        e.GetString("Tenant") ?? string.Empty,
        e.RowKey,
        e.GetDateTimeOffset("At") ?? default,
        e.GetString("Actor") ?? string.Empty,
        e.GetString("Action") ?? string.Empty,
        e.GetString("Route"),
        e.GetString("CaseId"),
        JsonSerializer.Deserialize<List<string>>(e.GetString("ResidentIds") ?? "[]") ?? [],
        e.GetInt32("Status") ?? 0,
        e.GetString("Detail"));

    /// <summary>Cut to <paramref name="max"/> characters, control characters replaced (a fuzzed route may hold NULs).</summary>
    private static string? Limit(string? s, int max)
    {
        if (s is null)
        {
            return null;
        }

        var cut = s.Length <= max ? s : s[..max] + "…";
        return cut.Any(char.IsControl) || cut.Any(char.IsSurrogate) ? new string(cut.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray()) : cut;
    }
}
