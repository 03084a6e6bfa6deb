using System.Text.RegularExpressions;

namespace PushGov.Deployment.Tests;

/// <summary>Drift between docs/glossary.md and the code: every name the glossary gives for the code is in the code.</summary>
public sealed partial class GlossaryTests
{
    [Fact]
    public void Every_code_name_in_the_glossary_is_used_in_the_code()
    {
        // The shipped code, and the drills' and benchmarks' executables (their names are in the glossary too).
        var code = string.Concat(new[] { "functions", "drills", "bench" }
            .SelectMany(folder => Directory.EnumerateFiles(Repo.Path(folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var names = File.ReadAllLines(Repo.Path("docs", "glossary.md"))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| In the code", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal))
            .SelectMany(l => Parenthetical().Replace(l.Split('|')[1], string.Empty).Split([',', '/'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();

        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", n));
        Assert.Equal([], names.Where(n => !code.Contains(n, StringComparison.Ordinal)).ToArray());
    }

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthetical();
}
