using PushGov.Domain.Messaging.Templates;

namespace PushGov.Domain.Tests.Messaging.Templates;

public class WarekiFormatterTests
{
    [Theory]
    [InlineData(2026, 12, 7, "令和8年12月7日")]
    [InlineData(2019, 5, 1, "令和元年5月1日")]
    [InlineData(2019, 4, 30, "平成31年4月30日")]
    [InlineData(1989, 1, 8, "平成元年1月8日")]
    [InlineData(1989, 1, 7, "昭和64年1月7日")]
    [InlineData(1926, 12, 25, "昭和元年12月25日")]
    [InlineData(1926, 12, 24, "大正15年12月24日")]
    [InlineData(1912, 7, 30, "大正元年7月30日")]
    [InlineData(1912, 7, 29, "明治45年7月29日")]
    [InlineData(1873, 1, 1, "明治6年1月1日")]
    public void Dates_are_written_in_the_era_of_the_day_with_gannen_for_year_one(int year, int month, int day, string expected)
    {
        Assert.Equal(expected, WarekiFormatter.Format(new DateOnly(year, month, day)));
    }

    [Fact]
    public void Dates_before_the_gregorian_calendar_was_adopted_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WarekiFormatter.Format(new DateOnly(1872, 12, 31)));
    }
}
