using System.Buffers;

namespace PushGov.Domain.Drops;

/// <summary>
/// Normalises drop text the way data-drops.md asks: full-width ASCII (<c>０１２</c>, <c>ＡＢ</c>, <c>＝</c>) to half-width,
/// half-width katakana (<c>ｶﾅ</c>, <c>ｶﾞ</c>, <c>ﾊﾟ</c>) to full-width (voiced marks combined), leading and trailing
/// spaces trimmed (including the ideographic space U+3000). Runs on every field: when nothing needs changing no
/// work beyond one vectorised scan is done, and <see cref="Normalize(string)"/> returns the same instance.
/// </summary>
public static class TextNormalizer
{
    private const char FirstWide = '\uFF01';
    private const char LastWideAscii = '\uFF5E';
    private const char FirstHalfKana = '\uFF61';
    private const char LastHalfKana = '\uFF9F';
    private const char HalfDakuten = '\uFF9E';
    private const char HalfHandakuten = '\uFF9F';

    // U+FF61..U+FF9F → full-width (。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜).
    private static readonly char[] HalfKanaToFull =
        "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜".ToCharArray();

    /// <summary>Normalises <paramref name="text"/>; returns the same instance when nothing changes.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NeedsWork(text) ? Rewrite(text) : text;
    }

    /// <summary>Normalises a span (e.g. a CSV field) into a new string.</summary>
    public static string Normalize(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return string.Empty;
        }

        return NeedsWork(text) ? Rewrite(text) : new string(text);
    }

    /// <summary>True when <see cref="Normalize(ReadOnlySpan{char})"/> would change the text.</summary>
    public static bool NeedsWork(ReadOnlySpan<char> text) =>
        !text.IsEmpty
        && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.IndexOfAnyInRange(FirstWide, LastHalfKana) >= 0);

    /// <summary>True when <paramref name="text"/> is one or more ASCII digits.</summary>
    internal static bool IsAsciiDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');

    private static string Rewrite(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return string.Empty;
        }

        char[]? rented = null;
        var buffer = text.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            var length = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c is >= FirstWide and <= LastWideAscii)
                {
                    buffer[length++] = (char)(c - 0xFEE0);
                }
                else if (c is >= FirstHalfKana and <= LastHalfKana)
                {
                    var full = HalfKanaToFull[c - FirstHalfKana];
                    if (i + 1 < text.Length && text[i + 1] == HalfDakuten && TryVoice(full, out var voiced))
                    {
                        full = voiced;
                        i++;
                    }
                    else if (i + 1 < text.Length && text[i + 1] == HalfHandakuten && TrySemiVoice(full, out var semi))
                    {
                        full = semi;
                        i++;
                    }

                    buffer[length++] = full;
                }
                else
                {
                    buffer[length++] = c;
                }
            }

            return new string(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    // Full-width katakana whose voiced (濁音) form is the next code point: カ..ト (every other one) and ハ..ホ (every third).
    private static bool TryVoice(char full, out char voiced)
    {
        voiced = full switch
        {
            >= 'カ' and <= 'ト' when (full - 'カ') % 2 == 0 && full != 'ッ' => (char)(full + 1),
            'ツ' => 'ヅ',
            'テ' => 'デ',
            'ト' => 'ド',
            >= 'ハ' and <= 'ホ' when (full - 'ハ') % 3 == 0 => (char)(full + 1),
            'ウ' => 'ヴ',
            'ワ' => 'ヷ',
            'ヲ' => 'ヺ',
            _ => '\0',
        };
        return voiced != '\0';
    }

    private static bool TrySemiVoice(char full, out char semi)
    {
        semi = full is >= 'ハ' and <= 'ホ' && (full - 'ハ') % 3 == 0 ? (char)(full + 2) : '\0';
        return semi != '\0';
    }
}
