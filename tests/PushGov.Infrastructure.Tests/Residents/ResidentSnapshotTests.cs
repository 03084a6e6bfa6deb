using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Cases;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;
using PushGov.Testing.Sending;

namespace PushGov.Infrastructure.Tests.Residents;

/// <summary>
/// A <c>residents</c> snapshot after the first is compared with the previous one as it is hashed (read once), and its changed
/// households are written many at a time: the tables end as a first load of the same snapshot leaves them.
/// </summary>
[Collection("Azurite")]
public sealed class ResidentSnapshotTests(AzuriteFixture azurite)
{
    /// <summary>More households than <see cref="ResidentStore.Concurrency"/>, so the writes overlap.</summary>
    private const int Households = 40;

    private const string Header = "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality";

    private const string Gone = "500000106"; // the spouse of household 35

    [Fact]
    public async Task Residents_moving_between_households_written_in_parallel_end_as_a_first_load_of_the_second_snapshot_leaves_them()
    {
        var run = await NewTenantAsync();
        var first = await IngestAsync(run, "20261121-0100.csv", FirstSnapshot());
        Assert.Equal(Households * 3, first.Report.Accepted);

        var second = await IngestAsync(run, "20261122-0100.csv", SecondSnapshot(lineEnd: "\n"));

        Assert.False(second.Duplicate);
        Assert.Contains(second.Phases, p => p.Phase == "read+hash+diff");
        Assert.DoesNotContain(second.Phases, p => p.Phase == "read+hash");
        Assert.Equal(Households * 3, second.Report.Accepted); // one gone, one born
        var reference = await NewTenantAsync();
        await IngestAsync(reference, "20261122-0100.csv", SecondSnapshot(lineEnd: "\n"));

        Assert.Equal(await RowsAsync(reference, StorageNames.Tables.Residents), await RowsAsync(run, StorageNames.Tables.Residents, without: Gone));
        Assert.Equal(await RowsAsync(reference, StorageNames.Tables.ResidentIndex), await RowsAsync(run, StorageNames.Tables.ResidentIndex, without: Gone));
        Assert.Equal(await RowsAsync(reference, StorageNames.Tables.Birthdays), await RowsAsync(run, StorageNames.Tables.Birthdays, without: Gone));
        Assert.Equal(await FingerprintsAsync(reference), await FingerprintsAsync(run));

        // The same snapshot again with other bytes (CRLF): nothing changed, as the fingerprints written from pass 1 say (the
        // same writes as for the reference, whose fingerprints a first load wrote).
        var again = await IngestAsync(run, "20261123-0100.csv", SecondSnapshot(lineEnd: "\r\n"));
        var referenceAgain = await IngestAsync(reference, "20261123-0100.csv", SecondSnapshot(lineEnd: "\r\n"));
        Assert.False(again.Duplicate);
        Assert.Empty(again.Events);
        Assert.Empty(referenceAgain.Events);
        Assert.Equal(referenceAgain.StorageWrites, again.StorageWrites);

        // The same bytes again: a duplicate, nothing written.
        var duplicate = await IngestAsync(run, "20261123-0101.csv", SecondSnapshot(lineEnd: "\r\n"));
        Assert.True(duplicate.Duplicate);
        Assert.Equal(0, duplicate.StorageWrites);
    }

    [Fact]
    public async Task A_snapshot_after_the_first_rejected_whole_changes_no_resident_and_keeps_the_fingerprints()
    {
        var run = await NewTenantAsync();
        await IngestAsync(run, "20261121-0100.csv", FirstSnapshot());
        var residents = await RowsAsync(run, StorageNames.Tables.Residents);
        var fingerprints = await FingerprintsAsync(run);

        var rejected = await IngestAsync(run, "20261122-0100.csv", Header + "\n");

        Assert.NotNull(rejected.Report.RejectedWhole);
        Assert.Equal(0, rejected.StorageWrites);
        Assert.Equal(residents, await RowsAsync(run, StorageNames.Tables.Residents));
        Assert.Equal(fingerprints, await FingerprintsAsync(run));
    }

    /// <summary>40 households of a head, a spouse and a child.</summary>
    private static List<string[]> FirstRows()
    {
        var rows = new List<string[]>();
        for (var h = 0; h < Households; h++)
        {
            rows.Add(Row(500000000 + (3 * h), 600000000 + h, "世帯主", "1970-04-01", h));
            rows.Add(Row(500000001 + (3 * h), 600000000 + h, "妻", "1972-05-02", h));
            rows.Add(Row(500000002 + (3 * h), 600000000 + h, "子", "2010-06-03", h));
        }

        return rows;
    }

