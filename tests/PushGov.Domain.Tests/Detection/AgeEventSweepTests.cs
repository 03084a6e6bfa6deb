using PushGov.Domain.Detection;
using PushGov.Domain.Residents;
using static PushGov.Domain.Tests.Residents.TestPeople;

namespace PushGov.Domain.Tests.Detection;

public sealed class AgeEventSweepTests
{
    private const string Tenant = "141003";

    [Fact]
    public void AGE_65_is_emitted_on_the_day_30_days_before_the_age_is_attained_and_not_a_day_earlier()
    {
        // Born 1961-11-22: attains 65 at the end of 2026-11-21; the window opens 2026-10-22.
        var sweep = SweepOf(Make("1", "H1", birth: "1961-11-22"));

        Assert.Empty(sweep.Sweep(D("2026-01-01"), D("2026-10-21")));
        var e = Assert.Single(sweep.Sweep(D("2026-10-22"), D("2026-10-22")));

        Assert.Equal((LifeEventKind.AGE_65, "1", "H1", D("2026-11-21")), (e.Kind, e.ResidentId, e.HouseholdId, e.EventDate));
        Assert.Equal("65", e.Details["age"]);
        Assert.Equal(EventIds.For(Tenant, LifeEventKind.AGE_65, "1", D("2026-11-21"), null), e.EventId);
    }

    [Fact]
    public void A_milestone_is_emitted_once_however_often_its_day_is_swept()
    {
        var sweep = SweepOf(Make("1", "H1", birth: "1961-11-22"));

        Assert.Single(sweep.Sweep(D("2026-10-01"), D("2026-10-31")));
        Assert.Empty(sweep.Sweep(D("2026-10-22"), D("2026-10-22")));
    }

    [Fact]
    public void A_window_that_opens_in_the_year_before_the_milestone_is_found()
    {
        // Born 1961-01-15: attains 65 on 2026-01-14; the window opens 2025-12-15.
        var sweep = SweepOf(Make("1", "H1", birth: "1961-01-15"), Make("2", "H2", birth: "1961-01-01"));

        var events = sweep.Sweep(D("2025-11-01"), D("2025-12-31")).ToList();

        Assert.Equal([("2", D("2025-12-31")), ("1", D("2026-01-14"))], events.Select(e => (e.ResidentId, e.EventDate)));
    }

    [Fact]
    public void A_29_February_birth_attains_65_and_75_on_28_February_and_is_swept_30_days_before()
    {
        var sweep = SweepOf(Make("1", "H1", birth: "1960-02-29"), Make("2", "H2", birth: "1952-02-29"));

        var at65 = Assert.Single(sweep.Sweep(D("2025-01-29"), D("2025-01-29")));
        var at75 = Assert.Single(sweep.Sweep(D("2027-01-29"), D("2027-01-29")));

        Assert.Equal((LifeEventKind.AGE_65, "1", D("2025-02-28")), (at65.Kind, at65.ResidentId, at65.EventDate));
        Assert.Equal((LifeEventKind.AGE_75, "2", D("2027-02-28")), (at75.Kind, at75.ResidentId, at75.EventDate));
        Assert.Empty(sweep.Sweep(D("2025-01-01"), D("2027-12-31")));
    }

    [Fact]
    public void A_1_March_birth_attains_its_age_on_29_February_of_a_leap_year()
    {
        // Born 1963-03-01: attains 65 on 2028-02-29; the window opens 2028-01-30.
        var sweep = SweepOf(Make("1", "H1", birth: "1963-03-01"));

        var e = Assert.Single(sweep.Sweep(D("2028-01-01"), D("2028-03-31")));

        Assert.Equal((D("2028-02-29")), e.EventDate);
        Assert.Empty(SweepOf(Make("1", "H1", birth: "1963-03-01")).Sweep(D("2028-01-31"), D("2028-12-31")));
    }

    [Fact]
    public void The_lead_days_are_configurable_per_milestone()
    {
        var sweep = SweepOf(new AgeEventSweepOptions { Age65LeadDays = 60, Age75LeadDays = 0 }, Make("1", "H1", birth: "1961-11-22"), Make("2", "H2", birth: "1951-11-22"));

        Assert.Equal([("1", LifeEventKind.AGE_65)], sweep.Sweep(D("2026-09-22"), D("2026-09-22")).Select(e => (e.ResidentId, e.Kind)));
        Assert.Equal([("2", LifeEventKind.AGE_75)], sweep.Sweep(D("2026-11-21"), D("2026-11-21")).Select(e => (e.ResidentId, e.Kind)));
    }

