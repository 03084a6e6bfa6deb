using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;
using static PushGov.Domain.Detection.LifeEventKind;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

/// <summary>The condition and deadline vocabulary, through tenant catalogs, and the not-eligible side of the default services.</summary>
public class VocabularyTests
{
    private static ServiceMatcher Tenant(string conditions, string deadline = "none", string triggers = "[MOVE_IN]") => CatalogLoader.Load(new StringReader($"""
        services:
          - id: probe
            names: {"{"}ja: 例, ja-x-easy: れい, en: Probe{"}"}
            triggers: {triggers}
            versions:
              - validFrom: 2000-01-01
                conditions:
        {conditions}
                recipients: {"{"}from: [subject, head], first: true{"}"}
                deadline: {deadline}
        """), "tenant-141003.yaml").Compile();

    [Theory]
    [InlineData("+15d", 2026, 12, 16)]
    [InlineData("+13mo", 2028, 1, 1)]
    [InlineData("+2y", 2028, 12, 1)]
    [InlineData("fiscal-year-end", 2027, 3, 31)]
    [InlineData("next-fiscal-year-end", 2028, 3, 31)]
    [InlineData("next 11-30", 2027, 11, 30)]
    [InlineData("last 11-30", 2026, 11, 30)]
    [InlineData("last 12-01", 2025, 12, 1)]
    [InlineData("2027-01-15", 2027, 1, 15)]
    public void Each_deadline_rule_gives_its_day(string rule, int y, int m, int d)
    {
        Assert.True(DeadlineRule.TryParse(rule, out var parsed));
        Assert.Equal(D(y, m, d), parsed.For(D(2026, 12, 1)));
    }

    [Fact]
    public void A_fiscal_year_end_deadline_on_31_March_is_that_day()
    {
        Assert.True(DeadlineRule.TryParse("fiscal-year-end", out var rule));
        Assert.Equal(D(2027, 3, 31), rule.For(D(2027, 3, 31)));
        Assert.Null(DeadlineRule.None.For(D(2027, 3, 31)));
    }

