using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Templates;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;

namespace PushGov.Domain.Tests.Residents;

public sealed class ResidentLinkTests
{
    private const string Key = "fixed-vector-resident-link-key-0123456789";
    private const string Tenant = "401307";
    private const string CaseId = "BIRTH-0123456789abcdef0123";
    private const string Resident = "100000001";

    // Computed independently (Python's hmac, from the format the class documents):
    //   tag = HMAC-SHA256(key, "pushgov/resident-tag/v1\n6:401307\n26:BIRTH-…\n9:" + "100000001")[:6]
    //   payload = 0x01 | uint16be(days from 2000-01-01 to 2027-01-14) | tag
    //   token = base64url(payload + HMAC-SHA256(key, "pushgov/resident-link/v1\n6:401307\n26:BIRTH-…\n9:" + payload)[:12])
    private const string VectorTag = "e73e18cd7494";
    private const string VectorToken = "ASaT5z4YzXSUvl8dBWMfD3bH7OAw";
    private static readonly DateOnly VectorLastDay = new(2027, 1, 14);

    private readonly ResidentLinkSigner signer = new(Key);

    [Fact]
    public void Signing_gives_the_fixed_vector_token_and_tag()
    {
        Assert.Equal(VectorTag, signer.ResidentTag(Tenant, CaseId, Resident));
        Assert.Equal(VectorToken, signer.Sign(Tenant, CaseId, Resident, VectorLastDay));
    }

    [Fact]
    public void The_fixed_vector_checks_valid_through_its_last_day_and_expired_the_day_after()
    {
        Assert.Equal(new ResidentLinkCheck(ResidentLinkStatus.Valid, VectorTag, VectorLastDay), signer.Check(Tenant, CaseId, VectorToken, VectorLastDay));
        Assert.Equal(ResidentLinkStatus.Expired, signer.Check(Tenant, CaseId, VectorToken, VectorLastDay.AddDays(1)).Status);
    }

    [Fact]
    public void Changing_any_character_of_the_token_makes_it_invalid()
    {
        for (var i = 0; i < VectorToken.Length; i++)
        {
            var altered = VectorToken.ToCharArray();
            altered[i] = altered[i] == 'A' ? 'B' : 'A';
            Assert.Equal(ResidentLinkStatus.Invalid, signer.Check(Tenant, CaseId, new string(altered), VectorLastDay).Status);
        }
    }

    [Theory]
    [InlineData("131016", CaseId)]
    [InlineData(Tenant, "BIRTH-0123456789abcdef0124")]
    public void A_token_does_not_open_another_tenant_or_case(string tenant, string caseId) =>
        Assert.Equal(ResidentLinkStatus.Invalid, signer.Check(tenant, caseId, VectorToken, VectorLastDay).Status);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ASaT5z4YzXSUvl8dBWMfD3bH7OA")]
    [InlineData("ASaT5z4YzXSUvl8dBWMfD3bH7OAwA")]
    [InlineData("ASaT5z4YzXSUvl8dBWMfD3bH7OA=")]
    [InlineData("ASaT5z4YzXSUvl8dBWMfD3bH7OA+")]
    [InlineData("ASaT5z4YzXSUvl8dBWMfD3bH7OA\n")]
    public void Anything_but_a_well_formed_token_is_invalid(string? token) =>
        Assert.Equal(ResidentLinkStatus.Invalid, signer.Check(Tenant, CaseId, token, VectorLastDay).Status);

    [Fact]
    public void Another_key_neither_makes_nor_accepts_the_same_token()
    {
        var other = new ResidentLinkSigner("another-resident-link-key-0123456789abcdef");
        Assert.NotEqual(VectorToken, other.Sign(Tenant, CaseId, Resident, VectorLastDay));
        Assert.Equal(ResidentLinkStatus.Invalid, other.Check(Tenant, CaseId, VectorToken, VectorLastDay).Status);
    }

    [Fact]
    public void The_link_carries_no_resident_id_and_differs_per_resident()
    {
        var url = signer.CaseUrl(new Uri("https://portal.example.jp"), Tenant, CaseId, Resident, VectorLastDay);
        var another = signer.CaseUrl(new Uri("https://portal.example.jp/"), Tenant, CaseId, "100000002", VectorLastDay);

        Assert.Equal($"https://portal.example.jp/r/{Tenant}/{CaseId}/{VectorToken}", url.AbsoluteUri);
        Assert.DoesNotContain(Resident, url.AbsoluteUri, StringComparison.Ordinal);
        Assert.NotEqual(url, another);
        Assert.NotEqual(signer.Check(Tenant, CaseId, url.Segments[^1], VectorLastDay).ResidentTag, signer.Check(Tenant, CaseId, another.Segments[^1], VectorLastDay).ResidentTag);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/resident-link-key/)")]
    public void A_missing_short_or_unresolved_key_setting_is_refused(string? setting) =>
        Assert.Throws<InvalidOperationException>(() => ResidentLinkSigner.FromSetting(setting));

