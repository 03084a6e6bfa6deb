using Azure;
using Azure.Data.Tables;
using PushGov.Domain;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Residents;

/// <summary>A link that opened: the case and the resident it was given to.</summary>
public sealed record ResidentLinkAccess(CaseData Case, string ResidentId, string ResidentTag, DateOnly LastDay);

/// <summary>
/// Opens and revokes residents' signed links (<see cref="ResidentLinkSigner"/>). A link opens when its MAC holds for the
/// tenant and case, its last day has not passed (Asia/Tokyo), the case exists, the tag is one of the case's residents
/// (a recipient or someone a message went to), and it is not revoked. Revocation is per case and resident: every link
/// of that resident for that case stops working. Table <see cref="StorageNames.Tables.ResidentLinks"/>: PartitionKey
/// tenant, RowKey <c>revoked|{caseId}|{tag}</c> (no personal data: the tag is a keyed pseudonym); and, for the take-up
/// funnel, RowKey <c>opened|{caseId}</c> once a link of the case opened its page: the first time only, nothing of the
/// device (no address, no user agent), so a reload or a second recipient adds nothing.
/// </summary>
public sealed class ResidentLinks(ResidentLinkSigner signer, ICaseReader cases, StorageClients storage, TimeProvider clock)
{
    private TableClient Table => storage.Table(StorageNames.Tables.ResidentLinks);

    public DateOnly Today => JapanTime.Today(clock.GetUtcNow());

    /// <summary>The case and resident of a link, or null for any link that must not open (the caller says nothing more).</summary>
    public async Task<ResidentLinkAccess?> OpenAsync(string tenant, string caseId, string? token, CancellationToken ct)
    {
        var check = signer.Check(tenant, caseId, token, Today);
        if (!check.IsValid || await cases.GetAsync(tenant, caseId, ct) is not { } c)
        {
            return null;
        }

        var resident = ResidentsOf(c).FirstOrDefault(r => signer.ResidentTag(tenant, caseId, r) == check.ResidentTag);
        if (resident is null || await IsRevokedAsync(tenant, caseId, check.ResidentTag!, ct))
        {
            return null;
        }

        return new ResidentLinkAccess(c, resident, check.ResidentTag!, check.LastDay!.Value);
    }

    /// <summary>Stops every link of this resident for this case. False when the resident is not one of the case's.</summary>
    public async Task<bool> RevokeAsync(string tenant, CaseData c, string residentId, string actor, CancellationToken ct)
    {
        if (!ResidentsOf(c).Contains(residentId, StringComparer.Ordinal))
        {
            return false;
        }

        var entity = new TableEntity(tenant, RowKey(c.CaseId, signer.ResidentTag(tenant, c.CaseId, residentId)))
        {
            ["RevokedAt"] = clock.GetUtcNow(),
            ["RevokedBy"] = actor,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
        return true;
    }

    /// <summary>Notes that a link of the case opened its page; only the first time is kept (the row key is the idempotency key).</summary>
    public async Task RecordOpenAsync(string tenant, string caseId, CancellationToken ct)
    {
        try
        {
            await Table.AddEntityAsync(new TableEntity(tenant, OpenedPrefix + caseId) { ["OpenedAt"] = clock.GetUtcNow() }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Opened before: counted once.
        }
    }

    /// <summary>The cases of the tenant whose link has opened.</summary>
    public async Task<IReadOnlySet<string>> OpenedCasesAsync(string tenant, CancellationToken ct)
    {
        var opened = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and RowKey ge {OpenedPrefix} and RowKey lt {"opened}"}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            opened.Add(e.RowKey[OpenedPrefix.Length..]);
        }

        return opened;
    }

    /// <summary>Whom a case's links can be for: its recipients and everyone a message of it went to.</summary>
    public static IEnumerable<string> ResidentsOf(CaseData c) =>
        c.Matches.SelectMany(m => m.RecipientIds).Concat(c.Deliveries.Select(d => d.ResidentId)).Distinct(StringComparer.Ordinal);

    private async Task<bool> IsRevokedAsync(string tenant, string caseId, string tag, CancellationToken ct)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(tenant, RowKey(caseId, tag), ["PartitionKey"], ct);
        return row.HasValue;
    }

    private const string OpenedPrefix = "opened|";

    private static string RowKey(string caseId, string tag) => $"revoked|{caseId}|{tag}";
}
