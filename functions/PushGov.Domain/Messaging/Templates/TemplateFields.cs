using System.Globalization;

namespace PushGov.Domain.Messaging.Templates;

/// <summary>
/// The fields a template may name, how each is read from a <see cref="TemplateModel"/> and formatted in a
/// language, and which may appear in an SMS (no personal detail beyond the first name: no amount, no
/// family name, no address).
/// </summary>
public static class TemplateFields
{
    public const string FirstName = "first_name";
    public const string FamilyName = "family_name";
    public const string ServiceName = "service_name";
    public const string Municipality = "municipality";
    public const string Deadline = "deadline";
    public const string DeadlineWareki = "deadline_wareki";
    public const string Amount = "amount";
    public const string PortalUrl = "portal_url";
    public const string Counter = "counter";
    public const string CaseUrl = "case_url";
    public const string UnsubscribeUrl = "unsubscribe_url";

    /// <summary>Every field name a template may use.</summary>
    public static IReadOnlyList<string> All { get; } =
        [FirstName, FamilyName, ServiceName, Municipality, Deadline, DeadlineWareki, Amount, PortalUrl, Counter, CaseUrl, UnsubscribeUrl];

    /// <summary>Fields an SMS template may not name: they are personal or tied to a person's income.</summary>
    public static IReadOnlySet<string> NotInSms { get; } = new HashSet<string>(StringComparer.Ordinal) { FamilyName, Amount };

    /// <summary>Fields holding links: in derived HTML e-mail they become &lt;a href&gt;.</summary>
    internal static IReadOnlySet<string> Urls { get; } = new HashSet<string>(StringComparer.Ordinal) { PortalUrl, CaseUrl, UnsubscribeUrl };

    private static readonly string[] EnglishMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] PortugueseMonths =
        ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"];

    /// <summary>The value of <paramref name="field"/> for <paramref name="language"/>, or null when the model does not have it.</summary>
    internal static string? Value(string field, TemplateModel model, string language, string? catalogServiceName) => field switch
    {
        FirstName => NonEmpty(model.FirstName),
        FamilyName => NonEmpty(model.FamilyName),
        ServiceName => NonEmpty(model.ServiceName) ?? catalogServiceName,
        Municipality => NonEmpty(model.Municipality),
        Deadline => model.Deadline is { } d ? FormatDate(d, language) : null,
        DeadlineWareki => model.Deadline is { } d ? Drops.JapaneseDate.FormatWareki(d) : null,
        Amount => model.AmountYen is { } a ? FormatYen(a, language) : null,
        PortalUrl => Link(model.PortalUrl, field),
        Counter => NonEmpty(model.Counter),
        CaseUrl => Link(model.CaseUrl, field),
        UnsubscribeUrl => Link(model.UnsubscribeUrl, field),
        _ => null,
    };

    /// <summary>A date in 西暦 as the language writes it: 2026年12月7日, 7 December 2026, 2026년 12월 7일 …</summary>
    public static string FormatDate(DateOnly date, string language) => BaseLanguage(language) switch
    {
        "ja" or "zh" => $"{date.Year}年{date.Month}月{date.Day}日",
        "ko" => $"{date.Year}년 {date.Month}월 {date.Day}일",
        "en" => $"{date.Day} {EnglishMonths[date.Month - 1]} {date.Year}",
        "pt" => $"{date.Day} de {PortugueseMonths[date.Month - 1]} de {date.Year}",
        "vi" => $"ngày {date.Day} tháng {date.Month} năm {date.Year}",
        _ => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>Yen with thousands separators: 15,000円 in Japanese, ¥15,000 elsewhere.</summary>
    public static string FormatYen(long amount, string language)
    {
        var digits = amount.ToString("#,0", CultureInfo.InvariantCulture);
        return BaseLanguage(language) switch
        {
            "ja" => $"{digits}円",
            "zh" => $"{digits}日元",
            "ko" => $"{digits}엔",
            _ => $"¥{digits}",
        };
    }

    private static string BaseLanguage(string language)
    {
        var dash = language.IndexOf('-', StringComparison.Ordinal);
        return (dash < 0 ? language : language[..dash]).ToLowerInvariant();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Link(Uri? uri, string field)
    {
        if (uri is null)
        {
            return null;
        }

        // A link is shown and clicked: only absolute http(s) links, never javascript: or data:.
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"Field {field} must be an absolute http(s) link.", nameof(uri));
        }

        return uri.AbsoluteUri;
    }
}
