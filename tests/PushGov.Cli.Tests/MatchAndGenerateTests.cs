using System.Security.Cryptography;

namespace PushGov.Cli.Tests;

public sealed class MatchAndGenerateTests
{
    [Fact]
    public async Task Match_offers_jidou_teate_for_a_birth_with_the_deadline_15_days_after_it()
    {
        using var drops = new TempDrops();
        var (residents, births) = drops.BirthScenario();

        var run = await CliRun.RunAsync("match", "--tenant", "401307", "--as-of", "2026-11-12", $"residents={residents}", $"resident-changes={births}");

        Assert.Equal(0, run.ExitCode);
        var teate = Assert.Single(run.Lines, l => l.GetProperty("serviceId").GetString() == "jidou-teate");
        Assert.Equal("BIRTH", teate.GetProperty("kind").GetString());
        Assert.Equal("2026-11-10", teate.GetProperty("eventDate").GetString());
        Assert.Equal("2026-11-25", teate.GetProperty("deadline").GetString());
        Assert.StartsWith("BIRTH-", teate.GetProperty("eventId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_with_a_catalog_that_disables_jidou_teate_no_longer_offers_it()
    {
        using var drops = new TempDrops();
        var (residents, births) = drops.BirthScenario();
        var catalog = drops.Write("tenant-catalog.yaml", "disable:", "  - jidou-teate");

        var run = await CliRun.RunAsync("match", "--tenant", "401307", "--as-of", "2026-11-12", "--catalog", catalog, $"residents={residents}", $"resident-changes={births}");

        Assert.Equal(0, run.ExitCode);
        Assert.NotEmpty(run.Lines);
        Assert.DoesNotContain(run.Lines, l => l.GetProperty("serviceId").GetString() == "jidou-teate");
    }

    [Fact]
    public async Task Generate_writes_the_same_bytes_for_the_same_seed_and_other_bytes_for_another()
    {
        using var drops = new TempDrops();
        var a = Path.Combine(drops.Folder, "a");
        var b = Path.Combine(drops.Folder, "b");
        var c = Path.Combine(drops.Folder, "c");

        var runA = await CliRun.RunAsync("generate", "--tenant", "401307", "--population", "3000", "--seed", "5", "--out", a);
        var runB = await CliRun.RunAsync("generate", "--tenant", "401307", "--population", "3000", "--seed", "5", "--out", b);
        var runC = await CliRun.RunAsync("generate", "--tenant", "401307", "--population", "3000", "--seed", "6", "--out", c);

        Assert.Equal(0, runA.ExitCode);
        Assert.Equal(0, runB.ExitCode);
        Assert.Contains("residents=", runA.Out, StringComparison.Ordinal);
        Assert.Equal(Hashes(a), Hashes(b));
        Assert.Equal(5, Hashes(a).Count);
        Assert.NotEqual(Hashes(a), Hashes(c));
    }

    [Fact]
    public async Task Generated_drops_are_read_by_detect_without_rejected_rows()
    {
        using var drops = new TempDrops();
        var run = await CliRun.RunAsync("generate", "--tenant", "401307", "--population", "2000", "--seed", "9", "--out", drops.Folder);
        var inputs = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).OrderBy(l => l.StartsWith("residents=", StringComparison.Ordinal) ? 0 : 1).ToArray();

        var detect = await CliRun.RunAsync(["detect", "--tenant", "401307", "--as-of", "2026-11-22", .. inputs]);

        Assert.Equal(0, detect.ExitCode);
        Assert.DoesNotContain(", 1 rejected", detect.Error, StringComparison.Ordinal);
        Assert.Contains(detect.Lines, l => l.GetProperty("source").GetProperty("dataset").GetString() == "resident-changes");
    }

    private static List<string> Hashes(string folder) =>
        Directory.GetFiles(folder, "*.csv", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(folder, f) + ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))))
            .ToList();
}
