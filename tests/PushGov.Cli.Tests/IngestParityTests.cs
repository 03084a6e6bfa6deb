using Microsoft.Extensions.Time.Testing;
using PushGov.Bench;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;

namespace PushGov.Cli.Tests;

[CollectionDefinition("Azurite")]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;

[Collection("Azurite")]
public sealed class IngestParityTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Drops_ingested_by_the_app_on_azurite_yield_the_events_detect_writes_for_the_same_files()
    {
        using var drops = new TempDrops();
        var generated = await CliRun.RunAsync("generate", "--tenant", "401307", "--population", "1500", "--seed", "11", "--out", drops.Folder);
        var files = generated.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => (Dataset: l[..l.IndexOf('=', StringComparison.Ordinal)], Path: l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .Where(f => f.Dataset is "residents" or "resident-changes" or "pregnancy")
            .OrderBy(f => f.Dataset == "residents" ? 0 : f.Dataset == "resident-changes" ? 1 : 2)
            .ToList();
        var (_, births) = drops.BirthScenario();
        files.Add(("resident-changes", births));

        // 2026-11-22 09:00 in Japan: the day the ingestor takes as "as of".
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        await using var app = await AppIngest.StartAsync(azurite.ConnectionString, clock);
        await app.Tenants.SaveAsync(new TenantConfig { Code = "401307", Name = "福岡市" }, create: true, CancellationToken.None);
        var ingested = new List<(string Kind, string EventId)>();
        var i = 0;
        foreach (var (dataset, path) in files)
        {
            var blob = await app.UploadAsync("401307", dataset, path, $"20261122-{i++:D4}.csv", CancellationToken.None);
            var result = await app.Ingestor.IngestAsync(blob, CancellationToken.None);
            Assert.Null(result.Report.RejectedWhole);
            ingested.AddRange(result.Events.Select(e => (e.Kind.ToString(), e.EventId)));
        }

        var detect = await CliRun.RunAsync(["detect", "--tenant", "401307", "--as-of", "2026-11-22", .. files.Select(f => $"{f.Dataset}={f.Path}")]);

        Assert.Equal(0, detect.ExitCode);
        var detected = detect.Lines.Select(l => (l.GetProperty("kind").GetString()!, l.GetProperty("eventId").GetString()!)).ToList();
        Assert.Contains(detected, e => e.Item1 == "BIRTH");
        Assert.True(detected.Count > 3, $"only {detected.Count} events");
        Assert.Equal(detected.Order(), ingested.Order());
    }
}
