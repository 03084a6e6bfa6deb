namespace PushGov.Domain.Messaging.Templates;

/// <summary>How an SMS body is encoded on the air.</summary>
public enum SmsEncoding
{
    /// <summary>GSM 03.38 7-bit default alphabet (with its extension table).</summary>
    Gsm7,

    /// <summary>UCS-2 (UTF-16 code units): any Japanese text.</summary>
    Ucs2,
}

/// <summary>
/// The size of one SMS body: <see cref="Units"/> are septets for GSM-7 (extension-table characters count 2)
/// and UTF-16 code units for UCS-2 (a surrogate pair counts 2); <see cref="Parts"/> is how many concatenated
/// messages carry it.
/// </summary>
public readonly record struct SmsCount(SmsEncoding Encoding, int Units, int Parts);

/// <summary>
/// Counts SMS fragments. GSM-7: 160 septets in one message, 153 per part when concatenated.
/// UCS-2: 70 units in one message, 67 per part. When a message is split, an escape sequence (GSM-7) or a
/// surrogate pair (UCS-2) is never cut in two, as handsets and aggregators do; that can cost an extra part.
/// The three large Japanese carriers deliver concatenated messages up to <see cref="MaxJapaneseCharacters"/>.
/// </summary>
public static class SmsFragments
{
    public const int GsmSingle = 160;
    public const int GsmPerPart = 153;
    public const int Ucs2Single = 70;
    public const int Ucs2PerPart = 67;

    /// <summary>Japanese carriers deliver up to 670 characters (10 parts of 67).</summary>
    public const int MaxJapaneseCharacters = 670;

    // GSM 03.38 basic character set (0x1B, the escape, is not a character of its own).
    private const string GsmBasic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // GSM 03.38 extension table: each is sent as ESC + character, so it costs two septets.
    private const string GsmExtension = "^{}\\[~]|€\f";

    private static readonly HashSet<char> Basic = [.. GsmBasic];
    private static readonly HashSet<char> Extension = [.. GsmExtension];

    public static SmsCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsGsm7(text) ? CountGsm(text) : CountUcs2(text);
    }

    /// <summary>True when every character is in the GSM 03.38 basic set or its extension table.</summary>
    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c) || Extension.Contains(c));

    private static SmsCount CountGsm(string text)
    {
        var septets = text.Sum(c => Extension.Contains(c) ? 2 : 1);
        if (septets <= GsmSingle)
        {
            return new SmsCount(SmsEncoding.Gsm7, septets, septets == 0 ? 0 : 1);
        }

        var parts = 1;
        var used = 0;
        foreach (var c in text)
        {
            var cost = Extension.Contains(c) ? 2 : 1;
            if (used + cost > GsmPerPart)
            {
                parts++;
                used = 0;
            }

            used += cost;
        }

        return new SmsCount(SmsEncoding.Gsm7, septets, parts);
    }

    private static SmsCount CountUcs2(string text)
    {
        var units = text.Length;
        if (units <= Ucs2Single)
        {
            return new SmsCount(SmsEncoding.Ucs2, units, 1);
        }

        var parts = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cost = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (used + cost > Ucs2PerPart)
            {
                parts++;
                used = 0;
            }

            used += cost;
            i += cost - 1;
        }

        return new SmsCount(SmsEncoding.Ucs2, units, parts);
    }
}
