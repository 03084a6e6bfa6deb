using System.Globalization;
using System.Text;

namespace PushGov.Domain.Messaging.Templates;

/// <summary>A postal recipient (宛先). Personal data: never log it in clear.</summary>
public sealed record PostalAddress(string PostalCode, string Address, string FamilyName, string GivenName);

/// <summary>
/// The address block of a letter in Japanese postal order: 〒 and the postal code (郵便番号) on the first
/// line, the address on the next (long addresses wrap at <see cref="MaxLineLength"/>), then the full name
/// (family name first) with the honorific 様.
/// </summary>
public static class PostalAddressBlock
{
    /// <summary>Characters per address line on a window envelope (長形3号) before the line wraps.</summary>
    public const int MaxLineLength = 24;

    private const char IdeographicSpace = '\u3000';

    public static string Format(PostalAddress recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return Format(recipient.PostalCode, recipient.Address, recipient.FamilyName, recipient.GivenName);
    }

    /// <summary><c>("8108620", "福岡県福岡市中央区天神1-8-1", "山田", "太郎")</c> → <c>〒810-8620 / 福岡県福岡市中央区天神1-8-1 / 山田　太郎　様</c>.</summary>
    public static string Format(string postalCode, string address, string familyName, string givenName)
    {
        ArgumentNullException.ThrowIfNull(postalCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(familyName);

        var digits = new string(postalCode.Normalize(NormalizationForm.FormKC).Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != 7)
        {
            // The value itself is personal data: say only what is wrong with it.
            throw new FormatException($"A Japanese postal code has 7 digits; got {digits.Length}.");
        }

        var block = new StringBuilder();
        block.Append('〒').Append(digits, 0, 3).Append('-').Append(digits, 3, 4).Append('\n');
        foreach (var line in Wrap(address.Trim(), MaxLineLength))
        {
            block.Append(line).Append('\n');
        }

        block.Append(familyName.Trim());
        if (!string.IsNullOrWhiteSpace(givenName))
        {
            block.Append(IdeographicSpace).Append(givenName.Trim());
        }

        block.Append(IdeographicSpace).Append('様');
        return block.ToString();
    }

    /// <summary>
    /// The last place at or before <paramref name="at"/> between two text elements, so a surrogate pair (𠮷), an
    /// ideographic variation sequence (葛󠄀) or a letter with its combining mark is never split across lines; the end of
    /// the first element when that one alone is longer.
    /// </summary>
    private static int Boundary(string text, int at)
    {
        var boundary = 0;
        while (boundary < text.Length)
        {
            var next = boundary + StringInfo.GetNextTextElementLength(text, boundary);
            if (next > at)
            {
                return boundary > 0 ? boundary : next;
            }

            boundary = next;
        }

        return boundary;
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        foreach (var paragraph in text.Split('\n'))
        {
            var rest = paragraph.Trim();
            while (rest.Length > width)
            {
                // Prefer to break after a space so building names stay whole.
                var cut = rest.LastIndexOfAny([' ', IdeographicSpace], width);
                cut = cut <= 0 ? Boundary(rest, width) : cut + 1;

                yield return rest[..cut].TrimEnd();
                rest = rest[cut..].TrimStart();
            }

            if (rest.Length > 0)
            {
                yield return rest;
            }
        }
    }
}
