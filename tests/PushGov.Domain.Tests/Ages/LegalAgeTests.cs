using PushGov.Domain.Ages;

namespace PushGov.Domain.Tests.Ages;

public sealed class LegalAgeTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("1961-11-22", 65, "2026-11-21")]
    [InlineData("1961-01-01", 65, "2025-12-31")]
    [InlineData("1961-03-01", 65, "2026-02-28")]
    [InlineData("1959-03-01", 65, "2024-02-29")]
    [InlineData("1960-02-29", 65, "2025-02-28")]
    [InlineData("1960-02-29", 64, "2024-02-28")]
    [InlineData("1952-02-29", 75, "2027-02-28")]
    [InlineData("2020-04-01", 6, "2026-03-31")]
    [InlineData("2020-04-02", 6, "2026-04-01")]
    public void An_age_is_attained_on_the_day_before_the_anniversary(string birth, int age, string attained)
    {
        Assert.Equal(D(attained), LegalAge.DayAgeIsAttained(D(birth), age));
    }

    [Fact]
    public void A_29_February_birth_attains_its_age_on_28_February_of_a_leap_year_too()
    {
        // 2028 is a leap year: the anniversary 29 February exists, so the age is attained the day before it.
        Assert.Equal(D("2028-02-28"), LegalAge.DayAgeIsAttained(D("1964-02-29"), 64));
    }

    [Theory]
    [InlineData("1961-11-22", "2026-11-20", 64)]
    [InlineData("1961-11-22", "2026-11-21", 65)]
    [InlineData("1961-11-22", "2026-11-22", 65)]
    [InlineData("1961-01-01", "2025-12-30", 64)]
    [InlineData("1961-01-01", "2025-12-31", 65)]
    [InlineData("1960-02-29", "2025-02-27", 64)]
    [InlineData("1960-02-29", "2025-02-28", 65)]
    [InlineData("1960-02-29", "2024-02-27", 63)]
    [InlineData("1960-02-29", "2024-02-28", 64)]
    [InlineData("2026-11-22", "2026-11-22", 0)]
    [InlineData("2026-11-22", "2027-11-20", 0)]
    [InlineData("2026-11-22", "2027-11-21", 1)]
    public void Age_on_a_day_counts_the_age_attained_by_the_end_of_that_day(string birth, string day, int age)
    {
        Assert.Equal(age, LegalAge.AgeOn(D(birth), D(day)));
    }

    [Fact]
    public void Age_on_a_day_before_the_birth_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LegalAge.AgeOn(D("2026-11-22"), D("2026-11-21")));
    }

    [Theory]
    [InlineData("2020-04-01", "2026-04-01")]
    [InlineData("2020-04-02", "2027-04-01")]
    [InlineData("2020-03-31", "2026-04-01")]
    [InlineData("2019-04-02", "2026-04-01")]
    [InlineData("2020-02-29", "2026-04-01")]
    [InlineData("2020-01-01", "2026-04-01")]
    [InlineData("2020-12-31", "2027-04-01")]
    public void School_starts_on_the_first_1_April_after_the_child_attains_6(string birth, string entry)
    {
        Assert.Equal(D(entry), LegalAge.SchoolEntryDate(D(birth)));
    }

    [Theory]
    [InlineData("2008-04-01", "2026-03-31")]
    [InlineData("2008-04-02", "2027-03-31")]
    [InlineData("2008-03-31", "2026-03-31")]
    [InlineData("2008-02-29", "2026-03-31")]
    [InlineData("2008-12-31", "2027-03-31")]
    public void Child_allowance_age_ends_on_the_first_31_March_on_or_after_attaining_18(string birth, string end)
    {
        Assert.Equal(D(end), LegalAge.EndOfFiscalYearAfterAge(D(birth), 18));
    }
}
