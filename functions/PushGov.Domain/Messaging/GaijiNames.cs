using System.Text;
using PushGov.Domain.Drops;

namespace PushGov.Domain.Messaging;

/// <summary>How an SMS or e-mail names a resident whose name has a 外字 the tenant's 外字 table does not map.</summary>
public enum UnmappedGaijiRule
{
    /// <summary>The kana reading (フリガナ) of the name; a part without one shows 〓 for the character.</summary>
    Kana,

    /// <summary>The name with 〓 (the geta mark, 下駄記号, the printer's sign for a missing character) in place of each.</summary>
    Geta,
}

/// <summary>
/// Keeps an unmapped 外字 (a private-use code point U+E000–U+E757 that only the municipality's fonts can show) out of
/// what a resident reads: messages use the kana reading or 〓 instead of a blank box; print files carry 〓 and name the
/// code so the print vendor can set the character from the municipality's 外字 font.
/// </summary>
public static class GaijiNames
{
    /// <summary>〓 (U+3013 GETA MARK).</summary>
    public const char Geta = '\u3013';

    /// <summary>True when <paramref name="text"/> holds an unmapped 外字.</summary>
    public static bool HasUnmapped(string? text) => text is not null && GaijiTable.IndexOfGaiji(text) >= 0;

    /// <summary>The family and given name a digital message shows (see <see cref="UnmappedGaijiRule"/>); unchanged without an unmapped 外字.</summary>
    public static (string? Family, string? Given) ForMessage(string? family, string? given, string? familyKana, string? givenKana, UnmappedGaijiRule rule)
    {
        if (!HasUnmapped(family) && !HasUnmapped(given))
        {
            return (family, given);
        }

        static bool Has(string? s) => !string.IsNullOrWhiteSpace(s);
        if (rule == UnmappedGaijiRule.Kana && (!Has(family) || Has(familyKana)) && (!Has(given) || Has(givenKana)))
        {
            // The whole name in kana: one reading, not kanji and kana mixed.
            return (Has(family) ? familyKana : family, Has(given) ? givenKana : given);
        }

        return (Part(family, familyKana, rule), Part(given, givenKana, rule));
    }

    /// <summary><paramref name="text"/> with 〓 for each unmapped 外字.</summary>
    public static string WithGeta(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasUnmapped(text))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (GaijiTable.IsGaiji(chars[i]))
            {
                chars[i] = Geta;
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// For a print file: <paramref name="text"/> with 〓 for each unmapped 外字, and for each one a note
    /// <c>{column}[{position}]={code}</c> (1-based character position, CP932 code) appended to <paramref name="notes"/>.
    /// </summary>
    public static string MarkForPrint(string column, string text, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(notes);
        if (!HasUnmapped(text))
        {
            return text;
        }

        var marked = new StringBuilder(text.Length);
        var position = 0;
        for (var i = 0; i < text.Length; i++)
        {
            position++;
            var c = text[i];
            if (GaijiTable.IsGaiji(c))
            {
                marked.Append(Geta);
                notes.Add($"{column}[{position}]={GaijiTable.CodeOf(c)}");
                continue;
            }

            marked.Append(c);
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                marked.Append(text[++i]);
            }
        }

        return marked.ToString();
    }

    private static string? Part(string? name, string? kana, UnmappedGaijiRule rule) =>
        !HasUnmapped(name) ? name
        : rule == UnmappedGaijiRule.Kana && !string.IsNullOrWhiteSpace(kana) ? kana
        : WithGeta(name!);
}
