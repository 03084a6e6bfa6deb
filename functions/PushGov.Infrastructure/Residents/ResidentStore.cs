using Azure;
using Azure.Data.Tables;
using PushGov.Domain.Detection;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Residents;

/// <summary>
/// The resident view in Azure Tables, partitioned by tenant:
/// <list type="bullet">
/// <item><c>residents</c>: PartitionKey <c>{tenant}-{householdId}</c>, RowKey residentId — a household is one partition, read in one query;</item>
/// <item><c>residentindex</c>: PartitionKey tenant, RowKey residentId → householdId (written only when a resident is new or moves household);</item>
/// <item><c>birthdays</c>: PartitionKey <c>{tenant}-{MMDD}</c>, RowKey residentId → the age sweep reads only the days whose window opens;</item>
/// <item><c>facts</c>: PartitionKey tenant, RowKey <c>r:{residentId}|{kind}|{key}</c> or <c>h:{householdId}|{kind}|{key}</c> —
/// tax per fiscal year, pregnancies, contacts (with consent), the preferred channel per resident; disaster certificates per household.</item>
/// </list>
/// Person documents hold names and addresses: personal data, stored compressed, never logged.
/// </summary>
public sealed class ResidentStore(StorageClients storage)
{
    private readonly TableClient _residents = storage.Table(StorageNames.Tables.Residents);
    private readonly TableClient _index = storage.Table(StorageNames.Tables.ResidentIndex);
    private readonly TableClient _birthdays = storage.Table(StorageNames.Tables.Birthdays);
    private readonly TableClient _facts = storage.Table(StorageNames.Tables.Facts);

    public static string HouseholdPartition(string tenant, string householdId) => $"{tenant}-{householdId}";

    /// <summary>The household a resident belongs to now, or null for an unknown resident.</summary>
    public async Task<string?> HouseholdOfAsync(string tenant, string residentId, CancellationToken ct)
    {
        var e = await _index.GetEntityIfExistsAsync<TableEntity>(tenant, residentId, cancellationToken: ct);
        return e.HasValue ? e.Value!.GetString("HouseholdId") : null;
    }

    /// <summary>One resident's row in the household given, or null when it has none.</summary>
    public async Task<Person?> PersonAsync(string tenant, string householdId, string residentId, CancellationToken ct)
    {
        var e = await _residents.GetEntityIfExistsAsync<TableEntity>(HouseholdPartition(tenant, householdId), residentId, cancellationToken: ct);
        return e.HasValue && e.Value is { } row ? EntityPayload.Read<Person>(row, "P") : null;
    }

