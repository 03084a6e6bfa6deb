using PushGov.Bench;

namespace PushGov.Cli.Tests;

public sealed class BenchmarkDocTests
{
    [Fact]
    public void Updating_a_section_replaces_its_figures_and_keeps_its_notes_and_the_other_sections()
    {
        using var drops = new TempDrops();
        var path = drops.Write(
            "benchmarks.md",
            "# Benchmarks",
            string.Empty,
            "## P1: old title",
            string.Empty,
            "old figures",
            string.Empty,
            "### Notes",
            string.Empty,
            "hand-written note",
            string.Empty,
            "## P3: cases",
            string.Empty,
            "cases figures");

        BenchmarkDoc.Update(path, "P1", "P1: new title", "new figures");
        BenchmarkDoc.Update(path, "P2", "P2: snapshot", "snapshot figures");

        var text = File.ReadAllText(path);
        Assert.DoesNotContain("old figures", text, StringComparison.Ordinal);
        Assert.Contains("## P1: new title\n\nnew figures\n", text, StringComparison.Ordinal);
        Assert.Contains("hand-written note", text, StringComparison.Ordinal);
        Assert.Contains("cases figures", text, StringComparison.Ordinal);
        var order = new[] { "## P1", "hand-written note", "## P2", "## P3" }.Select(h => text.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain(-1, order);
    }
}