    [Fact]
    public void Moved_in_within_days_and_spouse_age_compose_with_any_and_not()
    {
        var matcher = Tenant("""
                      all:
                        - movedIn: {who: subject, withinDays: 30}
                        - any:
                            - age: {who: spouse, max: 34}
                            - not: {householdSize: {min: 2}}
            """);
        var young = Snap(P("A", Relationships.Head, D(1980, 1, 1), movedIn: D(2026, 11, 1)), P("B", Relationships.Wife, D(1992, 1, 1)));
        var older = Snap(P("A", Relationships.Head, D(1980, 1, 1), movedIn: D(2026, 11, 1)), P("B", Relationships.Wife, D(1990, 1, 1)));
        var alone = Snap(P("A", Relationships.Head, D(1980, 1, 1), movedIn: D(2026, 11, 1)));
        var longAgo = Snap(P("A", Relationships.Head, D(1980, 1, 1), movedIn: D(2026, 9, 1)));

        Assert.Single(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 30)), young));
        Assert.Empty(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 30)), older));
        Assert.Single(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 30)), alone));
        Assert.Empty(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 30)), longAgo));
    }

    [Fact]
    public void Nationality_and_relationship_conditions_read_the_registry()
    {
        var matcher = Tenant("""
                      all:
                        - nationality: {who: subject, in: [VN, PH]}
                        - relationship: {who: subject, in: [世帯主]}
            """);
        Assert.Single(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 1)), Snap(P("A", Relationships.Head, D(1990, 1, 1), nationality: "VN"))));
        Assert.Empty(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 1)), Snap(P("A", Relationships.Head, D(1990, 1, 1), nationality: "CN"))));
        Assert.Empty(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 1)), Snap(P("A", Relationships.Head, D(1990, 1, 1)))));
    }

    [Fact]
    public void A_condition_on_an_approximate_birth_date_is_unknown_and_told_with_the_reason()
    {
        var matcher = Tenant("""
                      age: {who: subject, min: 65}
            """);
        var vague = Snap(P("A", Relationships.Head, D(1945, 1, 1)) with { BirthDate = new RegistryDate(DatePrecision.Approximate, D(1945, 1, 1), "昭和20年頃") });
        var m = Assert.Single(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 1)), vague));
        Assert.Contains(m.Reasons, r => r.Condition == "age(subject) >= 65" && r.Detail == "unknown: A: birth date not an exact day");
    }

    [Fact]
    public void The_childbirth_lump_sum_does_not_exist_before_its_first_version()
    {
        var s = Family(P("B", Relationships.Child, D(2014, 12, 31)));
        Assert.Null(Match(Ev(BIRTH, "B", D(2014, 12, 31)), s).Find("shussan-ikuji-ichijikin"));
    }

    [Fact]
    public void The_75_rule_is_not_applied_to_someone_who_is_74()
    {
        var s = Snap(P("A", Relationships.Head, D(1951, 6, 3)));
        Assert.Empty(Match(Ev(AGE_75, "A", D(2026, 6, 1)), s));
    }

    [Fact]
    public void School_entry_with_no_adult_guardian_in_the_household_tells_nobody()
    {
        var s = Snap(P("C", Relationships.Head, D(2020, 6, 1)));
        Assert.Empty(Match(Ev(SCHOOL_ENTRY, "C", D(2026, 10, 1)), s));
    }

    [Fact]
    public void A_minor_moving_in_alone_gets_no_welcome_guide()
    {
        var s = Snap(P("S", Relationships.Head, D(2009, 6, 1)));
        var matches = Match(Ev(MOVE_IN, "S", D(2026, 10, 1)), s);
        Assert.Null(matches.Find("tennyu-guide"));
        Assert.Null(matches.Find("kokuho-shikaku"));
    }

    [Fact]
    public void An_inferred_event_says_so_in_the_trace()
    {
        var s = Snap(P("H", Relationships.Head, D(1990, 1, 1)), P("W", Relationships.Wife, D(1992, 1, 1))).WithTax(2026, true, ("H", 1, false), ("W", 1, false));
        var m = Match(Ev(MARRIAGE, "H", D(2026, 11, 1), "W") with { Inferred = true }, s).Get("kekkon-shinseikatsu");
        Assert.Equal("MARRIAGE (inferred) on 2026-11-01; rule in force from 2023-04-01", m.Reasons[0].Detail);
    }

    [Fact]
    public void Eager_and_deferred_reasons_are_the_same()
    {
        var eager = new ServiceMatcher(CatalogLoader.LoadDefault(), deferReasons: false);
        var s = Family(P("C1", Relationships.Child, D(2010, 1, 1)), P("B", Relationships.Child, D(2026, 11, 20)));
        var e = Ev(BIRTH, "B", D(2026, 11, 20));
        var a = eager.Match(e, s);
        var b = Match(e, s);
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Reasons, b[i].Reasons);
            Assert.True(a[i].Reasons.Count >= 3);
        }
    }
}

/// <summary>Snapshots read before the event was applied to the resident view.</summary>
public class StaleSnapshotTests
{
    [Fact]
    public void A_snapshot_without_the_newborn_still_counts_the_birth()
    {
        var s = Family(P("C1", Relationships.Child, D(2015, 1, 1)), P("C2", Relationships.Child, D(2018, 1, 1)));
        var m = Match(Ev(BIRTH, "B", D(2026, 11, 20)), s).Get("jidou-teate");
        Assert.Equal(30000, m.AmountYen);
        Assert.Equal(["F"], m.RecipientIds);
    }

    [Fact]
    public void The_deceased_is_never_a_recipient_even_while_still_registered_in_the_snapshot()
    {
        var s = Snap(P("F", Relationships.Head, D(1950, 1, 1)), P("M", Relationships.Wife, D(1952, 1, 1)));
        var matches = Match(Ev(DEATH, "F", D(2026, 11, 25)), s);
        Assert.NotEmpty(matches);
        Assert.All(matches, m => Assert.DoesNotContain("F", m.RecipientIds));
        Assert.Equal(["M"], matches.Get("okuyami").RecipientIds);
    }
}