    [Fact]
    public void SCHOOL_ENTRY_is_emitted_on_1_September_for_children_born_2_April_to_1_April_of_the_next_year()
    {
        var sweep = SweepOf(
            Make("early", "H1", Relationships.Child, birth: "2020-04-01"),
            Make("first", "H1", Relationships.Child, birth: "2020-04-02"),
            Make("leap", "H2", Relationships.Child, birth: "2021-02-28"),
            Make("last", "H3", Relationships.Child, birth: "2021-04-01"),
            Make("late", "H4", Relationships.Child, birth: "2021-04-02"));

        Assert.Empty(sweep.Sweep(D("2026-08-31"), D("2026-08-31")));
        var events = sweep.Sweep(D("2026-09-01"), D("2026-09-01")).ToList();

        Assert.Equal(["first", "leap", "last"], events.Select(e => e.ResidentId));
        Assert.All(events, e => Assert.Equal((LifeEventKind.SCHOOL_ENTRY, D("2027-04-01")), (e.Kind, e.EventDate)));
        Assert.Equal("2027-04-01", events[0].Details["entryDate"]);
    }

    [Fact]
    public void A_29_February_birth_enters_school_with_its_school_year()
    {
        var sweep = SweepOf(Make("1", "H1", Relationships.Child, birth: "2020-02-29"));

        var e = Assert.Single(sweep.Sweep(D("2025-09-01"), D("2025-09-01")));

        Assert.Equal(D("2026-04-01"), e.EventDate);
    }

    [Theory]
    [InlineData(DatePrecision.Approximate, "昭和36年頃")]
    [InlineData(DatePrecision.Unknown, "年月日不詳")]
    [InlineData(DatePrecision.Unknown, "平成11年2月29日")]
    public void An_approximate_or_unknown_birth_date_yields_no_age_event(DatePrecision precision, string original)
    {
        var person = WithBirth(Make("1", "H1"), precision, original);
        var sweep = SweepOf(person);

        Assert.Equal(0, sweep.Count);
        Assert.Empty(sweep.Sweep(D("1945-01-01"), D("2030-12-31")));
        Assert.Empty(sweep.OpenFor(person, D("2010-01-01")));
    }

    [Fact]
    public void A_resident_who_died_or_left_is_not_swept()
    {
        var sweep = SweepOf(Make("1", "H1", birth: "1961-11-22"), Make("2", "H2", birth: "1961-11-22"));
        sweep.Track(Make("1", "H1", birth: "1961-11-22") with { Status = RegistryStatus.Deceased });
        sweep.Untrack("2");

        Assert.Empty(sweep.Sweep(D("2026-10-22"), D("2026-10-22")));
    }

    [Fact]
    public void A_corrected_birth_date_moves_the_resident_in_the_index()
    {
        var sweep = SweepOf(Make("1", "H1", birth: "1961-11-22"));
        sweep.Track(Make("1", "H9", birth: "1961-12-22"));

        Assert.Empty(sweep.Sweep(D("2026-10-22"), D("2026-10-22")));
        Assert.Equal("H9", Assert.Single(sweep.Sweep(D("2026-11-21"), D("2026-11-21"))).HouseholdId);
    }

    [Fact]
    public void The_table_key_ranges_for_a_day_select_exactly_the_residents_the_sweep_emits()
    {
        string[] births =
        [
            "1960-02-29", "1952-02-29", "1961-03-01", "1963-03-01", "1961-02-28", "1963-02-28", "1961-01-01", "1960-12-31",
            "1951-01-01", "1962-06-15", "1951-07-31", "2020-04-01", "2020-04-02", "2020-02-29", "2021-04-01", "2021-04-02", "2022-12-31",
        ];
        var people = births.Select((b, i) => Make($"R{i:D2}", $"H{i}", birth: b)).ToArray();
        var sweep = SweepOf(people);
        var rows = people.Select(p => (Pk: AgeEventSweep.PartitionKey(Tenant, p.BirthDate.Exact!.Value), Rk: AgeEventSweep.RowKey(p.BirthDate.Exact!.Value, p.ResidentId), p.ResidentId)).ToArray();
        var emittedByDays = 0;

        for (var day = D("2024-01-01"); day <= D("2028-12-31"); day = day.AddDays(1))
        {
            var swept = sweep.Sweep(day, day).Select(e => (e.Kind, e.ResidentId)).Order().ToList();
            var queried = sweep.QueriesFor(day)
                .SelectMany(q => rows.Where(r => r.Pk == q.PartitionKey && string.CompareOrdinal(r.Rk, q.RowKeyFrom) >= 0 && string.CompareOrdinal(r.Rk, q.RowKeyTo) < 0).Select(r => (q.Kind, r.ResidentId)))
                .Order().ToList();

            Assert.Equal(swept, queried);
            emittedByDays += swept.Count;
        }

        Assert.True(emittedByDays >= 10, $"the population should exercise the sweep, got {emittedByDays} events");
    }

    private static AgeEventSweep SweepOf(params Person[] people) => SweepOf(null, people);

    private static AgeEventSweep SweepOf(AgeEventSweepOptions? options, params Person[] people)
    {
        var sweep = new AgeEventSweep(Tenant, options);
        foreach (var person in people)
        {
            sweep.Track(person);
        }

        return sweep;
    }
}
