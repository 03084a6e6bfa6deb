using PushGov.Domain.Residents;
using static PushGov.Domain.Detection.LifeEventKind;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

/// <summary>Services that read 住民税 data (consent) and 被災者生活再建支援金.</summary>
public class TaxAndDisasterTests
{
    private static HouseholdSnapshot Newlyweds(DateOnly husbandBirth, DateOnly wifeBirth) =>
        Snap(P("H", Relationships.Head, husbandBirth), P("W", Relationships.Wife, wifeBirth));

    [Fact]
    public void Newlyweds_both_39_on_the_marriage_date_with_household_income_under_5_million_are_eligible()
    {
        // The wife attains 40 at the end of 2 November 2026, the day after the marriage.
        var s = Newlyweds(D(1990, 1, 1), D(1986, 11, 3)).WithTax(2026, consent: true, ("H", 3_000_000, false), ("W", 1_999_999, false));
        var m = Match(Ev(MARRIAGE, "H", D(2026, 11, 1), "W"), s).Get("kekkon-shinseikatsu");

        Assert.Equal(["H", "W"], m.RecipientIds);
        Assert.Equal(300000, m.AmountYen);
        Assert.Equal(D(2027, 3, 31), m.Deadline);
        Assert.True(m.UsesTaxData);
        Assert.Contains(m.Reasons, r => r.Condition == "age(couple) <= 39" && r.Holds && r.Detail.Contains("W is 39 on 2026-11-01", StringComparison.Ordinal));
        Assert.Contains(m.Reasons, r => r.Condition.StartsWith("income(couple) < ¥5,000,000", StringComparison.Ordinal) && r.Holds && r.Detail.StartsWith("¥4,999,999 in fiscal year 2026", StringComparison.Ordinal));
    }

    [Fact]
    public void A_spouse_who_attains_40_on_the_marriage_date_is_not_eligible()
    {
        var s = Newlyweds(D(1990, 1, 1), D(1986, 11, 2)).WithTax(2026, consent: true, ("H", 1_000_000, false), ("W", 1_000_000, false));
        Assert.Null(Match(Ev(MARRIAGE, "H", D(2026, 11, 1), "W"), s).Find("kekkon-shinseikatsu"));
    }

    [Fact]
    public void A_household_income_of_exactly_5_million_is_not_eligible()
    {
        var s = Newlyweds(D(1990, 1, 1), D(1992, 1, 1)).WithTax(2026, consent: true, ("H", 3_000_000, false), ("W", 2_000_000, false));
        Assert.Null(Match(Ev(MARRIAGE, "H", D(2026, 11, 1), "W"), s).Find("kekkon-shinseikatsu"));
    }

    [Fact]
    public void Newlyweds_both_29_or_younger_are_told_of_up_to_600000()
    {
        var s = Newlyweds(D(1998, 1, 1), D(1999, 1, 1)).WithTax(2026, consent: true, ("H", 3_000_000, false), ("W", 1_000_000, false));
        Assert.Equal(600000, Match(Ev(MARRIAGE, "H", D(2026, 11, 1), "W"), s).Get("kekkon-shinseikatsu").AmountYen);
    }

    [Fact]
    public void Without_tax_data_consent_newlyweds_are_told_and_the_reasons_say_income_was_not_evaluated()
    {
        var s = Newlyweds(D(1990, 1, 1), D(1992, 1, 1)).WithTax(2026, consent: false, ("H", 9_000_000, false), ("W", 2_000_000, false));
        var m = Match(Ev(MARRIAGE, "H", D(2026, 11, 1), "W"), s).Get("kekkon-shinseikatsu");

        var income = Assert.Single(m.Reasons, r => r.Condition.StartsWith("income(couple)", StringComparison.Ordinal));
        Assert.False(income.Holds);
        Assert.StartsWith("unknown: no tax-data consent", income.Detail, StringComparison.Ordinal);
        Assert.Contains(m.Reasons, r => r.Condition == "when unknown: tell");
    }

    private static HouseholdSnapshot SingleMother(long income, bool consent, int children = 1)
    {
        var members = new List<Person> { P("M", Relationships.Head, D(1990, 1, 1)) };
        for (var i = 0; i < children; i++)
        {
            members.Add(P($"C{i}", Relationships.Child, D(2015 + i, 1, 1)));
        }

        return Snap([.. members]).WithTax(2026, consent, ("M", income, false));
    }

    [Theory]
    [InlineData(1, 1_070_000, 45500L)] // full: ¥690,000 + ¥380,000 for one child
    [InlineData(2, 0, 56250L)] // full, plus ¥10,750 for the second child
    [InlineData(1, 1_070_001, null)] // partial: mentioned without an amount
    [InlineData(1, 2_460_000, null)] // partial limit: ¥2,080,000 + ¥380,000
    public void Single_parent_allowance_after_divorce_is_income_tested(int children, long income, long? yen)
    {
        var m = Match(Ev(DIVORCE, "M", D(2026, 11, 1)), SingleMother(income, true, children)).Get("jidou-fuyou-teate");
        Assert.Equal(["M"], m.RecipientIds);
        Assert.Equal(yen, m.AmountYen);
    }

