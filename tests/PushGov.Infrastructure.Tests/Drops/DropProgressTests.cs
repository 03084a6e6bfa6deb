using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PushGov.Domain.Cases;
using PushGov.Domain.Drops;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;
using PushGov.Testing.Sending;

namespace PushGov.Infrastructure.Tests.Drops;

/// <summary>A large drop's report shows how far its ingestion has got, where the finished report will be.</summary>
[Collection("Azurite")]
public sealed class DropProgressTests(AzuriteFixture azurite)
{
    private const int Households = 25;
    private const int PerHousehold = 90;

    [Fact]
    public async Task While_cases_start_the_drop_report_shows_every_row_read_and_applied_and_the_finished_report_drops_the_progress()
    {
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero));
        var tenants = new TenantStore(storage);
        var tenant = TestTenants.Next();
        await tenants.SaveAsync(new TenantConfig { Code = tenant, Name = "テスト市" }, create: true, CancellationToken.None);
        var reportBlob = storage.Container(StorageNames.Containers.DropReports).GetBlobClient($"{tenant}/resident-changes/20261122-0100.csv.report.json");
        var starter = new ReportReadingStarter(reportBlob);
        var ingestor = new DropIngestor(storage, new ResidentStore(storage), starter, new RecordingInbox(), new TenantDirectory(tenants, clock), clock, NullLogger<DropIngestor>.Instance)
        {
            ProgressInterval = TimeSpan.Zero,
        };

        // Corrections of residents the view does not know (no event) in a few households, and one birth: one case.
        var csv = new StringBuilder("record_id,resident_id,household_id,change_code,change_date,notified_date,family_name,given_name,birth_date,sex,relationship\n");
        for (var i = 0; i < Households * PerHousehold; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"C{i},{300100000 + i},{400100000 + (i / PerHousehold)},CORRECTION,2026-11-20,2026-11-21,山田,太郎,1980-01-01,1,{(i % PerHousehold == 0 ? "世帯主" : "同居人")}\n");
        }

        csv.Append("B1,300199999,400100000,BIRTH,2026-11-20,2026-11-21,山田,一郎,2026-11-20,1,子\n");
        var rows = Households * PerHousehold + 1;
        var blobName = $"{tenant}/resident-changes/20261122-0100.csv";
        await storage.Container(StorageNames.Containers.Drops).GetBlobClient(blobName).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv.ToString())), overwrite: true);

        var result = await ingestor.IngestAsync(blobName, CancellationToken.None);

        Assert.Single(result.Events);
        var during = Assert.Single(starter.Seen);
        var progress = Assert.IsType<DropProgress>(during.Progress);
        Assert.Equal(DropPhase.StartingCases, progress.Phase);
        Assert.Equal((rows, rows, 0L, 1L), (progress.RowsRead, progress.RowsApplied, progress.CasesStarted, progress.CasesToStart));
        Assert.Equal(rows, during.RowsRead);

        var done = DropReport.FromJson((await reportBlob.DownloadContentAsync()).Value.Content.ToString());
        Assert.Null(done.Progress);
        Assert.Equal(rows, done.Accepted);
        Assert.DoesNotContain("progress", (await reportBlob.DownloadContentAsync()).Value.Content.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Reads the drop's report (as the API would) each time a case would start; the cases themselves are not this test's.</summary>
    private sealed class ReportReadingStarter(Azure.Storage.Blobs.BlobClient report) : ICaseStarter
    {
        public List<DropReport> Seen { get; } = [];

        public async Task<bool> StartAsync(CaseData fresh, CancellationToken ct)
        {
            Seen.Add(DropReport.FromJson((await report.DownloadContentAsync(ct)).Value.Content.ToString()));
            return true;
        }
    }
}
