using PushGov.Domain.Residents;
using static PushGov.Domain.Tests.Residents.TestPeople;

namespace PushGov.Domain.Tests.Residents;

public sealed class ResidentViewTests
{
    [Fact]
    public void A_person_who_changes_household_leaves_the_old_member_list_and_joins_the_new_one()
    {
        var view = new ResidentView();
        view.Upsert(Make("1", "H1"));
        view.Upsert(Make("2", "H1", Relationships.Wife));
        view.Upsert(Make("2", "H2"));

        Assert.Equal(["1"], view.MembersOf("H1"));
        Assert.Equal(["2"], view.MembersOf("H2"));
        Assert.Equal("H2", view.GetPerson("2")!.HouseholdId);
    }

    [Fact]
    public void A_household_snapshot_keeps_the_deceased_member_with_their_status()
    {
        var view = new ResidentView();
        view.Upsert(Make("1", "H1"));
        view.Upsert(Make("2", "H1", Relationships.Wife));
        Assert.True(view.SetStatus("1", RegistryStatus.Deceased, D("2026-11-01")));

        var snapshot = view.Snapshot("H1");

        Assert.Equal(2, snapshot.Members.Count);
        Assert.Equal(RegistryStatus.Deceased, snapshot.Find("1")!.Status);
        Assert.Equal(D("2026-11-01"), snapshot.Find("1")!.StatusDate);
        Assert.Equal(RegistryStatus.Registered, snapshot.Find("2")!.Status);
    }

    [Fact]
    public void A_household_snapshot_carries_the_members_tax_pregnancies_disasters_and_consent_only()
    {
        var view = new ResidentView();
        view.Upsert(Make("1", "H1"));
        view.Upsert(Make("2", "H1", Relationships.Wife));
        view.Upsert(Make("3", "H9"));
        view.Upsert(new TaxRecord("1", 2026, 0, true));
        view.Upsert(new TaxRecord("1", 2026, 1_000, false));
        view.Upsert(new TaxRecord("3", 2026, 0, true));
        view.Upsert(new PregnancyRecord("P1", "2", D("2026-10-01"), D("2027-04-20")));
        view.Upsert(new DisasterCertificate("R1", "H1", "令和8年台風第10号", DamageLevel.Half, D("2026-09-30")));
        view.Upsert(new DisasterCertificate("R2", "H9", "令和8年台風第10号", DamageLevel.Total, D("2026-09-30")));
        view.SetTaxDataConsent("2", true);
        view.SetTaxDataConsent("3", true);

        var snapshot = view.Snapshot("H1");

        var tax = Assert.Single(snapshot.Tax);
        Assert.Equal(("1", 1_000L, false), (tax.ResidentId, tax.TaxableIncomeYen, tax.NonTaxable));
        Assert.Equal("P1", Assert.Single(snapshot.Pregnancies).RecordId);
        Assert.Equal("R1", Assert.Single(snapshot.Disasters).RecordId);
        Assert.Equal(["2"], snapshot.TaxDataConsent);
    }

    [Fact]
    public void A_household_the_view_does_not_know_gives_an_empty_snapshot()
    {
        Assert.Empty(new ResidentView().Snapshot("H404").Members);
    }

    [Fact]
    public void An_older_contact_does_not_override_a_newer_one_for_the_same_channel()
    {
        var view = new ResidentView();
        var newer = new ContactRecord("1", Channel.Sms, "+819012345678", "ja", false, new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), "portal");
        var older = newer with { Consent = true, ConsentedAt = newer.ConsentedAt.AddDays(-3), Source = "drop" };
        var email = newer with { Channel = Channel.Email, Address = "a@example.jp" };

        Assert.True(view.Upsert(newer));
        Assert.False(view.Upsert(older));
        Assert.True(view.Upsert(email));

        Assert.False(view.GetContact("1", Channel.Sms)!.Consent);
        Assert.Equal(2, view.ContactsOf("1").Count);
    }

    [Fact]
    public void The_view_reports_what_changed_since_it_was_last_cleared()
    {
        var view = new ResidentView();
        view.Upsert(Make("1", "H1"));
        view.ClearChanges();

        view.Upsert(Make("1", "H2"));
        view.Upsert(new TaxRecord("7", 2026, 0, true));

        Assert.Equal(["1", "7"], view.ChangedResidents.Order());
        Assert.Equal(["H1", "H2"], view.ChangedHouseholds.Order());
    }
}