    [Fact]
    public void Single_parent_allowance_is_not_told_above_the_partial_income_limit()
    {
        Assert.Null(Match(Ev(DIVORCE, "M", D(2026, 11, 1)), SingleMother(2_460_001, true)).Find("jidou-fuyou-teate"));
    }

    [Fact]
    public void Without_consent_the_single_parent_allowance_is_told_without_an_amount()
    {
        var m = Match(Ev(DIVORCE, "M", D(2026, 11, 1)), SingleMother(100_000, false)).Get("jidou-fuyou-teate");
        Assert.Null(m.AmountYen);
        Assert.Contains(m.Reasons, r => r.Detail.StartsWith("unknown: no tax-data consent", StringComparison.Ordinal));
    }

    [Fact]
    public void A_two_parent_household_gets_no_single_parent_allowance()
    {
        var s = Family(P("C", Relationships.Child, D(2015, 1, 1))).WithTax(2026, true, ("F", 0, true), ("M", 0, true));
        Assert.Null(Match(Ev(DIVORCE, "F", D(2026, 11, 1)), s).Find("jidou-fuyou-teate"));
    }

    [Fact]
    public void The_death_of_a_parent_leaves_the_other_eligible_but_the_death_of_a_child_does_not()
    {
        var s = Snap(
            P("F", Relationships.Head, D(1988, 1, 1), RegistryStatus.Deceased),
            P("M", Relationships.Wife, D(1990, 1, 1)),
            P("C", Relationships.Child, D(2015, 1, 1)),
            P("C2", Relationships.Child, D(2017, 1, 1), RegistryStatus.Deceased)).WithTax(2026, true, ("M", 500_000, false));

        Assert.Equal(["M"], Match(Ev(DEATH, "F", D(2026, 11, 1)), s).Get("jidou-fuyou-teate").RecipientIds);
        Assert.Null(Match(Ev(DEATH, "C2", D(2026, 11, 1)), s).Find("jidou-fuyou-teate"));
    }

    [Fact]
    public void A_non_taxable_household_with_consent_is_told_of_the_payment_with_its_per_child_addition()
    {
        var s = Family(P("C", Relationships.Child, D(2015, 1, 1))).WithTax(2026, true, ("F", 0, true), ("M", 0, true));
        var m = Match(Ev(TAX_NON_TAXABLE, "F", D(2026, 7, 1)), s).Get("hikazei-kyufukin");
        Assert.Equal(30000 + 20000, m.AmountYen);
        Assert.Equal(["F"], m.RecipientIds);
    }

    [Fact]
    public void A_household_with_one_taxable_member_gets_no_non_taxable_payment()
    {
        var s = Family().WithTax(2026, true, ("F", 0, true), ("M", 1_500_000, false));
        Assert.Null(Match(Ev(TAX_NON_TAXABLE, "F", D(2026, 7, 1)), s).Find("hikazei-kyufukin"));
    }

    [Fact]
    public void Without_consent_nothing_is_said_about_the_non_taxable_payment()
    {
        var s = Family().WithTax(2026, false, ("F", 0, true), ("M", 0, true));
        Assert.Null(Match(Ev(TAX_NON_TAXABLE, "F", D(2026, 7, 1)), s).Find("hikazei-kyufukin"));
    }

    [Theory]
    [InlineData(DamageLevel.Total, 2, 1_000_000L, 2_000_000L)]
    [InlineData(DamageLevel.LargeScaleHalf, 2, 500_000L, 2_000_000L)]
    [InlineData(DamageLevel.MediumScaleHalf, 2, null, 1_000_000L)]
    [InlineData(DamageLevel.Total, 1, 750_000L, 1_500_000L)]
    [InlineData(DamageLevel.LargeScaleHalf, 1, 375_000L, 1_500_000L)]
    [InlineData(DamageLevel.MediumScaleHalf, 1, null, 750_000L)]
    public void Livelihood_recovery_support_depends_on_the_damage_and_the_household_size(DamageLevel level, int members, long? basic, long additional)
    {
        var people = new[] { P("A", Relationships.Head, D(1970, 1, 1)), P("B", Relationships.Wife, D(1972, 1, 1)) };
        var s = Snap(people[..members]).WithDisaster(level, D(2026, 1, 31));
        var matches = Match(Ev(DISASTER_CERTIFIED, "A", D(2026, 1, 31)), s);

        Assert.Equal(basic, matches.Find("hisaisha-saiken", "basic")?.AmountYen);
        var add = matches.Get("hisaisha-saiken", "additional");
        Assert.Equal(additional, add.AmountYen);
        Assert.Equal(D(2029, 2, 28), add.Deadline); // +37 months
        if (basic is not null)
        {
            Assert.Equal(D(2027, 2, 28), matches.Get("hisaisha-saiken", "basic").Deadline); // +13 months from 31 January
        }
    }

    [Theory]
    [InlineData(DamageLevel.Half)]
    [InlineData(DamageLevel.Partial)]
    public void Lesser_damage_gets_no_livelihood_recovery_support(DamageLevel level)
    {
        var s = Snap(P("A", Relationships.Head, D(1970, 1, 1))).WithDisaster(level, D(2026, 1, 31));
        Assert.Empty(Match(Ev(DISASTER_CERTIFIED, "A", D(2026, 1, 31)), s));
    }
}