    private static string[] Row(long resident, long household, string relationship, string birth, int address) =>
        [resident.ToString(CultureInfo.InvariantCulture), household.ToString(CultureInfo.InvariantCulture), "山田", "太郎", "ヤマダ", "タロウ", birth, "1", relationship, "810-0001", $"福岡市中央区天神1丁目{address + 1}番", string.Empty];

    private static string FirstSnapshot() => Csv(FirstRows(), "\n");

    /// <summary>
    /// The children of households 0–19 change places in pairs (0 ↔ 1, 2 ↔ 3, …); the head of household 30 moves to a new
    /// household; the spouse of household 35 is gone; a newborn joins household 36; household 37 changes address.
    /// </summary>
    private static string SecondSnapshot(string lineEnd)
    {
        var rows = FirstRows();
        for (var h = 0; h < 20; h += 2)
        {
            (rows[(3 * h) + 2][1], rows[(3 * (h + 1)) + 2][1]) = (rows[(3 * (h + 1)) + 2][1], rows[(3 * h) + 2][1]);
        }

        rows[3 * 30][1] = "600000100";
        rows.RemoveAll(r => r[0] == Gone);
        rows.Add(Row(500000200, 600000036, "子", "2026-11-01", 36));
        foreach (var r in rows.Where(r => r[1] == "600000037"))
        {
            r[10] += "-2";
        }

        return Csv(rows, lineEnd);
    }

    private static string Csv(List<string[]> rows, string lineEnd) =>
        Header + lineEnd + string.Concat(rows.Select(r => string.Join(',', r) + lineEnd));

    private sealed record Tenant(StorageClients Storage, DropIngestor Ingestor, string Code);

    private async Task<Tenant> NewTenantAsync()
    {
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero));
        var tenants = new TenantStore(storage);
        var code = TestTenants.Next();
        await tenants.SaveAsync(new TenantConfig { Code = code, Name = "テスト市" }, create: true, CancellationToken.None);
        var ingestor = new DropIngestor(storage, new ResidentStore(storage), new AcceptingStarter(), new RecordingInbox(), new TenantDirectory(tenants, clock), clock, NullLogger<DropIngestor>.Instance);
        return new Tenant(storage, ingestor, code);
    }

    private static async Task<DropIngestor.Result> IngestAsync(Tenant tenant, string file, string csv)
    {
        var blob = $"{tenant.Code}/residents/{file}";
        await tenant.Storage.Container(StorageNames.Containers.Drops).GetBlobClient(blob).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
        return await tenant.Ingestor.IngestAsync(blob, CancellationToken.None);
    }

    /// <summary>The tenant's rows of a table (partition without the tenant, row key, properties but the timestamp), in order.</summary>
    private static async Task<List<string>> RowsAsync(Tenant tenant, string table, string? without = null)
    {
        var list = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {tenant.Code} and PartitionKey lt {tenant.Code + "."}");
        await foreach (var e in tenant.Storage.Table(table).QueryAsync<TableEntity>(filter))
        {
            if (without is not null && (e.RowKey.EndsWith(without, StringComparison.Ordinal) || e.GetString("ResidentId") == without))
            {
                continue;
            }

            var values = e.Where(p => p.Key is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={(p.Value is byte[] bytes ? Convert.ToBase64String(bytes) : Convert.ToString(p.Value, CultureInfo.InvariantCulture))}");
            list.Add($"{e.PartitionKey[tenant.Code.Length..]} {e.RowKey} {string.Join(' ', values)}");
        }

        return [.. list.Order(StringComparer.Ordinal)];
    }

    private static async Task<byte[]> FingerprintsAsync(Tenant tenant) =>
        (await tenant.Storage.Container(StorageNames.Containers.State).GetBlobClient(DropIngestor.FingerprintsPath(tenant.Code)).DownloadContentAsync()).Value.Content.ToArray();

    /// <summary>Accepts every case (the cases themselves are not this test's).</summary>
    private sealed class AcceptingStarter : ICaseStarter
    {
        public Task<bool> StartAsync(CaseData fresh, CancellationToken ct) => Task.FromResult(true);
    }
}
