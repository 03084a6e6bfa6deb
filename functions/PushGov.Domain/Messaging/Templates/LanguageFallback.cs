namespace PushGov.Domain.Messaging.Templates;

/// <summary>
/// Chooses the language a message is rendered in: the resident's language (exact, then its base tags:
/// <c>zh-Hans-CN</c> → <c>zh-Hans</c>, <c>en-GB</c> → <c>en</c>; a region-only Chinese tag maps to its script,
/// <c>zh-CN</c> → <c>zh-Hans</c>), then やさしい日本語 (<c>ja-x-easy</c>), then <c>ja</c>.
/// A resident with no language recorded gets <c>ja</c>. Tags compare without regard to case.
/// </summary>
public static class LanguageFallback
{
    public const string Japanese = "ja";
    public const string EasyJapanese = "ja-x-easy";

    // Likely scripts for Chinese tags that carry a region but no script (after CLDR likely subtags).
    private static readonly Dictionary<string, string> ChineseScripts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zh"] = "zh-Hans",
        ["zh-CN"] = "zh-Hans",
        ["zh-SG"] = "zh-Hans",
        ["zh-TW"] = "zh-Hant",
        ["zh-HK"] = "zh-Hant",
        ["zh-MO"] = "zh-Hant",
    };

    /// <summary>The tags tried, in order, for <paramref name="requested"/>.</summary>
    public static IReadOnlyList<string> Chain(string? requested)
    {
        var chain = new List<string>();
        if (string.IsNullOrWhiteSpace(requested))
        {
            chain.Add(Japanese);
            return chain;
        }

        var tag = requested.Trim().Replace('_', '-');
        var traditional = false;
        while (tag.Length > 0)
        {
            // CLDR: Traditional Chinese does not fall back to zh (Simplified).
            traditional |= tag.Contains("-Hant", StringComparison.OrdinalIgnoreCase) || ChineseScripts.GetValueOrDefault(tag) == "zh-Hant";
            if (traditional && tag.Equals("zh", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            Add(chain, tag);
            if (ChineseScripts.TryGetValue(tag, out var script))
            {
                Add(chain, script);
            }

            tag = Shorten(tag);
        }

        Add(chain, EasyJapanese);
        Add(chain, Japanese);
        return chain;
    }

    /// <summary>The first tag of the chain that <paramref name="available"/> holds, in the catalog's spelling.</summary>
    public static string? Resolve(string? requested, IEnumerable<string> available)
    {
        var byTag = available.ToDictionary(a => a, a => a, StringComparer.OrdinalIgnoreCase);
        return Chain(requested).Select(t => byTag.GetValueOrDefault(t)).FirstOrDefault(t => t is not null);
    }

    private static void Add(List<string> chain, string tag)
    {
        if (!chain.Contains(tag, StringComparer.OrdinalIgnoreCase))
        {
            chain.Add(tag);
        }
    }

    // Drops the last subtag, and a singleton left dangling before it (ja-x-easy → ja, not ja-x).
    private static string Shorten(string tag)
    {
        var dash = tag.LastIndexOf('-');
        if (dash < 0)
        {
            return string.Empty;
        }

        var shorter = tag[..dash];
        var previous = shorter.LastIndexOf('-');
        if (previous >= 0 && shorter.Length - previous - 1 == 1)
        {
            shorter = shorter[..previous];
        }

        return shorter;
    }
}
