using System.Text;
using System.Text.RegularExpressions;

namespace PushGov.Bench;

/// <summary>
/// Keeps docs/benchmarks.md: one <c>## Pn: …</c> section per benchmark, replaced in place when it is measured again
/// (other sections, e.g. P3 and P4 written by other commands, are left as they are; so is a <c>### Notes</c> part of a section).
/// </summary>
public static partial class BenchmarkDoc
{
    public static string? DefaultPath()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PushGov.Functions.sln")))
            {
                return Path.Combine(dir.FullName, "docs", "benchmarks.md");
            }
        }

        return null;
    }

    /// <summary>Replaces (or appends, keeping P-numbers in order) the section whose heading starts with <c>## {key}</c>.</summary>
    public static void Update(string path, string key, string title, string body)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nFigures measured with `./pushgov bench …`; each section says on what machine and with which command.\n";
        var section = $"## {title}\n\n{body.TrimEnd()}\n";
        var headings = Heading().Matches(text).ToList();
        var own = headings.FindIndex(m => m.Groups["key"].Value == key);
        if (own >= 0)
        {
            var start = headings[own].Index;
            var end = own + 1 < headings.Count ? headings[own + 1].Index : text.Length;

            // Notes written by hand under "### Notes" stay when the figures are measured again.
            var notes = text[start..end].IndexOf("\n### Notes", StringComparison.Ordinal);
            if (notes >= 0)
            {
                section += text[(start + notes)..end].TrimEnd() + "\n";
            }

            text = text[..start] + section + (end < text.Length ? "\n" : string.Empty) + text[end..];
        }
        else
        {
            var after = headings.FirstOrDefault(m => string.CompareOrdinal(m.Groups["key"].Value, key) > 0);
            text = after is null
                ? text.TrimEnd() + "\n\n" + section
                : text[..after.Index] + section + "\n" + text[after.Index..];
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    [GeneratedRegex(@"^## (?<key>P\d+)\b", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