    [Fact]
    public void A_link_lasts_until_the_latest_deadline_plus_the_tenants_days_or_a_year_after_the_event_without_one()
    {
        var c = Case(new DateOnly(2026, 11, 25), new DateOnly(2027, 3, 31));
        Assert.Equal(new DateOnly(2027, 4, 30), ResidentLinkSigner.LastDayFor(c, 30));
        Assert.Equal(new DateOnly(2027, 11, 17), ResidentLinkSigner.LastDayFor(Case([null]), 7));
    }

    [Fact]
    public void A_composed_message_links_to_the_recipients_own_signed_case_page()
    {
        var composer = new TemplateComposer(_ => TemplateCatalog.LoadDefault(), signer);
        var tenant = new TenantConfig { Code = Tenant, Name = "福岡市", PortalBaseUrl = "https://portal.city.fukuoka.example.jp" };
        var c = Case(new DateOnly(2026, 11, 25));

        var sms = composer.Compose(tenant, c, new Delivery("m-1", Resident, Channel.Sms, "+819012345678", "ja", ["jidou-teate"], "initial", GivenName: "花子", FamilyName: "福岡"));

        var expected = signer.CaseUrl(new Uri(tenant.PortalBaseUrl), Tenant, CaseId, Resident, new DateOnly(2026, 12, 25));
        Assert.Contains(expected.AbsoluteUri, sms.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasons_in_plain_words_name_the_event_in_wareki_and_leave_out_values_and_steering_steps()
    {
        var match = new ServiceMatch
        {
            EventId = CaseId,
            ServiceId = "jidou-teate",
            RecipientIds = [Resident],
            Reasons =
            [
                new ReasonStep("children up to 31 March after 18: at least 1", true, "1 on 2026-11-10"),
                new ReasonStep("recipients from [guardians] (first found)", true, "100000001"),
                new ReasonStep("income(subject) < ¥6,000,000", false, "¥7,000,000 in fiscal year 2026"),
                new ReasonStep("household size at least 2", true, "unknown: no snapshot"),
            ],
        };

        var reasons = ResidentReasons.Explain(LifeEventKind.BIRTH, new DateOnly(2026, 11, 10), match);

        Assert.Equal(
            ["令和8年11月10日の出生が記録されました。", "対象の年齢の子どもがいる世帯です。"],
            reasons.Select(r => r.Ja));
        Assert.Equal("A birth was recorded on 10 November 2026.", reasons[0].En);
        Assert.DoesNotContain(reasons, r => r.Ja.Contains(Resident, StringComparison.Ordinal) || r.En.Contains(Resident, StringComparison.Ordinal));
    }

    [Fact]
    public void The_view_shows_only_the_residents_own_offers_most_urgent_first_with_wareki_and_how_to_apply()
    {
        var c = Case(new DateOnly(2026, 11, 25)) with
        {
            Matches =
            [
                new ServiceMatch { EventId = CaseId, ServiceId = "kodomo-iryouhi", RecipientIds = [Resident], Deadline = new DateOnly(2026, 12, 10) },
                new ServiceMatch { EventId = CaseId, ServiceId = "jidou-teate", RecipientIds = [Resident], Deadline = new DateOnly(2026, 11, 25), AmountYen = 15000, NeedsClaim = true },
                new ServiceMatch { EventId = CaseId, ServiceId = "kokuho-shikaku", RecipientIds = ["100000002"], Deadline = new DateOnly(2026, 11, 24) },
            ],
            Deliveries = [new Delivery("m-1", Resident, Channel.Email, "a@example.jp", "ja-x-easy", ["jidou-teate"], "initial")],
        };
        var tenant = new TenantConfig { Code = Tenant, Name = "福岡市", PortalBaseUrl = "https://portal.city.fukuoka.example.jp" };

        var view = ResidentCaseView.For(tenant, c, Resident, CatalogLoader.LoadDefault(), new DateOnly(2026, 12, 25), [], new DateOnly(2026, 11, 26));

        Assert.Equal(["jidou-teate", "kodomo-iryouhi"], view.Offers.Select(o => o.ServiceId));
        var first = view.Offers[0];
        Assert.Equal(("児童手当", "Child allowance"), (first.Name.Ja, first.Name.En));
        Assert.Equal("令和8年11月25日", first.DeadlineWareki);
        Assert.Equal("month", first.AmountPeriod);
        Assert.Equal("https://myna.go.jp/", first.Apply.PortalUrl);
        Assert.Equal(("ja-x-easy", "portal.city.fukuoka.example.jp", "福岡市"), (view.Language, view.PortalHost, view.Municipality));
    }

    private static CaseData Case(params DateOnly?[]? deadlines) => new()
    {
        Tenant = Tenant,
        CaseId = CaseId,
        CreatedAt = new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero),
        Event = new LifeEvent { Kind = LifeEventKind.BIRTH, Tenant = Tenant, EventId = CaseId, ResidentId = "3", HouseholdId = "H1", EventDate = new DateOnly(2026, 11, 10), Source = new EventSource("resident-changes", 2) },
        Matches = [.. (deadlines ?? []).Select((d, i) => new ServiceMatch { EventId = CaseId, ServiceId = i == 0 ? "jidou-teate" : "kodomo-iryouhi", RecipientIds = [Resident], Deadline = d, NeedsClaim = true })],
    };
}
