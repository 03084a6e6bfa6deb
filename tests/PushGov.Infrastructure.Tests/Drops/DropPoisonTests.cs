using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PushGov.Domain.Drops;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;

namespace PushGov.Infrastructure.Tests.Drops;

/// <summary>A drop that failed every try reaches the staff's drops list as a report that says so.</summary>
[Collection("Azurite")]
public sealed class DropPoisonTests(AzuriteFixture azurite)
{
    private static string PoisonMessage(string blobName) =>
        $$"""{"Type":"BlobTrigger","FunctionId":"Host.Functions.IngestDrop","BlobType":"BlockBlob","ContainerName":"drops","BlobName":"{{blobName}}","ETag":"\"0x1\""}""";

    [Fact]
    public async Task A_poisoned_drop_gets_a_report_that_says_it_failed_and_a_finished_report_is_kept()
    {
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        var tenant = TestTenants.Next();
        var reports = storage.Container(StorageNames.Containers.DropReports);
        var halfway = $"{tenant}/residents/halfway.csv";
        var never = $"{tenant}/contacts/never.csv";
        var done = $"{tenant}/tax/done.csv";

        // One stopped halfway (its report still shows progress), one never got a report, one finished on a later try.
        await reports.GetBlobClient(halfway + ".report.json").UploadAsync(BinaryData.FromString(new DropReport { Progress = new DropProgress { Phase = DropPhase.Detecting, RowsRead = 10, UpdatedAt = DateTimeOffset.UtcNow } }.ToJson()), overwrite: true);
        await reports.GetBlobClient(done + ".report.json").UploadAsync(BinaryData.FromString(new DropReport { RowsRead = 3, Accepted = 3 }.ToJson()), overwrite: true);
        var queue = storage.Queue(StorageNames.Queues.BlobPoison);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(PoisonMessage(halfway));
        await queue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(PoisonMessage(never)))); // as the Functions host encodes it
        await queue.SendMessageAsync(PoisonMessage(done));
        await queue.SendMessageAsync("""{"Type":"BlobTrigger","ContainerName":"elsewhere","BlobName":"x"}""");

        var handled = await new DropPoison(storage, NullLogger<DropPoison>.Instance).DrainAsync(CancellationToken.None);

        Assert.Equal(4, handled);
        foreach (var failed in new[] { halfway, never })
        {
            var report = DropReport.FromJson((await reports.GetBlobClient(failed + ".report.json").DownloadContentAsync()).Value.Content.ToString());
            Assert.Equal(DropPoison.Reason, report.RejectedWhole);
            Assert.Null(report.Progress);
        }

        var kept = DropReport.FromJson((await reports.GetBlobClient(done + ".report.json").DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal((3L, (string?)null), (kept.Accepted, kept.RejectedWhole));
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"ContainerName\":\"drops\"}")]
    [InlineData("[1,2]")]
    public void A_message_that_names_no_drop_is_not_read_as_one(string text) => Assert.Null(DropPoison.BlobNameOf(text));
}
