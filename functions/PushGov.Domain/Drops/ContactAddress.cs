using System.Text.RegularExpressions;
using PhoneNumbers;

namespace PushGov.Domain.Drops;

/// <summary>
/// Checks and normalises contact addresses from drops: phone numbers to E.164 (libphonenumber, default region JP,
/// so <c>090-1234-5678</c> → <c>+819012345678</c>), e-mail syntax, BCP 47 language tags. Reasons never repeat the address.
/// </summary>
public static partial class ContactAddress
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Normalises a phone number that can receive SMS to E.164, or gives the reason it cannot.</summary>
    public static bool TryNormalizeMobile(string text, out string e164, out string? error)
    {
        // Fast path for the forms drops nearly always hold (+819012345678, 090-1234-5678, 09012345678): a subset of
        // what libphonenumber accepts as a Japanese mobile number (checked by a test against it).
        var fast = JapaneseMobile().Match(text);
        if (fast.Success)
        {
            e164 = string.Concat("+81", fast.Groups["a"].ValueSpan, fast.Groups["b"].ValueSpan, fast.Groups["c"].ValueSpan);
            error = null;
            return true;
        }

        return TryNormalizeMobileWithLibrary(text, out e164, out error);
    }

    /// <summary>The full check through libphonenumber (any format, any country).</summary>
    internal static bool TryNormalizeMobileWithLibrary(string text, out string e164, out string? error)
    {
        e164 = string.Empty;
        PhoneNumber number;
        try
        {
            number = Phones.Parse(TextNormalizer.Normalize(text), "JP");
        }
        catch (NumberParseException)
        {
            error = "not a phone number";
            return false;
        }

        if (!Phones.IsValidNumber(number))
        {
            error = "not a valid phone number";
            return false;
        }

        var type = Phones.GetNumberType(number);
        if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            error = "not a mobile number (SMS needs one)";
            return false;
        }

        e164 = Phones.Format(number, PhoneNumberFormat.E164);
        error = null;
        return true;
    }

    /// <summary>
    /// A plain addr-spec check (RFC 5321 sizes, dot-atom local part, a domain of LDH labels with a letter TLD).
    /// Quoted local parts and IP-literal domains are not accepted: municipal systems do not hold them.
    /// </summary>
    public static bool IsEmail(string text) => text.Length <= 254 && EmailPattern().IsMatch(text);

    /// <summary>A well-formed BCP 47 language tag (<c>ja</c>, <c>ja-x-easy</c>, <c>en</c>, <c>zh-Hans</c>, <c>pt-BR</c>, …).</summary>
    public static bool IsLanguageTag(string text) => text.Length <= 64 && LanguageTagPattern().IsMatch(text);

    /// <summary>A language tag with conventional case: language lower, script title, region upper, the rest lower.</summary>
    public static string CanonicalLanguageTag(string tag)
    {
        var parts = tag.Split('-');
        var privateUse = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            if (i > 0 && p.Length == 1)
            {
                privateUse = true;
            }

            parts[i] = !privateUse && i > 0 && p.Length == 4 && char.IsAsciiLetter(p[0])
                ? char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()
                : !privateUse && i > 0 && p.Length == 2
                    ? p.ToUpperInvariant()
                    : p.ToLowerInvariant();
        }

        return string.Join('-', parts);
    }

    [GeneratedRegex(@"^(?:\+81|0)(?<a>[789]0)-?(?<b>[1-9]\d{3})-?(?<c>\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex JapaneseMobile();

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,64}(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    // RFC 5646 langtag with an ISO 639 (2-3 letter) primary language (language[-script][-region]*(-variant)*(-extension)*[-privateuse]) or a private-use-only tag.
    [GeneratedRegex(@"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?|[Xx](?:-[A-Za-z0-9]{1,8})+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTagPattern();
}