    public async Task<IReadOnlyList<Person>> HouseholdAsync(string tenant, string householdId, CancellationToken ct)
    {
        var list = new List<Person>();
        await foreach (var e in _residents.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {HouseholdPartition(tenant, householdId)}"), cancellationToken: ct))
        {
            list.Add(EntityPayload.Read<Person>(e, "P") ?? throw new InvalidOperationException($"Resident row {e.RowKey} has no document."));
        }

        return list;
    }

    /// <summary>Table requests <see cref="WriteAsync"/> (and a drop's household reads and case starts) keep in flight at once.</summary>
    public const int Concurrency = 16;

    /// <summary>
    /// Writes persons as they are now. <paramref name="previousHousehold"/> gives the household each was in before
    /// (null: unknown or new); a person who moved household is removed from the old partition.
    /// The households are written first, <see cref="Concurrency"/> batches at a time, so a person who moved is in the new
    /// household before the old row is deleted; then the old rows, the resident index and the birthday index, the same
    /// way. Returns the number of write requests made (batches count once).
    /// </summary>
    public async Task<int> WriteAsync(string tenant, IReadOnlyCollection<Person> persons, IReadOnlyDictionary<string, string?> previousHousehold, CancellationToken ct)
    {
        var households = persons.GroupBy(p => p.HouseholdId).SelectMany(group => group.Chunk(100)).Select(chunk => (Func<CancellationToken, Task>)(token =>
            _residents.SubmitTransactionAsync(chunk.Select(p =>
            {
                var e = new TableEntity(HouseholdPartition(tenant, p.HouseholdId), p.ResidentId) { ["Status"] = p.Status.ToString() };
                EntityPayload.Write(e, "P", p);
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, e);
            }), token))).ToList();
        var writes = await InParallelAsync(households, ct);

        var after = new List<Func<CancellationToken, Task>>();
        foreach (var p in persons)
        {
            if (previousHousehold.TryGetValue(p.ResidentId, out var old) && old is not null && old != p.HouseholdId)
            {
                after.Add(token => DeleteIfExistsAsync(HouseholdPartition(tenant, old), p.ResidentId, token));
            }
        }

        var indexChanges = persons.Where(p => !previousHousehold.TryGetValue(p.ResidentId, out var old) || old != p.HouseholdId).ToList();
        foreach (var chunk in indexChanges.Chunk(100))
        {
            after.Add(token => _index.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(tenant, p.ResidentId) { ["HouseholdId"] = p.HouseholdId })), token));
        }

        // The birthday index: only new residents and household moves (a birth date does not change in a snapshot diff
        // without a new row here: the fingerprint catches it and the person is rewritten with the same keys).
        foreach (var group in indexChanges.Where(p => p.BirthDate.Exact is not null).GroupBy(p => AgeEventSweep.PartitionKey(tenant, p.BirthDate.Exact!.Value)))
        {
            foreach (var chunk in group.Chunk(100))
            {
                after.Add(token => _birthdays.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(group.Key, AgeEventSweep.RowKey(p.BirthDate.Exact!.Value, p.ResidentId))
                {
                    ["ResidentId"] = p.ResidentId,
                    ["HouseholdId"] = p.HouseholdId,
                })), token));
            }
        }

        return writes + await InParallelAsync(after, ct);
    }

    /// <summary>Runs the requests, <see cref="Concurrency"/> at a time; returns how many were made.</summary>
    private static async Task<int> InParallelAsync(IReadOnlyCollection<Func<CancellationToken, Task>> requests, CancellationToken ct)
    {
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (request, token) => await request(token));
        return requests.Count;
    }

    private async Task DeleteIfExistsAsync(string partition, string residentId, CancellationToken ct)
    {
        try
        {
            await _residents.DeleteEntityAsync(partition, residentId, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // already gone
        }
    }

    /// <summary>The residents in one key range of the birthday index (see <see cref="AgeEventSweep.QueriesFor"/>).</summary>
    public async Task<IReadOnlyList<(string ResidentId, string HouseholdId)>> BirthdaysAsync(AgeSweepQuery query, CancellationToken ct)
    {
        var list = new List<(string, string)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {query.PartitionKey} and RowKey ge {query.RowKeyFrom} and RowKey le {query.RowKeyTo}");
        await foreach (var e in _birthdays.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            list.Add((e.GetString("ResidentId"), e.GetString("HouseholdId")));
        }

        return list;
    }

    // ---- facts ----------------------------------------------------------------------------------------------

    public Task<int> WriteTaxAsync(string tenant, IEnumerable<TaxRecord> records, CancellationToken ct) =>
        WriteFactsAsync(tenant, records.Select(t => new TableEntity(tenant, $"r:{t.ResidentId}|tax|{t.FiscalYear}")
        {
            ["FiscalYear"] = t.FiscalYear,
            ["TaxableIncomeYen"] = t.TaxableIncomeYen,
            ["NonTaxable"] = t.NonTaxable,
        }), ct);

    public Task<int> WritePregnanciesAsync(string tenant, IEnumerable<PregnancyRecord> records, CancellationToken ct) =>
        WriteFactsAsync(tenant, records.Select(p => new TableEntity(tenant, $"r:{p.ResidentId}|pregnancy|{p.RecordId}")
        {
            ["NotifiedDate"] = p.NotifiedDate.ToString("yyyy-MM-dd"),
            ["ExpectedDeliveryDate"] = p.ExpectedDeliveryDate.ToString("yyyy-MM-dd"),
        }), ct);

    public Task<int> WriteDisastersAsync(string tenant, IEnumerable<DisasterCertificate> records, CancellationToken ct) =>
        WriteFactsAsync(tenant, records.Select(d => new TableEntity(tenant, $"h:{d.HouseholdId}|disaster|{d.RecordId}")
        {
            ["DisasterName"] = d.DisasterName,
            ["DamageLevel"] = d.DamageLevel.ToString(),
            ["CertifiedDate"] = d.CertifiedDate.ToString("yyyy-MM-dd"),
        }), ct);

    /// <summary>
    /// Writes contact records: one row per resident, channel and source ("drop" or "portal"), so a newer portal
    /// choice and an older drop coexist and the newest wins when read.
    /// </summary>
    public Task<int> WriteContactsAsync(string tenant, IEnumerable<ContactRecord> records, CancellationToken ct) =>
        WriteFactsAsync(tenant, records.Select(c =>
        {
            var e = new TableEntity(tenant, $"r:{c.ResidentId}|contact|{c.Channel}|{c.Source}")
            {
                ["Channel"] = c.Channel.ToString(),
                ["Consent"] = c.Consent,
                ["ConsentedAt"] = c.ConsentedAt,
                ["Language"] = c.Language,
                ["Source"] = c.Source,
            };
            EntityPayload.Write(e, "A", c.Address);
            return e;
        }), ct);

    private async Task<int> WriteFactsAsync(string tenant, IEnumerable<TableEntity> entities, CancellationToken ct)
    {
        var writes = 0;
        foreach (var chunk in entities.DistinctBy(e => e.RowKey).Chunk(100))
        {
            await _facts.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
            writes++;
        }

        _ = tenant;
        return writes;
    }

    /// <summary>Everything matching needs about a household, read at one moment.</summary>
    public async Task<(HouseholdSnapshot Snapshot, IReadOnlyList<ContactRecord> Contacts)> SnapshotAsync(string tenant, string householdId, IEnumerable<string>? alsoResidents, CancellationToken ct)
    {
        var members = await HouseholdAsync(tenant, householdId, ct);
        var tax = new List<TaxRecord>();
        var pregnancies = new List<PregnancyRecord>();
        var contacts = new List<ContactRecord>();
        var disasters = new List<DisasterCertificate>();
        var consent = new HashSet<string>(StringComparer.Ordinal);
        var preferred = new Dictionary<string, Channel>(StringComparer.Ordinal);
        var ids = members.Select(m => m.ResidentId).Concat(alsoResidents ?? []).Distinct(StringComparer.Ordinal).ToList();
        var reads = ids.Select(id => ReadFactsAsync(tenant, "r:" + id + "|", ct)).Append(ReadFactsAsync(tenant, "h:" + householdId + "|", ct)).ToList();
        foreach (var e in (await Task.WhenAll(reads)).SelectMany(x => x))
        {
            var parts = e.RowKey.Split('|');
            var owner = parts[0][2..];
            switch (parts[1])
            {
                case "tax":
                    tax.Add(new TaxRecord(owner, e.GetInt32("FiscalYear") ?? 0, e.GetInt64("TaxableIncomeYen") ?? 0, e.GetBoolean("NonTaxable") ?? false));
                    break;
                case "pregnancy":
                    pregnancies.Add(new PregnancyRecord(parts[2], owner, DateOnly.ParseExact(e.GetString("NotifiedDate"), "yyyy-MM-dd"), DateOnly.ParseExact(e.GetString("ExpectedDeliveryDate"), "yyyy-MM-dd")));
                    break;
                case "contact":
                    contacts.Add(new ContactRecord(owner, Enum.Parse<Channel>(e.GetString("Channel")), EntityPayload.Read<string>(e, "A") ?? string.Empty, e.GetString("Language"), e.GetBoolean("Consent") ?? false, e.GetDateTimeOffset("ConsentedAt") ?? default, e.GetString("Source") ?? "drop"));
                    break;
                case "disaster":
                    disasters.Add(new DisasterCertificate(parts[2], owner, e.GetString("DisasterName"), Enum.Parse<DamageLevel>(e.GetString("DamageLevel")), DateOnly.ParseExact(e.GetString("CertifiedDate"), "yyyy-MM-dd")));
                    break;
                case "taxconsent" when e.GetBoolean("Consent") == true:
                    consent.Add(owner);
                    break;
                case PreferenceKind when PreferredChannelOf(e) is { } channel:
                    preferred[owner] = channel;
                    break;
            }
        }

        return (new HouseholdSnapshot { HouseholdId = householdId, Members = members, Tax = tax, Pregnancies = pregnancies, Disasters = disasters, TaxDataConsent = consent, PreferredChannels = preferred }, contacts);
    }

    public async Task<IReadOnlyList<ContactRecord>> ContactsAsync(string tenant, string residentId, CancellationToken ct)
    {
        var list = new List<ContactRecord>();
        foreach (var e in await ReadFactsAsync(tenant, $"r:{residentId}|contact|", ct))
        {
            list.Add(new ContactRecord(residentId, Enum.Parse<Channel>(e.GetString("Channel")), EntityPayload.Read<string>(e, "A") ?? string.Empty, e.GetString("Language"), e.GetBoolean("Consent") ?? false, e.GetDateTimeOffset("ConsentedAt") ?? default, e.GetString("Source") ?? "drop"));
        }

        return list;
    }

    /// <summary>The resident's purpose consent for the use of their tax data (APPI: needed before income data is used).</summary>
    public async Task SetTaxConsentAsync(string tenant, string residentId, bool consent, DateTimeOffset at, CancellationToken ct) =>
        await _facts.UpsertEntityAsync(new TableEntity(tenant, $"r:{residentId}|taxconsent|portal") { ["Consent"] = consent, ["ConsentedAt"] = at }, TableUpdateMode.Replace, ct);

    public async Task<bool> HasTaxConsentAsync(string tenant, string residentId, CancellationToken ct)
    {
        var e = await _facts.GetEntityIfExistsAsync<TableEntity>(tenant, $"r:{residentId}|taxconsent|portal", cancellationToken: ct);
        return e.HasValue && e.Value!.GetBoolean("Consent") == true;
    }

    /// <summary>
    /// The resident's preferred channel (row <c>r:{residentId}|channelpref|portal</c>): null for none, the tenant's order
    /// alone. Stored with the other facts, so the resolve step reads it with the contacts in the same query.
    /// </summary>
    public async Task<Channel?> PreferredChannelAsync(string tenant, string residentId, CancellationToken ct)
    {
        var e = await _facts.GetEntityIfExistsAsync<TableEntity>(tenant, PreferenceRow(residentId), cancellationToken: ct);
        return e.HasValue && e.Value is { } row ? PreferredChannelOf(row) : null;
    }

    /// <summary>Sets (or, with null, clears) the resident's preferred channel.</summary>
    public async Task SetPreferredChannelAsync(string tenant, string residentId, Channel? channel, DateTimeOffset at, CancellationToken ct) =>
        await _facts.UpsertEntityAsync(new TableEntity(tenant, PreferenceRow(residentId)) { ["Channel"] = channel?.ToString() ?? string.Empty, ["ChosenAt"] = at }, TableUpdateMode.Replace, ct);

    private const string PreferenceKind = "channelpref";

    private static string PreferenceRow(string residentId) => $"r:{residentId}|{PreferenceKind}|portal";

    private static Channel? PreferredChannelOf(TableEntity e) =>
        Enum.TryParse<Channel>(e.GetString("Channel"), ignoreCase: false, out var channel) && Enum.IsDefined(channel) ? channel : null;

    private async Task<List<TableEntity>> ReadFactsAsync(string tenant, string prefix, CancellationToken ct)
    {
        var list = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}");
        await foreach (var e in _facts.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            list.Add(e);
        }

        return list;
    }
}
