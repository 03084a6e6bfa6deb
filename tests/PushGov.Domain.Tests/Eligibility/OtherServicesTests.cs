using PushGov.Domain.Residents;
using static PushGov.Domain.Detection.LifeEventKind;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

/// <summary>The default services other than 児童手当, eligible and not, at their boundaries.</summary>
public class OtherServicesTests
{
    [Theory]
    [InlineData(2025, 3, 31, "2022-04-01", "出産・子育て応援交付金（出産応援ギフト）")]
    [InlineData(2025, 4, 1, "2025-04-01", null)]
    public void Pregnancy_support_follows_the_grant_in_force_on_the_notification_day(int y, int m, int d, string version, string? versionName)
    {
        var s = Snap(P("W", Relationships.Head, D(2008, 6, 1)));
        var match = Match(Ev(PREGNANCY, "W", D(y, m, d)), s).Get("ninpu-shien-kyufu");

        Assert.Equal(version, match.RuleVersion);
        Assert.Equal(50000, match.AmountYen);
        Assert.Equal(["W"], match.RecipientIds); // a pregnant 16-year-old is told: the service allows minors
        var service = Default.Catalog.Find("ninpu-shien-kyufu")!;
        Assert.Equal(versionName ?? "妊婦のための支援給付", service.NamesOn(D(y, m, d))["ja"]);
    }

    [Fact]
    public void Pregnancy_support_does_not_exist_before_April_2022()
    {
        var s = Snap(P("W", Relationships.Head, D(1995, 6, 1)));
        Assert.Null(Match(Ev(PREGNANCY, "W", D(2022, 3, 31)), s).Find("ninpu-shien-kyufu"));
    }

    [Theory]
    [InlineData(2023, 3, 31, 420000)]
    [InlineData(2023, 4, 1, 500000)]
    public void Childbirth_lump_sum_is_the_amount_in_force_on_the_birth_day(int y, int m, int d, long yen)
    {
        var s = Family(P("B", Relationships.Child, D(y, m, d)));
        var match = Match(Ev(BIRTH, "B", D(y, m, d)), s).Get("shussan-ikuji-ichijikin");

        Assert.Equal(yen, match.AmountYen);
        Assert.Equal(D(y + 2, m, d), match.Deadline);
        Assert.Equal(["F"], match.RecipientIds);
        Assert.Contains(match.Reasons, r => r.Condition.StartsWith("assumed: the parent is insured by 国民健康保険", StringComparison.Ordinal));
    }

    [Fact]
    public void Health_insurance_after_the_death_of_the_head_goes_to_the_spouse_within_14_days()
    {
        var s = Snap(P("F", Relationships.Head, D(1950, 1, 1), RegistryStatus.Deceased), P("M", Relationships.Wife, D(1952, 1, 1)));
        var matches = Match(Ev(DEATH, "F", D(2026, 11, 25)), s);

        var kokuho = matches.Get("kokuho-shikaku");
        Assert.Equal(["M"], kokuho.RecipientIds);
        Assert.Equal(D(2026, 12, 9), kokuho.Deadline);
        Assert.Equal(50000, matches.Get("sousaihi").AmountYen);
        Assert.Equal(D(2028, 11, 25), matches.Get("sousaihi").Deadline);
        Assert.All(matches, m => Assert.DoesNotContain("F", m.RecipientIds));
    }

    [Fact]
    public void The_one_who_moved_out_is_told_about_health_insurance_themselves()
    {
        var s = Snap(P("A", Relationships.Head, D(1980, 1, 1), RegistryStatus.Left), P("B", Relationships.Wife, D(1982, 1, 1), RegistryStatus.Left));
        var m = Match(Ev(MOVE_OUT, "B", D(2026, 11, 25)), s).Get("kokuho-shikaku");
        Assert.Equal(["B"], m.RecipientIds);
    }

