namespace PushGov.Domain.Messaging.Templates;

/// <summary>
/// Formats a Gregorian date in the Japanese era calendar (和暦) for messages: <c>2026-12-07</c> →
/// <c>令和8年12月7日</c>; the first year of an era is 元年 (<c>2019-05-01</c> → <c>令和元年5月1日</c>).
/// Only formatting: parsing 和暦 lives elsewhere. Dates before 1873 (明治6年, when Japan adopted the
/// Gregorian calendar) have no faithful rendering here and are refused.
/// </summary>
internal static class WarekiFormatter
{
    // Era start days (改元日) in the Gregorian calendar, newest first.
    private static readonly (DateOnly Start, string Name)[] Eras =
    [
        (new DateOnly(2019, 5, 1), "令和"),
        (new DateOnly(1989, 1, 8), "平成"),
        (new DateOnly(1926, 12, 25), "昭和"),
        (new DateOnly(1912, 7, 30), "大正"),
        (new DateOnly(1868, 10, 23), "明治"),
    ];

    private static readonly DateOnly GregorianAdoption = new(1873, 1, 1);

    public static string Format(DateOnly date)
    {
        if (date < GregorianAdoption)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, "和暦 formatting starts at 明治6年 (1873-01-01), when the Gregorian calendar was adopted.");
        }

        foreach (var (start, name) in Eras)
        {
            if (date >= start)
            {
                var year = date.Year - start.Year + 1;
                var yearText = year == 1 ? "元" : year.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return $"{name}{yearText}年{date.Month}月{date.Day}日";
            }
        }

        throw new ArgumentOutOfRangeException(nameof(date), date, "No era for this date.");
    }
}
