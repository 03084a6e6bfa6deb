using PushGov.Domain.Drops;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Drops;

public class JapaneseDateTests
{
    [Theory]
    [InlineData("2026-11-22", "2026-11-22")]
    [InlineData("2026/11/22", "2026-11-22")]
    [InlineData("2026/1/5", "2026-01-05")]
    [InlineData("20261122", "2026-11-22")]
    [InlineData("2026年11月22日", "2026-11-22")]
    [InlineData("令和8年11月22日", "2026-11-22")]
    [InlineData("R8.11.22", "2026-11-22")]
    [InlineData("R08/11/22", "2026-11-22")]
    [InlineData("r8-11-22", "2026-11-22")]
    [InlineData("令和元年5月1日", "2019-05-01")]
    [InlineData("平成31年4月30日", "2019-04-30")]
    [InlineData("H31.4.30", "2019-04-30")]
    [InlineData("S64.1.7", "1989-01-07")]
    [InlineData("平成元年1月8日", "1989-01-08")]
    [InlineData("昭和20年8月15日", "1945-08-15")]
    [InlineData("明治元年10月23日", "1868-10-23")]
    [InlineData("Ｒ８．１１．２２", "2026-11-22")]
    [InlineData("令和８年１１月２２日", "2026-11-22")]
    [InlineData("令和八年十一月二十二日", "2026-11-22")]
    [InlineData("令和元年五月一日", "2019-05-01")]
    [InlineData("平成十年十月十日", "1998-10-10")]
    [InlineData("二〇二六年十一月二十二日", "2026-11-22")]
    [InlineData(" 2026-11-22\u3000", "2026-11-22")]
    [InlineData("昭和 5年 3月 2日", "1930-03-02")]
    [InlineData("令和\u30008年11月22日", "2026-11-22")]
    public void Exact_forms_parse_to_the_same_day(string text, string iso)
    {
        Assert.True(JapaneseDate.TryParseExact(text, out var date, out var error), error);
        Assert.Equal(DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture), date);
    }

    [Theory]
    [InlineData("明治45年7月30日", "大正元年7月30日", "1912-07-30")]
    [InlineData("大正15年12月25日", "昭和元年12月25日", "1926-12-25")]
    [InlineData("M45.7.30", "T1.7.30", "1912-07-30")]
    [InlineData("T15.12.25", "S1.12.25", "1926-12-25")]
    public void Era_change_days_belong_to_both_eras(string older, string newer, string iso)
    {
        var expected = DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, JapaneseDate.ParseExact(older));
        Assert.Equal(expected, JapaneseDate.ParseExact(newer));
    }

    [Theory]
    [InlineData("平成32年1月1日", "平成32年 is outside the 平成 era (1989-01-08 to 2019-04-30)")]
    [InlineData("平成31年5月1日", "平成31年 is outside the 平成 era")]
    [InlineData("昭和64年1月8日", "昭和64年 is outside the 昭和 era (1926-12-25 to 1989-01-07)")]
    [InlineData("令和元年4月30日", "令和元年 is outside the 令和 era")]
    [InlineData("明治元年1月1日", "明治元年 is outside the 明治 era")]
    [InlineData("大正16年1月1日", "大正16年 is outside the 大正 era")]
    [InlineData("明治46年1月1日", "明治46年 is outside the 明治 era")]
    [InlineData("H0.1.1", "平成0年 is outside the 平成 era")]
    public void A_date_outside_its_era_is_an_error(string text, string reason)
    {
        Assert.False(JapaneseDate.TryParseExact(text, out _, out var error));
        Assert.StartsWith(reason, error);
        Assert.False(JapaneseDate.TryParseRegistry(text, out _, out _, out var registryError));
        Assert.StartsWith(reason, registryError);
    }

    [Theory]
    [InlineData("2026-13-01", "month 13 does not exist")]
    [InlineData("2026-11-32", "day 32 does not exist")]
    [InlineData("2026-02-29", "2月29日 does not exist in 2026")]
    [InlineData("hello", "not a date")]
    [InlineData("", "empty date")]
    [InlineData("26-11-22", "not a date (a western year has 4 digits)")]
    [InlineData("2026/11-22", "not a date (mixed separators)")]
    [InlineData("2026-11-22T10:00", "not a date (unexpected characters after the day)")]
    [InlineData("昭和20年頃", "an exact date is required; the value is vague (year only)")]
    [InlineData("年月日不詳", "an exact date is required; the value is vague (年月日不詳)")]
    public void Non_dates_and_vague_dates_are_not_exact(string text, string reason)
    {
        Assert.False(JapaneseDate.TryParseExact(text, out _, out var error));
        Assert.StartsWith(reason, error);
    }

    [Theory]
    [InlineData("平成11年2月29日")]
    [InlineData("昭和50年4月31日")]
    [InlineData("2001-02-29")]
    public void A_birth_date_no_calendar_has_is_kept_as_unknown_with_a_warning(string text)
    {
        Assert.True(JapaneseDate.TryParseRegistry(text, out var date, out var warning, out var error));
        Assert.Null(error);
        Assert.Equal(DatePrecision.Unknown, date.Precision);
        Assert.Null(date.Exact);
        Assert.Equal(text, date.Original);
        Assert.Contains("does not exist", warning);
    }

    [Theory]
    [InlineData("年月日不詳", DatePrecision.Unknown, null)]
    [InlineData("昭和20年頃", DatePrecision.Approximate, "1945-01-01")]
    [InlineData("昭和20年", DatePrecision.Approximate, "1945-01-01")]
    [InlineData("昭和20年月日不詳", DatePrecision.Approximate, "1945-01-01")]
    [InlineData("昭和20年3月", DatePrecision.Approximate, "1945-03-01")]
    [InlineData("昭和20年3月日不詳", DatePrecision.Approximate, "1945-03-01")]
    [InlineData("昭和20年3月上旬", DatePrecision.Approximate, "1945-03-01")]
    [InlineData("昭和20年3月中旬", DatePrecision.Approximate, "1945-03-11")]
    [InlineData("昭和20年3月下旬", DatePrecision.Approximate, "1945-03-21")]
    [InlineData("昭和元年頃", DatePrecision.Approximate, "1926-12-25")]
    [InlineData("1945年頃", DatePrecision.Approximate, "1945-01-01")]
    public void Vague_birth_dates_are_approximate_or_unknown_with_a_warning(string text, DatePrecision precision, string? earliest)
    {
        Assert.True(JapaneseDate.TryParseRegistry(text, out var date, out var warning, out _));
        Assert.Equal(precision, date.Precision);
        Assert.Equal(earliest, date.Approximate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(date.Exact);
        Assert.NotNull(warning);
    }

    [Fact]
    public void An_exact_birth_date_has_no_warning()
    {
        Assert.True(JapaneseDate.TryParseRegistry("S45.3.2", out var date, out var warning, out _));
        Assert.Equal(new DateOnly(1970, 3, 2), date.Exact);
        Assert.Null(warning);
    }

    [Theory]
    [InlineData("2026", 2026)]
    [InlineData("2026年度", 2026)]
    [InlineData("令和8年度", 2026)]
    [InlineData("令和８年度", 2026)]
    [InlineData("R8", 2026)]
    [InlineData("令和元年度", 2019)]
    [InlineData("平成31年度", 2019)]
    [InlineData("平成30年度", 2018)]
    public void Fiscal_years_parse_to_the_western_year_they_start_in(string text, int expected)
    {
        Assert.True(JapaneseDate.TryParseFiscalYear(text, out var year, out var error), error);
        Assert.Equal(expected, year);
    }

    [Theory]
    [InlineData("平成32年度")]
    [InlineData("26")]
    [InlineData("FY2026")]
    [InlineData("")]
    public void Bad_fiscal_years_are_errors(string text) =>
        Assert.False(JapaneseDate.TryParseFiscalYear(text, out _, out _));

    [Theory]
    [InlineData("2026-11-22", "令和8年11月22日")]
    [InlineData("2019-05-01", "令和元年5月1日")]
    [InlineData("2019-04-30", "平成31年4月30日")]
    [InlineData("1989-01-07", "昭和64年1月7日")]
    [InlineData("1989-01-08", "平成元年1月8日")]
    [InlineData("1912-07-30", "大正元年7月30日")]
    [InlineData("1926-12-25", "昭和元年12月25日")]
    [InlineData("1926-12-24", "大正15年12月24日")]
    [InlineData("1912-07-29", "明治45年7月29日")]
    [InlineData("1873-01-01", "明治6年1月1日")]
    public void FormatWareki_writes_the_era_with_gannen_for_year_one(string iso, string expected) =>
        Assert.Equal(expected, JapaneseDate.FormatWareki(DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void FormatWareki_round_trips_through_the_parser_for_every_day_since_meiji()
    {
        for (var d = new DateOnly(1868, 10, 23); d < new DateOnly(2030, 1, 1); d = d.AddDays(7))
        {
            Assert.Equal(d, JapaneseDate.ParseExact(JapaneseDate.FormatWareki(d)));
        }
    }
}
