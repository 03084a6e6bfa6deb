using System.Xml.Linq;
using PushGov.Cli.Packaging;

namespace PushGov.Cli.Tests;

/// <summary>
/// The command line ships without test support: read from the project files, nothing the CLI references (directly or
/// through other projects) lives under tests/, and no project compiles another project's sources through a link.
/// </summary>
public sealed class ProjectGraphTests
{
    private static readonly string Root = FunctionPackager.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("The repository root (with PushGov.Functions.sln) was not found above the test's folder.");

    [Fact]
    public void Nothing_the_command_line_references_lives_under_tests_or_bench()
    {
        var closure = References(Path.Combine("functions", "PushGov.Cli", "PushGov.Cli.csproj"));

        Assert.Contains(Path.Combine("functions", "PushGov.Tooling", "PushGov.Tooling.csproj"), closure);
        Assert.Contains(Path.Combine("functions", "PushGov.Domain", "PushGov.Domain.csproj"), closure);
        var forbidden = closure.Where(p => p.StartsWith("tests" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || p.StartsWith("bench" + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
        Assert.True(forbidden.Count == 0, "The command line references: " + string.Join(", ", forbidden));
    }

    [Fact]
    public void The_benchmarks_reach_test_support_through_their_references_so_the_walk_would_see_it()
    {
        var closure = References(Path.Combine("bench", "PushGov.Bench", "PushGov.Bench.csproj"));

        Assert.Contains(Path.Combine("tests", "PushGov.Testing", "PushGov.Testing.csproj"), closure);
        Assert.Contains(Path.Combine("functions", "PushGov.Domain", "PushGov.Domain.csproj"), closure);
    }

    [Fact]
    public void No_project_compiles_source_files_from_outside_its_own_folder()
    {
        var projects = Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or ".git"))
            .ToList();

        Assert.NotEmpty(projects);
        var linked = projects
            .SelectMany(p => XDocument.Load(p).Descendants("Compile")
                .Select(c => (string?)c.Attribute("Include"))
                .OfType<string>()
                .Select(include => $"{Path.GetRelativePath(Root, p)}: {include}"))
            .ToList();
        Assert.Empty(linked);
    }

    /// <summary>Every project <paramref name="project"/> references, directly or not, as paths relative to the root.</summary>
    private static SortedSet<string> References(string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(Path.Combine(Root, project))]);
        while (pending.TryPop(out var path))
        {
            foreach (var reference in XDocument.Load(path).Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).OfType<string>())
            {
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, reference.Replace('\\', Path.DirectorySeparatorChar)));
                if (seen.Add(Path.GetRelativePath(Root, full)))
                {
                    pending.Push(full);
                }
            }
        }

        return seen;
    }
}
