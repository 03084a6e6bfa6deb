using System.Text;
using System.Text.RegularExpressions;

namespace PushGov.Drills;

/// <summary>
/// Keeps docs/reliability.md: one <c>## {drill}</c> section per drill, replaced in place when the drill runs again; the
/// text above the first section and the other drills' sections stay as they are.
/// </summary>
public static partial class ReliabilityDoc
{
    /// <summary>docs/reliability.md at the repository root above the working folder, or null outside the repository.</summary>
    public static string? DefaultPath()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PushGov.Functions.sln")))
            {
                return Path.Combine(dir.FullName, "docs", "reliability.md");
            }
        }

        return null;
    }

    public static void Update(string path, DrillResult result, DateTimeOffset at)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Reliability drills\n\nFigures of `./pushgov drill …`; each section says on what machine and with which command.\n";
        var section = $"## {result.Drill}\n\n{result.ToMarkdown(at).TrimEnd()}\n";
        var headings = Heading().Matches(text).ToList();
        var own = headings.FindIndex(m => m.Groups["name"].Value == result.Drill);
        if (own >= 0)
        {
            var start = headings[own].Index;
            var end = own + 1 < headings.Count ? headings[own + 1].Index : text.Length;
            text = text[..start] + section + (end < text.Length ? "\n" : string.Empty) + text[end..];
        }
        else
        {
            text = text.TrimEnd() + "\n\n" + section;
        }

        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    [GeneratedRegex(@"^## (?<name>[a-z-]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
