using PushGov.Domain.Residents;
using static PushGov.Domain.Detection.LifeEventKind;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

/// <summary>児童手当 (jidou-teate).</summary>
public class ChildAllowanceTests
{
    [Fact]
    public void Birth_within_15_days_sets_deadline_to_event_day_plus_15_across_a_month_end()
    {
        var s = Family(P("B", Relationships.Child, D(2026, 11, 20)));
        var m = Match(Ev(BIRTH, "B", D(2026, 11, 20)), s).Get("jidou-teate");

        Assert.Equal(D(2026, 12, 5), m.Deadline);
        Assert.Equal(15000, m.AmountYen);
        Assert.Equal(["F"], m.RecipientIds);
        Assert.True(m.NeedsClaim);
        Assert.Equal("2024-10-01", m.RuleVersion);
        Assert.Contains(m.Reasons, r => r.Condition.StartsWith("children up to 31 March after 18", StringComparison.Ordinal) && r.Holds && r.Detail.StartsWith('1'));
    }

    [Fact]
    public void The_third_child_counted_up_to_the_31_March_after_18_gets_30000()
    {
        // The eldest, born 2 April 2008, attains 18 on 1 April 2026 and still counts until 31 March 2027.
        var s = Family(P("C1", Relationships.Child, D(2008, 4, 2)), P("C2", Relationships.Child, D(2018, 6, 1)), P("B", Relationships.Child, D(2026, 11, 20)));
        var m = Match(Ev(BIRTH, "B", D(2026, 11, 20)), s).Get("jidou-teate");

        Assert.Equal(30000, m.AmountYen);
        Assert.Contains(m.Reasons, r => r.Condition == "amount" && r.Detail.Contains("B (child 3 of 3, age 0): ¥30,000", StringComparison.Ordinal));
    }

    [Fact]
    public void A_child_past_the_31_March_after_18_does_not_count_so_the_newborn_is_second()
    {
        // Born 1 April 2008: attains 18 on 31 March 2026, the last day counted.
        var s = Family(P("C1", Relationships.Child, D(2008, 4, 1)), P("C2", Relationships.Child, D(2018, 6, 1)), P("B", Relationships.Child, D(2026, 11, 20)));
        var m = Match(Ev(BIRTH, "B", D(2026, 11, 20)), s).Get("jidou-teate");

        Assert.Equal(15000, m.AmountYen);
    }

    [Theory]
    [InlineData(3, 31, true)]
    [InlineData(4, 1, false)]
    public void A_household_moving_in_is_eligible_up_to_the_31_March_after_its_child_attains_18(int month, int day, bool eligible)
    {
        var date = D(2027, month, day);
        var s = Family(P("C1", Relationships.Child, D(2008, 4, 2)));
        var matches = Match(Ev(MOVE_IN, "F", date), s);

        Assert.Equal(eligible, matches.Find("jidou-teate") is not null);
        Assert.Equal(eligible, matches.Find("kodomo-iryouhi") is not null);
    }

    [Fact]
    public void A_household_moving_in_without_children_gets_no_child_allowance()
    {
        var matches = Match(Ev(MOVE_IN, "F", D(2026, 11, 1)), Family());
        Assert.Null(matches.Find("jidou-teate"));
        Assert.NotNull(matches.Find("tennyu-guide"));
    }

    [Fact]
    public void Moving_in_before_October_2024_uses_the_old_amounts_and_after_it_the_new()
    {
        var s = Family(
            P("C1", Relationships.Child, D(2010, 5, 1)),
            P("C2", Relationships.Child, D(2012, 5, 1)),
            P("C3", Relationships.Child, D(2014, 5, 1)));

        var before = Match(Ev(MOVE_IN, "F", D(2024, 9, 30)), s).Get("jidou-teate");
        var after = Match(Ev(MOVE_IN, "F", D(2024, 10, 1)), s).Get("jidou-teate");

        Assert.Equal("2012-04-01", before.RuleVersion);
        Assert.Equal(10000 + 10000 + 15000, before.AmountYen); // third child of primary-school age: ¥15,000
        Assert.Equal("2024-10-01", after.RuleVersion);
        Assert.Equal(10000 + 10000 + 30000, after.AmountYen);
    }

    [Fact]
    public void Before_October_2024_a_16_year_old_alone_did_not_qualify()
    {
        var s = Family(P("C1", Relationships.Child, D(2008, 5, 1)));
        Assert.Null(Match(Ev(MOVE_IN, "F", D(2024, 9, 30)), s).Find("jidou-teate"));
        Assert.Equal(10000, Match(Ev(MOVE_IN, "F", D(2024, 10, 1)), s).Get("jidou-teate").AmountYen);
    }

    [Fact]
    public void The_newborn_and_minors_are_never_recipients_so_the_claimant_is_the_head()
    {
        var s = Family(P("C1", Relationships.Child, D(2010, 1, 1)), P("B", Relationships.Child, D(2026, 11, 20)));
        foreach (var m in Match(Ev(BIRTH, "B", D(2026, 11, 20)), s))
        {
            Assert.DoesNotContain("B", m.RecipientIds);
            Assert.DoesNotContain("C1", m.RecipientIds);
        }
    }

    [Fact]
    public void When_the_head_has_died_the_spouse_claims()
    {
        var s = Snap(
            P("F", Relationships.Head, D(1990, 5, 10), RegistryStatus.Deceased),
            P("M", Relationships.Wife, D(1992, 8, 20)),
            P("B", Relationships.Child, D(2026, 11, 20)));
        Assert.Equal(["M"], Match(Ev(BIRTH, "B", D(2026, 11, 20)), s).Get("jidou-teate").RecipientIds);
    }
}
