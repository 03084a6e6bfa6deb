using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using static PushGov.Domain.Tests.Residents.TestPeople;

namespace PushGov.Domain.Tests.Detection;

public sealed class LifeEventDetectorTests
{
    private static readonly Person Head = Make("100", "H1", Relationships.Head, sex: Sex.Male);
    private static readonly Person Wife = Make("101", "H1", Relationships.Wife, sex: Sex.Female);
    private static readonly Person Child = Make("102", "H1", Relationships.Child, birth: "2015-06-01");

    [Fact]
    public void A_birth_row_yields_BIRTH_with_the_head_and_spouse_as_parents()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var events = kit.Apply(kit.Change(ChangeCode.BIRTH, Make("103", "H1", Relationships.Child, birth: "2026-11-01"), "2026-11-01", "B1"));

        var birth = Assert.Single(events);
        Assert.Equal((LifeEventKind.BIRTH, "103", "H1", D("2026-11-01"), false), (birth.Kind, birth.ResidentId, birth.HouseholdId, birth.EventDate, birth.Inferred));
        Assert.Equal(["100", "101"], birth.RelatedResidentIds);
        Assert.Equal(new EventSource("resident-changes", 5, "B1"), birth.Source); // lines 2-4 seeded the household
        Assert.Equal(DetectorTestKit.Tenant, birth.Tenant);
        Assert.Matches("^BIRTH-[0-9a-f]{20}$", birth.EventId);
    }

    [Fact]
    public void A_death_row_marks_the_person_deceased_and_names_the_household_left_behind()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var death = Assert.Single(kit.Apply(kit.Change(ChangeCode.DEATH, Head, "2026-10-30")));

        Assert.Equal((LifeEventKind.DEATH, "100", "H1", D("2026-10-30")), (death.Kind, death.ResidentId, death.HouseholdId, death.EventDate));
        Assert.Equal(["101", "102"], death.RelatedResidentIds);
        Assert.Equal("true", death.Details["wasHead"]);
        var person = kit.View.GetPerson("100")!;
        Assert.Equal((RegistryStatus.Deceased, D("2026-10-30")), (person.Status, person.StatusDate));
        Assert.Equal(3, kit.View.Snapshot("H1").Members.Count);
    }

    [Theory]
    [InlineData(ChangeCode.MOVE_OUT, LifeEventKind.MOVE_OUT)]
    [InlineData(ChangeCode.MOVE_OUT_ABROAD, LifeEventKind.MOVE_OUT_ABROAD)]
    public void A_move_out_row_marks_the_person_left(ChangeCode code, LifeEventKind kind)
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var moveOut = Assert.Single(kit.Apply(kit.Change(code, Child, "2026-11-05")));

        Assert.Equal((kind, "102"), (moveOut.Kind, moveOut.ResidentId));
        Assert.Equal(["100", "101"], moveOut.RelatedResidentIds);
        Assert.Equal((RegistryStatus.Left, D("2026-11-05")), (kit.View.GetPerson("102")!.Status, kit.View.GetPerson("102")!.StatusDate));
        Assert.False(moveOut.Details.ContainsKey("wasHead"));
    }

    [Theory]
    [InlineData(ChangeCode.MOVE_IN, LifeEventKind.MOVE_IN)]
    [InlineData(ChangeCode.MOVE_IN_ABROAD, LifeEventKind.MOVE_IN_ABROAD)]
    public void A_move_in_row_registers_the_person_with_the_move_in_date(ChangeCode code, LifeEventKind kind)
    {
        var kit = new DetectorTestKit();

        var events = kit.Apply(kit.Change(code, Make("200", "H2"), "2026-11-02"), kit.Change(code, Make("201", "H2", Relationships.Child, birth: "2020-01-01"), "2026-11-02"));

        Assert.Equal([kind, kind], events.Select(e => e.Kind));
        Assert.Equal(["200"], events[1].RelatedResidentIds);
        var person = kit.View.GetPerson("200")!;
        Assert.Equal((RegistryStatus.Registered, (DateOnly?)D("2026-11-02")), (person.Status, person.MovedInDate));
    }

    [Theory]
    [InlineData(ChangeCode.HOUSEHOLD_SPLIT, LifeEventKind.HOUSEHOLD_SPLIT)]
    [InlineData(ChangeCode.HOUSEHOLD_MERGE, LifeEventKind.HOUSEHOLD_MERGE)]
    [InlineData(ChangeCode.HOUSEHOLD_CHANGE, LifeEventKind.HOUSEHOLD_CHANGE)]
    public void A_household_change_row_names_the_previous_household(ChangeCode code, LifeEventKind kind)
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var e = Assert.Single(kit.Apply(kit.Change(code, Child with { HouseholdId = "H5", Relationship = Relationships.Head })));

        Assert.Equal((kind, "102", "H5"), (e.Kind, e.ResidentId, e.HouseholdId));
        Assert.Equal("H1", e.Details["previousHouseholdId"]);
        Assert.Equal(["100", "101"], kit.View.MembersOf("H1"));
    }

    [Fact]
    public void A_relocation_row_yields_RELOCATION_and_moves_the_address()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife);

        var e = Assert.Single(kit.Apply(kit.Change(ChangeCode.RELOCATION, Head with { Address = "横浜市港北区1-1" })));

        Assert.Equal(LifeEventKind.RELOCATION, e.Kind);
        Assert.False(e.Details.ContainsKey("previousHouseholdId"));
        Assert.Equal("横浜市港北区1-1", kit.View.GetPerson("100")!.Address);
    }

    [Fact]
    public void A_head_change_row_yields_HEAD_CHANGE()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife);
        kit.Apply(kit.Change(ChangeCode.DEATH, Head));

        var e = Assert.Single(kit.Apply(kit.Change(ChangeCode.HEAD_CHANGE, Wife with { Relationship = Relationships.Head })));

        Assert.Equal((LifeEventKind.HEAD_CHANGE, "101"), (e.Kind, e.ResidentId));
    }

    [Fact]
    public void Coded_marriage_rows_of_both_spouses_yield_one_MARRIAGE_naming_the_spouse()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Make("300", "H3"));

        var events = kit.Apply(
            kit.Change(ChangeCode.MARRIAGE, Make("300", "H1", Relationships.Wife, familyName: "山田"), "2026-11-03"),
            kit.Change(ChangeCode.MARRIAGE, Head, "2026-11-03"));

        var marriage = Assert.Single(events);
        Assert.Equal((LifeEventKind.MARRIAGE, "300", false), (marriage.Kind, marriage.ResidentId, marriage.Inferred));
        Assert.Equal(["100"], marriage.RelatedResidentIds);
    }

    [Fact]
    public void A_coded_divorce_row_names_the_former_spouse()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife);

        var divorce = Assert.Single(kit.Apply(kit.Change(ChangeCode.DIVORCE, Wife with { HouseholdId = "H7", Relationship = Relationships.Head })));

        Assert.Equal((LifeEventKind.DIVORCE, "101", "H7", false), (divorce.Kind, divorce.ResidentId, divorce.HouseholdId, divorce.Inferred));
        Assert.Equal(["100"], divorce.RelatedResidentIds);
        Assert.Equal("H1", divorce.Details["previousHouseholdId"]);
    }

    [Fact]
    public void A_correction_that_makes_two_residents_head_and_wife_yields_an_inferred_MARRIAGE()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Make("300", "H1", "同居人"));

        var marriage = Assert.Single(kit.Apply(kit.Change(ChangeCode.CORRECTION, Make("300", "H1", Relationships.Wife), "2026-11-03")));

        Assert.Equal((LifeEventKind.MARRIAGE, "300", true, D("2026-11-03")), (marriage.Kind, marriage.ResidentId, marriage.Inferred, marriage.EventDate));
        Assert.Equal(["100"], marriage.RelatedResidentIds);
    }

    [Fact]
    public void A_correction_that_moves_a_resident_into_a_household_as_husband_yields_an_inferred_MARRIAGE()
    {
        var kit = new DetectorTestKit();
        var bride = Make("400", "H4");
        kit.Seed(bride, Make("401", "H5"));

        var marriage = Assert.Single(kit.Apply(kit.Change(ChangeCode.CORRECTION, Make("401", "H4", Relationships.Husband))));

        Assert.Equal((LifeEventKind.MARRIAGE, "401", true), (marriage.Kind, marriage.ResidentId, marriage.Inferred));
        Assert.Equal(["400"], marriage.RelatedResidentIds);
    }

    [Fact]
    public void Corrections_that_do_not_make_a_new_couple_yield_nothing()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child, Make("500", "H5"));

        var events = kit.Apply(
            kit.Change(ChangeCode.CORRECTION, Wife with { FamilyName = "山本" }),                         // a misspelt name
            kit.Change(ChangeCode.CORRECTION, Head with { Relationship = Relationships.Husband }),         // swapping head and spouse keeps the couple
            kit.Change(ChangeCode.CORRECTION, Wife with { Relationship = Relationships.Head }),
            kit.Change(ChangeCode.CORRECTION, Make("500", "H1", "妻(未届)")),                              // common-law: not a marriage
            kit.Change(ChangeCode.CORRECTION, Make("600", "H6", Relationships.Wife)));                    // unknown before: nothing to compare

        Assert.Empty(events);
    }

    [Fact]
    public void A_correction_separating_a_wife_with_her_children_into_her_own_household_yields_an_inferred_DIVORCE()
    {
        var kit = new DetectorTestKit();
        var second = Make("103", "H1", Relationships.Child, birth: "2018-01-01");
        kit.Seed(Head, Wife, Child, second);

        var events = kit.Apply(
            kit.Change(ChangeCode.CORRECTION, Wife with { HouseholdId = "H8", Relationship = Relationships.Head }, "2026-11-10"),
            kit.Change(ChangeCode.CORRECTION, Child with { HouseholdId = "H8" }, "2026-11-10"),
            kit.Change(ChangeCode.CORRECTION, second with { HouseholdId = "H8" }, "2026-11-10"));

        var divorce = Assert.Single(events);
        Assert.Equal((LifeEventKind.DIVORCE, "101", "H8", true, D("2026-11-10")), (divorce.Kind, divorce.ResidentId, divorce.HouseholdId, divorce.Inferred, divorce.EventDate));
        Assert.Equal(["100", "102"], divorce.RelatedResidentIds);
        Assert.Equal("H1", divorce.Details["previousHouseholdId"]);
    }

    [Fact]
    public void An_inferred_DIVORCE_is_found_when_the_children_rows_come_first()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var events = kit.Apply(
            kit.Change(ChangeCode.CORRECTION, Child with { HouseholdId = "H8" }),
            kit.Change(ChangeCode.CORRECTION, Wife with { HouseholdId = "H8", Relationship = Relationships.Head }));

        var divorce = Assert.Single(events);
        Assert.Equal((LifeEventKind.DIVORCE, "101", true), (divorce.Kind, divorce.ResidentId, divorce.Inferred));
        Assert.Equal(["100", "102"], divorce.RelatedResidentIds);
    }

    [Fact]
    public void A_spouse_who_leaves_without_children_is_not_inferred_divorced()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var events = kit.Apply(kit.Change(ChangeCode.CORRECTION, Wife with { HouseholdId = "H8", Relationship = Relationships.Head }));

        Assert.Empty(events);
    }

    [Fact]
    public void A_child_who_leaves_without_a_parent_is_not_a_divorce()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var events = kit.Apply(kit.Change(ChangeCode.CORRECTION, Child with { HouseholdId = "H8", Relationship = Relationships.Head }));

        Assert.Empty(events);
    }

    [Fact]
    public void Detecting_the_same_rows_twice_gives_the_same_event_ids()
    {
        DropRow[] Rows(DetectorTestKit kit) =>
        [
            kit.Change(ChangeCode.MOVE_IN, Make("200", "H2"), "2026-11-02", "R1"),
            kit.Change(ChangeCode.BIRTH, Make("201", "H2", Relationships.Child, birth: "2026-11-03"), "2026-11-03", "R2"),
            kit.Change(ChangeCode.DEATH, Make("200", "H2"), "2026-11-04", "R3"),
        ];
        var first = new DetectorTestKit();
        var second = new DetectorTestKit();

        var a = first.Apply(Rows(first)).Select(e => e.EventId).ToList();
        var b = second.Apply(Rows(second)).Select(e => e.EventId).ToList();

        Assert.Equal(3, a.Distinct().Count());
        Assert.Equal(a, b);
        Assert.Equal(EventIds.For(DetectorTestKit.Tenant, LifeEventKind.DEATH, "200", D("2026-11-04"), "R3"), a[2]);
    }

    [Fact]
    public void Applying_the_same_row_again_yields_no_new_event()
    {
        var kit = new DetectorTestKit();
        var row = kit.Change(ChangeCode.MOVE_IN, Make("200", "H2"), "2026-11-02", "R1");

        Assert.Single(kit.Apply(row));
        Assert.Empty(kit.Apply(row));
    }

    [Fact]
    public void Event_ids_differ_by_tenant_kind_resident_date_and_record()
    {
        var id = EventIds.For("141003", LifeEventKind.BIRTH, "1", D("2026-11-01"), "R1");

        Assert.NotEqual(id, EventIds.For("401307", LifeEventKind.BIRTH, "1", D("2026-11-01"), "R1"));
        Assert.NotEqual(id[6..], EventIds.For("141003", LifeEventKind.DEATH, "1", D("2026-11-01"), "R1")[6..]);
        Assert.NotEqual(id, EventIds.For("141003", LifeEventKind.BIRTH, "2", D("2026-11-01"), "R1"));
        Assert.NotEqual(id, EventIds.For("141003", LifeEventKind.BIRTH, "1", D("2026-11-02"), "R1"));
        Assert.NotEqual(id, EventIds.For("141003", LifeEventKind.BIRTH, "1", D("2026-11-01"), "R2"));
    }

    [Fact]
    public void A_pregnancy_row_yields_PREGNANCY_for_the_residents_household()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife);

        var e = Assert.Single(kit.Apply(new PregnancyRow(2, new PregnancyRecord("P1", "101", D("2026-10-01"), D("2027-04-20")))));

        Assert.Equal((LifeEventKind.PREGNANCY, "101", "H1", D("2026-10-01")), (e.Kind, e.ResidentId, e.HouseholdId, e.EventDate));
        Assert.Equal("2027-04-20", e.Details["expectedDeliveryDate"]);
        Assert.Equal(new EventSource("pregnancy", 2, "P1"), e.Source);
        Assert.Equal("P1", Assert.Single(kit.View.PregnanciesOf("101")).RecordId);
    }

    [Fact]
    public void A_disaster_row_yields_DISASTER_CERTIFIED_about_the_household_head()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var e = Assert.Single(kit.Apply(new DisasterRow(2, new DisasterCertificate("R1", "H1", "令和8年台風第10号", DamageLevel.LargeScaleHalf, D("2026-09-30")))));

        Assert.Equal((LifeEventKind.DISASTER_CERTIFIED, "100", "H1", D("2026-09-30")), (e.Kind, e.ResidentId, e.HouseholdId, e.EventDate));
        Assert.Equal("LargeScaleHalf", e.Details["damageLevel"]);
        Assert.Equal("令和8年台風第10号", e.Details["disasterName"]);
        Assert.Equal(["101", "102"], e.RelatedResidentIds);
    }

    [Fact]
    public void A_household_whose_members_are_all_non_taxable_yields_TAX_NON_TAXABLE_once()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Make("900", "H9"));

        var events = kit.Apply(
            new TaxRow(2, new TaxRecord("100", 2026, 0, true)),
            new TaxRow(3, new TaxRecord("101", 2026, 0, true)),
            new TaxRow(4, new TaxRecord("900", 2026, 2_000_000, false)));
        var again = kit.Apply(new TaxRow(2, new TaxRecord("100", 2026, 0, true)));

        var e = Assert.Single(events);
        Assert.Equal((LifeEventKind.TAX_NON_TAXABLE, "100", "H1", D("2026-04-01")), (e.Kind, e.ResidentId, e.HouseholdId, e.EventDate));
        Assert.Equal("2026", e.Details["fiscalYear"]);
        Assert.Equal(["101"], e.RelatedResidentIds);
        Assert.Empty(again);
    }

    [Fact]
    public void A_household_with_one_taxable_or_unassessed_member_is_not_non_taxable()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child, Make("500", "H5"), Make("501", "H5", Relationships.Wife));

        var events = kit.Apply(
            new TaxRow(2, new TaxRecord("100", 2026, 0, true)),
            new TaxRow(3, new TaxRecord("101", 2026, 0, true)), // the child in H1 has no record
            new TaxRow(4, new TaxRecord("500", 2026, 0, true)),
            new TaxRow(5, new TaxRecord("501", 2026, 1_500_000, false)));

        Assert.Empty(events);
    }

    [Fact]
    public void A_member_with_no_tax_record_counts_as_non_taxable_when_the_tenant_says_so()
    {
        var kit = new DetectorTestKit(new LifeEventDetectorOptions { TreatMissingTaxRecordAsNonTaxable = true, AsOf = D("2026-06-15") });
        kit.Seed(Head, Wife, Child);

        var events = kit.Apply(new TaxRow(2, new TaxRecord("100", 2026, 0, true)), new TaxRow(3, new TaxRecord("101", 2026, 0, true)));

        var e = Assert.Single(events);
        Assert.Equal(D("2026-06-15"), e.EventDate);
    }

    [Fact]
    public void A_resident_missing_from_a_new_snapshot_is_marked_left_and_leaves_the_age_index()
    {
        var kit = new DetectorTestKit(new LifeEventDetectorOptions { AsOf = D("2026-11-22") });
        kit.Seed(Head, Wife);
        Assert.Equal(2, kit.Sweep.Count);

        kit.Detector.Apply(new SnapshotChange(SnapshotChangeKind.Missing, "101", null), []);

        Assert.Equal((RegistryStatus.Left, D("2026-11-22")), (kit.View.GetPerson("101")!.Status, kit.View.GetPerson("101")!.StatusDate));
        Assert.Equal(1, kit.Sweep.Count);
    }

    [Fact]
    public void A_newcomer_whose_age_window_is_already_open_gets_the_age_event_on_moving_in()
    {
        var kit = new DetectorTestKit(new LifeEventDetectorOptions { AsOf = D("2026-11-10") });

        // Attains 65 on 2026-11-21: the window opened on 2026-10-22.
        var events = kit.Apply(kit.Change(ChangeCode.MOVE_IN, Make("700", "H7", birth: "1961-11-22"), "2026-11-10"));

        Assert.Equal([LifeEventKind.MOVE_IN, LifeEventKind.AGE_65], events.Select(e => e.Kind));
        Assert.Equal(D("2026-11-21"), events[1].EventDate);
        Assert.Empty(kit.Sweep.Sweep(D("2026-10-22"), D("2026-10-22")));
    }

    [Theory]
    [InlineData(ChangeCode.BIRTH, LifeEventKind.BIRTH)]
    [InlineData(ChangeCode.MOVE_IN, LifeEventKind.MOVE_IN)]
    [InlineData(ChangeCode.MOVE_IN_ABROAD, LifeEventKind.MOVE_IN_ABROAD)]
    [InlineData(ChangeCode.DEATH, LifeEventKind.DEATH)]
    [InlineData(ChangeCode.MOVE_OUT, LifeEventKind.MOVE_OUT)]
    [InlineData(ChangeCode.MOVE_OUT_ABROAD, LifeEventKind.MOVE_OUT_ABROAD)]
    [InlineData(ChangeCode.RELOCATION, LifeEventKind.RELOCATION)]
    [InlineData(ChangeCode.HOUSEHOLD_SPLIT, LifeEventKind.HOUSEHOLD_SPLIT)]
    [InlineData(ChangeCode.HOUSEHOLD_MERGE, LifeEventKind.HOUSEHOLD_MERGE)]
    [InlineData(ChangeCode.HOUSEHOLD_CHANGE, LifeEventKind.HOUSEHOLD_CHANGE)]
    [InlineData(ChangeCode.HEAD_CHANGE, LifeEventKind.HEAD_CHANGE)]
    public void A_coded_row_yields_exactly_the_event_of_its_own_code(ChangeCode code, LifeEventKind kind)
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        var events = kit.Apply(kit.Change(code, Child with { Address = "横浜市港北区2-2" }));

        Assert.Equal([kind], events.Select(e => e.Kind));
    }

    [Fact]
    public void A_plain_correction_yields_no_event_at_all()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife, Child);

        Assert.Empty(kit.Apply(kit.Change(ChangeCode.CORRECTION, Child with { GivenNameKana = "ハナコ" })));
        Assert.Equal("ハナコ", kit.View.GetPerson("102")!.GivenNameKana);
    }

    [Fact]
    public void A_correction_of_a_deceased_persons_record_keeps_them_deceased()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife);
        kit.Apply(kit.Change(ChangeCode.DEATH, Head, "2026-10-30"));

        kit.Apply(kit.Change(ChangeCode.CORRECTION, Head with { FamilyName = "山本" }));

        var person = kit.View.GetPerson("100")!;
        Assert.Equal((RegistryStatus.Deceased, (DateOnly?)D("2026-10-30"), "山本"), (person.Status, person.StatusDate, person.FamilyName));
    }

    [Fact]
    public void A_pregnancy_or_disaster_row_seen_again_yields_nothing_new()
    {
        var kit = new DetectorTestKit();
        kit.Seed(Head, Wife);
        var pregnancy = new PregnancyRow(2, new PregnancyRecord("P1", "101", D("2026-10-01"), D("2027-04-20")));
        var disaster = new DisasterRow(3, new DisasterCertificate("R1", "H1", "令和8年台風第10号", DamageLevel.Total, D("2026-09-30")));

        Assert.Equal(2, kit.Apply(pregnancy, disaster).Count);
        Assert.Empty(kit.Apply(pregnancy, disaster));
    }

    [Fact]
    public void A_newcomer_with_an_approximate_birth_date_gets_no_age_event()
    {
        var kit = new DetectorTestKit(new LifeEventDetectorOptions { AsOf = D("2026-11-10") });
        var person = WithBirth(Make("700", "H7"), DatePrecision.Approximate, "昭和36年頃");

        var events = kit.Apply(kit.Change(ChangeCode.MOVE_IN, person, "2026-11-10"));

        Assert.Equal([LifeEventKind.MOVE_IN], events.Select(e => e.Kind));
        Assert.Equal(0, kit.Sweep.Count);
    }

    [Fact]
    public void Snapshot_rows_update_the_view_and_index_ages_without_change_events()
    {
        var kit = new DetectorTestKit();
        var diff = new SnapshotDiff(ResidentFingerprints.Empty);
        var events = new List<LifeEvent>();

        foreach (var change in diff.Compare([new ResidentRow(2, Make("1", "H1", birth: "1961-11-22")), new ResidentRow(3, Make("2", "H1", Relationships.Wife))]))
        {
            kit.Detector.Apply(change, events);
        }

        Assert.Empty(events);
        Assert.Equal(2, kit.View.Count);
        Assert.Equal("1", Assert.Single(kit.Sweep.Sweep(D("2026-10-22"), D("2026-10-22"))).ResidentId);
    }
}
