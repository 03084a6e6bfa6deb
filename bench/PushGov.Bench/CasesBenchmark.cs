using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Local;
using PushGov.LocalHost;
using PushGov.Testing;

namespace PushGov.Bench;

/// <summary>
/// P3: cases end to end on Azurite. The whole app runs in this process on the local host (as <c>./run.sh</c> runs it:
/// one Durable orchestration per case); a <c>resident-changes</c> drop with one BIRTH per household is placed in blob storage, and
/// each case's first message is timed from the upload to its arrival in the development sink. Storage operations are
/// counted by the app's own Azure.Core pipeline policy (<see cref="StorageOperationCounter"/>), every request included
/// (the local host's polling and Durable Task's queues and history too).
/// </summary>
public static class CasesBenchmark
{
    public static async Task<int> RunAsync(TextWriter output, int cases, CancellationToken ct)
    {
        await using var azurite = await Azurite.StartAsync(ct);
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["PushGov:ApiKeyPepper"] = "bench-pepper-0123456789",
            ["PushGov:ResidentLinks:Key"] = "bench-resident-link-key-0123456789-abcdef",
            ["PushGov:TaskHub"] = "bench" + Guid.NewGuid().ToString("N")[..8],
        };
        await using var app = LocalFunctionsHost.Create(LocalApp.Options(settings, blobPolling: TimeSpan.FromMilliseconds(200), logging: l => l.ClearProviders()));
        await app.StartAsync(ct);

        var storage = app.Services.GetRequiredService<StorageClients>();
        await storage.EnsureCreatedAsync(ct);
        const string tenant = "401307";
        await app.Services.GetRequiredService<TenantStore>().SaveAsync(new TenantConfig { Code = tenant, Name = "福岡市" }, create: true, ct);

        // The households and their contacts first (not measured).
        var drops = storage.Container(StorageNames.Containers.Drops);
        var residents = new StringBuilder("resident_id,household_id,family_name,given_name,birth_date,sex,relationship,postal_code,address\n");
        var contacts = new StringBuilder("resident_id,channel,address,language,consent,consented_at\n");
        var births = new StringBuilder("record_id,resident_id,household_id,change_code,change_date,family_name,given_name,birth_date,sex,relationship\n");
        for (var i = 0; i < cases; i++)
        {
            var h = (500000000 + i).ToString(CultureInfo.InvariantCulture);
            var father = (600000000 + (i * 3)).ToString(CultureInfo.InvariantCulture);
            var mother = (600000001 + (i * 3)).ToString(CultureInfo.InvariantCulture);
            var child = (600000002 + (i * 3)).ToString(CultureInfo.InvariantCulture);
            residents.Append(CultureInfo.InvariantCulture, $"{father},{h},試験,太郎,1990-05-10,1,世帯主,8100001,福岡市中央区天神1-1-{i}\n");
            residents.Append(CultureInfo.InvariantCulture, $"{mother},{h},試験,花子,1992-08-01,2,妻,8100001,福岡市中央区天神1-1-{i}\n");
            contacts.Append(CultureInfo.InvariantCulture, $"{father},sms,+8190{i:D8},ja,1,2026-04-01\n");
            births.Append(CultureInfo.InvariantCulture, $"R{i},{child},{h},BIRTH,2026-11-20,試験,一郎,2026-11-20,1,子\n");
        }

        await UploadAndWaitAsync(storage, $"{tenant}/contacts/bench-contacts.csv", contacts, ct);
        await UploadAndWaitAsync(storage, $"{tenant}/residents/bench-residents.csv", residents, ct);

        var sink = storage.Table(StorageNames.Tables.Sink);
        var (opsBefore, writesBefore) = storage.Counter.Snapshot();
        var uploaded = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await drops.GetBlobClient($"{tenant}/resident-changes/bench-births.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(births.ToString())), overwrite: true, ct);

        var arrivals = new List<DateTimeOffset>();
        var deadline = TimeSpan.FromMinutes(Math.Max(2, cases / 10));
        while (clock.Elapsed < deadline)
        {
            arrivals = [];
            await foreach (var e in sink.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), select: ["RecordedAt"], cancellationToken: ct))
            {
                arrivals.Add(e.GetDateTimeOffset("RecordedAt") ?? default);
            }

            if (arrivals.Count >= cases)
            {
                break;
            }

            await Task.Delay(100, ct);
        }

        var elapsed = clock.Elapsed;
        var (opsAfter, writesAfter) = storage.Counter.Snapshot();
        await app.StopAsync(ct);

        var latencies = arrivals.Select(a => (a - uploaded).TotalMilliseconds).Order().ToList();
        double Pct(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Count) - 1, 0, latencies.Count - 1)];
        var span = latencies.Count == 0 ? double.NaN : latencies[^1] / 1000.0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 cases: {arrivals.Count} of {cases} first messages in the sink in {elapsed.TotalSeconds:F1} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 drop upload -> first message: first {Pct(0):F0} ms, p50 {Pct(0.50):F0} ms, p95 {Pct(0.95):F0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 throughput: {arrivals.Count / span:F1} cases/s end to end"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P3 storage operations per case: {(opsAfter - opsBefore) / (double)Math.Max(1, arrivals.Count):F1} (writes {(writesAfter - writesBefore) / (double)Math.Max(1, arrivals.Count):F1}), host polling and Durable Task included"));
        return arrivals.Count >= cases ? 0 : 1;
    }

    private static async Task UploadAndWaitAsync(StorageClients storage, string blobName, StringBuilder csv, CancellationToken ct)
    {
        await storage.Container(StorageNames.Containers.Drops).GetBlobClient(blobName).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv.ToString())), overwrite: true, ct);
        var report = storage.Container(StorageNames.Containers.DropReports).GetBlobClient(blobName + ".report.json");
        for (var i = 0; i < 1200 && !await report.ExistsAsync(ct); i++)
        {
            await Task.Delay(250, ct);
        }
    }
}