    [Fact]
    public void Bereavement_guide_goes_to_every_adult_left_in_the_household_and_not_to_minors()
    {
        var s = Snap(
            P("Z1", Relationships.Head, D(1950, 1, 1), RegistryStatus.Deceased),
            P("Y2", Relationships.Wife, D(1952, 1, 1)),
            P("X3", Relationships.Child, D(1980, 1, 1)),
            P("W4", Relationships.Grandchild, D(2012, 1, 1)));
        var m = Match(Ev(DEATH, "Z1", D(2026, 11, 25)), s).Get("okuyami");
        Assert.Equal(["X3", "Y2"], m.RecipientIds);
        Assert.Equal(D(2026, 12, 9), m.Deadline);
    }

    [Fact]
    public void Nobody_is_told_about_bereavement_when_nobody_adult_is_left()
    {
        var s = Snap(P("Z1", Relationships.Head, D(1950, 1, 1), RegistryStatus.Deceased));
        var matches = Match(Ev(DEATH, "Z1", D(2026, 11, 25)), s);
        Assert.Empty(matches);
    }

    [Fact]
    public void Long_term_care_insurance_at_65_is_automatic_for_the_resident()
    {
        var s = Snap(P("A", Relationships.Head, D(1961, 5, 10)));
        var m = Match(Ev(AGE_65, "A", D(2026, 5, 9)), s).Get("kaigo-1go");
        Assert.Equal(["A"], m.RecipientIds);
        Assert.False(m.NeedsClaim);
        Assert.Null(m.Deadline);
    }

    [Fact]
    public void Long_term_care_insurance_needs_the_resident_to_be_65_on_the_event_day()
    {
        var s = Snap(P("A", Relationships.Head, D(1961, 5, 10)));
        Assert.Null(Match(Ev(AGE_65, "A", D(2026, 5, 8)), s).Find("kaigo-1go"));
    }

    [Fact]
    public void At_75_the_insured_is_automatic_but_a_dependant_spouse_under_75_must_act()
    {
        var s = Snap(P("A", Relationships.Head, D(1951, 6, 2)), P("B", Relationships.Wife, D(1954, 3, 3)));
        var matches = Match(Ev(AGE_75, "A", D(2026, 6, 1)), s);

        var insured = matches.Get("kouki-koureisha", "insured");
        Assert.Equal(["A"], insured.RecipientIds);
        Assert.False(insured.NeedsClaim);
        var spouse = matches.Get("kouki-koureisha", "dependant-spouse");
        Assert.Equal(["B"], spouse.RecipientIds);
        Assert.True(spouse.NeedsClaim);
        Assert.Equal(D(2026, 6, 15), spouse.Deadline);
    }

    [Fact]
    public void A_spouse_already_75_needs_no_action()
    {
        var s = Snap(P("A", Relationships.Head, D(1951, 6, 2)), P("B", Relationships.Wife, D(1950, 3, 3)));
        var matches = Match(Ev(AGE_75, "A", D(2026, 6, 1)), s);
        Assert.NotNull(matches.Find("kouki-koureisha", "insured"));
        Assert.Null(matches.Find("kouki-koureisha", "dependant-spouse"));
    }

    [Fact]
    public void School_entry_is_told_to_the_guardian_with_the_health_check_by_the_30_November_before_entry()
    {
        // Detection dates SCHOOL_ENTRY on the 1 April of entry; the health check is due the November before.
        var s = Family(P("C", Relationships.Child, D(2020, 6, 1)));
        var m = Match(Ev(SCHOOL_ENTRY, "C", D(2027, 4, 1)), s).Get("shugaku");
        Assert.Equal(["F"], m.RecipientIds);
        Assert.Equal(D(2026, 11, 30), m.Deadline);
    }

    [Fact]
    public void The_welcome_guide_goes_to_every_adult_of_a_household_moving_in_from_abroad()
    {
        var s = Snap(
            P("A", Relationships.Head, D(1990, 1, 1), nationality: "VN"),
            P("B", Relationships.Wife, D(1991, 1, 1), nationality: "VN"),
            P("C", Relationships.Child, D(2020, 1, 1), nationality: "VN"));
        var m = Match(Ev(MOVE_IN_ABROAD, "A", D(2026, 11, 1)), s).Get("tennyu-guide");
        Assert.Equal(["A", "B"], m.RecipientIds);
        Assert.False(m.NeedsClaim);
        Assert.Null(m.Deadline);
    }
}
