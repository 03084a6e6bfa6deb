using System.Globalization;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Drops;

/// <summary>
/// Parses the dates municipal exports contain: <c>2026-11-22</c>, <c>2026/11/22</c>, <c>20261122</c>, <c>2026年11月22日</c>,
/// and the Japanese era (和暦): <c>令和8年11月22日</c>, <c>R8.11.22</c>, <c>R08/11/22</c>, <c>令和元年5月1日</c>, <c>H31.4.30</c>,
/// <c>S64.1.7</c>, with full-width or kanji numerals (<c>令和八年十一月二十二日</c>). A date outside its era is an error, never
/// a guess. The day an emperor died and the next era began (明治45年7月30日 = 大正元年7月30日, 大正15年12月25日 = 昭和元年12月25日)
/// belongs to both eras; 昭和 ended on 1989-01-07 and 平成 on 2019-04-30.
/// </summary>
public static class JapaneseDate
{
    /// <summary>An era (元号): its name, the letter exports abbreviate it with, its first and last day.</summary>
    public sealed record Era(string Name, char Letter, DateOnly First, DateOnly? Last);

    /// <summary>The modern eras, oldest first.</summary>
    public static IReadOnlyList<Era> Eras { get; } =
    [
        new("明治", 'M', new DateOnly(1868, 10, 23), new DateOnly(1912, 7, 30)),
        new("大正", 'T', new DateOnly(1912, 7, 30), new DateOnly(1926, 12, 25)),
        new("昭和", 'S', new DateOnly(1926, 12, 25), new DateOnly(1989, 1, 7)),
        new("平成", 'H', new DateOnly(1989, 1, 8), new DateOnly(2019, 4, 30)),
        new("令和", 'R', new DateOnly(2019, 5, 1), null),
    ];

    /// <summary>An exact calendar day, or false with a reason that does not repeat the whole input.</summary>
    public static bool TryParseExact(ReadOnlySpan<char> text, out DateOnly date, out string? error)
    {
        var parsed = ParseCore(text);
        date = default;
        switch (parsed.Kind)
        {
            case Kind.Exact:
                date = parsed.Date;
                error = null;
                return true;
            case Kind.Error:
                error = parsed.Message;
                return false;
            case Kind.ImpossibleDay:
                error = parsed.Message;
                return false;
            default:
                error = "an exact date is required; the value is vague (" + parsed.Message + ")";
                return false;
        }
    }

    /// <summary>Parses an exact date or throws <see cref="FormatException"/>.</summary>
    public static DateOnly ParseExact(string text) =>
        TryParseExact(text, out var date, out var error) ? date : throw new FormatException(error);

    /// <summary>
    /// Parses a birth or death date as the registry holds it. A day no calendar has (<c>平成11年2月29日</c>) becomes
    /// <see cref="DatePrecision.Unknown"/>; <c>年月日不詳</c> Unknown; <c>昭和20年頃</c>, <c>昭和20年3月上旬</c> Approximate (earliest
    /// day). <paramref name="warning"/> says why the date is not exact; <paramref name="error"/> is set when the text
    /// is not a date at all (or lies outside its era), and then the result is false.
    /// </summary>
    public static bool TryParseRegistry(ReadOnlySpan<char> text, out RegistryDate date, out string? warning, out string? error)
    {
        var parsed = ParseCore(text);
        warning = null;
        error = null;
        date = default;
        switch (parsed.Kind)
        {
            case Kind.Exact:
                date = RegistryDate.Of(parsed.Date);
                return true;
            case Kind.Unknown:
                date = new RegistryDate(DatePrecision.Unknown, null, TextNormalizer.Normalize(text));
                warning = "date is unknown (" + parsed.Message + "); nothing date-dependent is derived from it";
                return true;
            case Kind.ImpossibleDay:
                date = new RegistryDate(DatePrecision.Unknown, null, TextNormalizer.Normalize(text));
                warning = parsed.Message + "; kept as unknown, nothing date-dependent is derived from it";
                return true;
            case Kind.Approximate:
                date = new RegistryDate(DatePrecision.Approximate, parsed.Date, TextNormalizer.Normalize(text));
                warning = "date is approximate (" + parsed.Message + "); nothing date-dependent is derived from it";
                return true;
            default:
                error = parsed.Message;
                return false;
        }
    }

