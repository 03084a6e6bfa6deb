using PushGov.Domain.Eligibility;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

public class EligibilityAgeTests
{
    [Fact]
    public void An_age_is_attained_on_the_day_before_the_birthday()
    {
        Assert.Equal(D(2026, 5, 9), EligibilityAge.AttainedOn(D(1961, 5, 10), 65));
        Assert.Equal(64, EligibilityAge.AgeOn(D(1961, 5, 10), D(2026, 5, 8)));
        Assert.Equal(65, EligibilityAge.AgeOn(D(1961, 5, 10), D(2026, 5, 9)));
    }

    [Theory]
    [InlineData(2027)] // not a leap year: the anniversary is 1 March
    [InlineData(2028)] // leap year: the anniversary is 29 February
    public void Someone_born_on_29_February_attains_each_age_on_28_February(int year)
    {
        var attained = EligibilityAge.AttainedOn(D(2008, 2, 29), year - 2008);
        Assert.Equal(D(year, 2, 28), attained);
        Assert.Equal(year - 2008 - 1, EligibilityAge.AgeOn(D(2008, 2, 29), D(year, 2, 27)));
    }

    [Fact]
    public void A_child_born_on_1_April_is_a_child_up_to_the_31_March_on_which_they_attain_18()
    {
        Assert.Equal(D(2026, 3, 31), EligibilityAge.MarchEndAfter(D(2008, 4, 1), 18));
        Assert.Equal(D(2027, 3, 31), EligibilityAge.MarchEndAfter(D(2008, 4, 2), 18));
    }

    [Theory]
    [InlineData(2026, 3, 31, 2025)]
    [InlineData(2026, 4, 1, 2026)]
    public void The_fiscal_year_starts_on_1_April(int y, int m, int d, int fiscalYear) =>
        Assert.Equal(fiscalYear, EligibilityAge.FiscalYearOf(D(y, m, d)));
}