    /// <summary>A fiscal year (年度): <c>2026</c>, <c>2026年度</c>, <c>令和8年度</c>, <c>R8</c> → 2026.</summary>
    public static bool TryParseFiscalYear(ReadOnlySpan<char> text, out int year, out string? error)
    {
        year = 0;
        var s = TextNormalizer.Normalize(text).AsSpan();
        if (s.EndsWith("年度", StringComparison.Ordinal))
        {
            s = s[..^2];
        }
        else if (s.EndsWith('年'))
        {
            s = s[..^1];
        }

        var pos = 0;
        var era = ReadEra(s, ref pos);
        if (!ReadNumber(s, ref pos, era is not null, out var number, out var digits) || pos != s.Length)
        {
            error = "not a fiscal year (expected e.g. 2026 or 令和8年度)";
            return false;
        }

        if (era is null)
        {
            if (digits != 4 || number is < 1900 or > 2200)
            {
                error = "not a fiscal year (expected a 4-digit year such as 2026)";
                return false;
            }

            year = number;
            error = null;
            return true;
        }

        year = era.First.Year + number - 1;
        // 年度 n of an era runs from 1 April; the era must have been in force during that fiscal year.
        if (number < 1 || (era.Last is { } last && new DateOnly(year, 4, 1) > last))
        {
            error = $"{EraYear(era, number)}年度 is outside the {era.Name} era";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary><c>2026-11-22</c> → <c>令和8年11月22日</c>; the first year of an era is <c>元年</c>. An era change day is written in the new era.</summary>
    public static string FormatWareki(DateOnly date)
    {
        for (var i = Eras.Count - 1; i >= 0; i--)
        {
            var era = Eras[i];
            if (date >= era.First)
            {
                var y = date.Year - era.First.Year + 1;
                var yearText = y == 1 ? "元" : y.ToString(CultureInfo.InvariantCulture);
                return $"{era.Name}{yearText}年{date.Month}月{date.Day}日";
            }
        }

        return $"{date.Year}年{date.Month}月{date.Day}日";
    }

    private enum Kind
    {
        Exact,
        Approximate,
        ImpossibleDay,
        Unknown,
        Error,
    }

    private readonly record struct Parsed(Kind Kind, DateOnly Date, string Message)
    {
        public static Parsed Fail(string message) => new(Kind.Error, default, message);
    }

    private static Parsed ParseCore(ReadOnlySpan<char> raw)
    {
        // Drop fields arrive normalised already: only allocate when something needs changing.
        var text = TextNormalizer.NeedsWork(raw) ? TextNormalizer.Normalize(raw).AsSpan() : raw;
        if (text.IsEmpty)
        {
            return Parsed.Fail("empty date");
        }

        // Fixed-width exports pad numbers with spaces (昭和 5年 3月 2日): drop inner spaces.
        if (text.ContainsAny(' ', '\u3000'))
        {
            text = text.ToString().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\u3000", string.Empty, StringComparison.Ordinal);
        }

        if (text is "年月日不詳" or "生年月日不詳" or "不詳" or "不明")
        {
            return new Parsed(Kind.Unknown, default, "年月日不詳");
        }

        // Fast path for the most common form, yyyy-MM-dd.
        if (text.Length == 10 && text[4] == '-' && text[7] == '-'
            && TextNormalizer.IsAsciiDigits(text[..4]) && TextNormalizer.IsAsciiDigits(text.Slice(5, 2)) && TextNormalizer.IsAsciiDigits(text[8..]))
        {
            return Build(
                null,
                ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0'),
                ((text[5] - '0') * 10) + (text[6] - '0'),
                ((text[8] - '0') * 10) + (text[9] - '0'));
        }

        var pos = 0;
        var era = ReadEra(text, ref pos);
        if (era is null && text.Length == 8 && TextNormalizer.IsAsciiDigits(text))
        {
            return Build(null, int.Parse(text[..4], CultureInfo.InvariantCulture), int.Parse(text[4..6], CultureInfo.InvariantCulture), int.Parse(text[6..], CultureInfo.InvariantCulture));
        }

        if (!ReadNumber(text, ref pos, era is not null, out var year, out var yearDigits))
        {
            return Parsed.Fail("not a date (expected e.g. 2026-11-22 or 令和8年11月22日)");
        }

        if (era is null && yearDigits != 4)
        {
            return Parsed.Fail("not a date (a western year has 4 digits)");
        }

        // Separator after the year: 年, '.', '/', '-'.
        if (pos >= text.Length)
        {
            return Parsed.Fail("not a date (no month and day)");
        }

        var separator = text[pos];
        if (separator is not ('年' or '.' or '/' or '-'))
        {
            return Parsed.Fail("not a date (unexpected character after the year)");
        }

        pos++;
        var rest = text[pos..];
        if (rest.IsEmpty || rest is "頃" or "ころ" or "月日不詳" or "不詳")
        {
            return separator == '年' ? Approximate(era, year, null, 1, "year only") : Parsed.Fail("not a date (no month and day)");
        }

        if (!ReadNumber(text, ref pos, false, out var month, out _))
        {
            return Parsed.Fail("not a date (no month)");
        }

        if (pos >= text.Length)
        {
            return Parsed.Fail("not a date (no day)");
        }

        var monthSeparator = text[pos];
        var expected = separator == '年' ? '月' : separator;
        if (monthSeparator != expected)
        {
            return Parsed.Fail("not a date (mixed separators)");
        }

        pos++;
        rest = text[pos..];
        if (separator == '年')
        {
            switch (rest)
            {
                case "" or "頃" or "ころ" or "日不詳" or "不詳":
                    return Approximate(era, year, month, 1, "month only");
                case "上旬":
                    return Approximate(era, year, month, 1, "上旬");
                case "中旬":
                    return Approximate(era, year, month, 11, "中旬");
                case "下旬":
                    return Approximate(era, year, month, 21, "下旬");
                default:
                    break;
            }
        }

        if (!ReadNumber(text, ref pos, false, out var day, out _))
        {
            return Parsed.Fail("not a date (no day)");
        }

        if (separator == '年' && pos < text.Length && text[pos] == '日')
        {
            pos++;
        }

        if (pos != text.Length)
        {
            return Parsed.Fail("not a date (unexpected characters after the day)");
        }

        return Build(era, year, month, day);
    }

    private static Parsed Build(Era? era, int eraOrWesternYear, int month, int day)
    {
        if (month is < 1 or > 12)
        {
            return Parsed.Fail($"month {month} does not exist");
        }

        if (day is < 1 or > 31)
        {
            return Parsed.Fail($"day {day} does not exist");
        }

        var yearCheck = WesternYear(era, eraOrWesternYear, out var year);
        if (yearCheck is not null)
        {
            return Parsed.Fail(yearCheck);
        }

        if (day > DateTime.DaysInMonth(year, month))
        {
            return new Parsed(Kind.ImpossibleDay, default, $"{month}月{day}日 does not exist in {year}");
        }

        var date = new DateOnly(year, month, day);
        if (era is not null && (date < era.First || (era.Last is { } last && date > last)))
        {
            return Parsed.Fail(OutOfEra(era, eraOrWesternYear));
        }

        return new Parsed(Kind.Exact, date, string.Empty);
    }

    private static Parsed Approximate(Era? era, int eraOrWesternYear, int? month, int day, string what)
    {
        if (month is < 1 or > 12)
        {
            return Parsed.Fail($"month {month} does not exist");
        }

        var yearCheck = WesternYear(era, eraOrWesternYear, out var year);
        if (yearCheck is not null)
        {
            return Parsed.Fail(yearCheck);
        }

        var earliest = new DateOnly(year, month ?? 1, day);
        if (era is not null)
        {
            var latest = month is { } m ? new DateOnly(year, m, DateTime.DaysInMonth(year, m)) : new DateOnly(year, 12, 31);
            if (latest < era.First || (era.Last is { } last && earliest > last))
            {
                return Parsed.Fail(OutOfEra(era, eraOrWesternYear));
            }

            if (earliest < era.First)
            {
                earliest = era.First;
            }
        }

        return new Parsed(Kind.Approximate, earliest, what);
    }

    private static string? WesternYear(Era? era, int eraOrWesternYear, out int year)
    {
        if (era is null)
        {
            year = eraOrWesternYear;
            return year is < 1800 or > 2200 ? $"year {year} is out of range" : null;
        }

        year = era.First.Year + eraOrWesternYear - 1;
        if (eraOrWesternYear < 1 || (era.Last is { } last && year > last.Year))
        {
            return OutOfEra(era, eraOrWesternYear);
        }

        return null;
    }

    private static string OutOfEra(Era era, int eraYear) =>
        $"{EraYear(era, eraYear)}年 is outside the {era.Name} era ({era.First:yyyy-MM-dd} to {(era.Last is { } last ? last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "today")})";

    private static string EraYear(Era era, int year) =>
        era.Name + (year == 1 ? "元" : year.ToString(CultureInfo.InvariantCulture));

    private static Era? ReadEra(ReadOnlySpan<char> text, ref int pos)
    {
        if (text.Length - pos < 2)
        {
            return null;
        }

        foreach (var era in Eras)
        {
            if (text[pos..].StartsWith(era.Name, StringComparison.Ordinal))
            {
                pos += era.Name.Length;
                return era;
            }
        }

        var c = char.ToUpperInvariant(text[pos]);
        foreach (var era in Eras)
        {
            if (c == era.Letter || text[pos] == era.Name[0])
            {
                pos++;
                return era;
            }
        }

        return null;
    }

    /// <summary>Reads ASCII digits, a kanji numeral (〇一二…九十, e.g. 二十二, 二〇二六) or, for an era year, 元.</summary>
    private static bool ReadNumber(ReadOnlySpan<char> text, ref int pos, bool allowGan, out int value, out int digits)
    {
        value = 0;
        digits = 0;
        if (pos >= text.Length)
        {
            return false;
        }

        if (allowGan && text[pos] == '元')
        {
            pos++;
            value = 1;
            digits = 1;
            return true;
        }

        var start = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]) && pos - start < 9)
        {
            value = (value * 10) + (text[pos] - '0');
            pos++;
        }

        if (pos > start)
        {
            digits = pos - start;
            return true;
        }

        // Kanji numerals: positional (二〇二六) or with 十 (二十二, 十一, 十).
        var sawTen = false;
        var current = 0;
        while (pos < text.Length && pos - start < 9)
        {
            var d = KanjiDigit(text[pos]);
            if (d >= 0)
            {
                current = (current * 10) + d;
            }
            else if (text[pos] == '十' && !sawTen)
            {
                value = (current == 0 ? 1 : current) * 10;
                current = 0;
                sawTen = true;
            }
            else
            {
                break;
            }

            pos++;
        }

        if (pos == start)
        {
            return false;
        }

        value += current;
        digits = pos - start;
        return true;
    }

    private static int KanjiDigit(char c) => c switch
    {
        '〇' or '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => -1,
    };
}
