using System.Text;
using PushGov.Domain.Applications;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;
using static PushGov.Domain.Tests.Residents.TestPeople;

namespace PushGov.Domain.Tests.Applications;

public sealed class OneStepApplicationTests
{
    private const string Tenant = "401307";
    private static readonly Catalog Default = CatalogLoader.LoadDefault();

    private static readonly Person[] Household =
    [
        Make("100000001", "H1", Relationships.Head, "1990-04-02"),
        Make("100000002", "H1", Relationships.Wife, "1991-06-01"),
        Make("100000003", "H1", Relationships.Child, "2026-11-02"),
        Make("100000004", "H1", Relationships.Child, "2015-01-10"),
        Make("100000005", "H1", Relationships.Child, "2007-03-01"),
        Make("100000006", "H1", Relationships.Child, "2010-05-05") with { Status = RegistryStatus.Deceased },
    ];

    [Fact]
    public void The_default_catalog_offers_one_step_application_for_child_allowance_pregnancy_support_and_the_non_taxable_payment_only()
    {
        Assert.Equal(["hikazei-kyufukin", "jidou-teate", "ninpu-shien-kyufu"], Default.Services.Where(s => s.OneStepFields is not null).Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal([ApplicationFields.Applicant, ApplicationFields.Children, ApplicationFields.Household, ApplicationFields.PublicFundsAccount], Default.Find("jidou-teate")!.OneStepFields);
    }

    [Theory]
    [InlineData("[applicant, iban]", "unknown field 'iban'")]
    [InlineData("[children]", "'applicant' is required")]
    [InlineData("[applicant, applicant]", "listed twice")]
    public void The_catalog_rejects_an_application_field_it_does_not_know_a_missing_applicant_and_a_repeated_field(string fields, string message)
    {
        var yaml = $$"""
            services:
              - id: test-service
                names: {ja: テスト, ja-x-easy: てすと, en: Test}
                triggers: [BIRTH]
                oneStep: {fields: {{fields}}}
                versions:
                  - validFrom: 2020-01-01
                    recipients: {from: [guardians], first: true}
            """;

        var e = Assert.Throws<CatalogException>(() => CatalogLoader.Load(new StringReader(yaml), "tenant.yaml"));

        var error = Assert.Single(e.Errors);
        Assert.Equal(("test-service", "oneStep.fields"), (error.ServiceId, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Child_allowance_is_filled_with_the_applicant_the_children_up_to_18_and_the_household_and_an_unknown_account()
    {
        var form = PrefilledApplication.For(Default.Find("jidou-teate"), "100000001", Household, D("2026-11-20"))!;

        Assert.Equal("100000001", form.Applicant.ResidentId);
        // The 2007 child attained 18 in 2025 and stopped counting on 31 March 2026; the deceased child is not listed.
        Assert.Equal(["100000004", "100000003"], form.Children!.Select(c => c.ResidentId));
        Assert.Equal(("H1", "100000001", 5), (form.Household!.HouseholdId, form.Household.Head!.ResidentId, form.Household.Members));
        Assert.Equal(ApplicationFields.Unknown, form.PublicFundsAccount);
        Assert.Equal("山田 太郎（2015-01-10）、山田 太郎（2026-11-02）", form.ChildrenText());
    }

    [Fact]
    public void A_service_not_marked_and_a_resident_not_registered_in_the_household_get_no_application()
    {
        Assert.Null(PrefilledApplication.For(Default.Find("kodomo-iryouhi"), "100000001", Household, D("2026-11-20")));
        Assert.Null(PrefilledApplication.For(Default.Find("jidou-teate"), "100000006", Household, D("2026-11-20")));
        Assert.Null(PrefilledApplication.For(Default.Find("jidou-teate"), "999999999", Household, D("2026-11-20")));

        var pregnancy = PrefilledApplication.For(Default.Find("ninpu-shien-kyufu"), "100000002", Household, D("2026-11-20"))!;
        Assert.Null(pregnancy.Children);
        Assert.Equal("100000002", pregnancy.Applicant.ResidentId);
    }

    [Fact]
    public void The_application_id_is_derived_from_tenant_case_and_service_and_the_file_is_dated_in_Japan()
    {
        var id = ApplicationFiles.IdFor(Tenant, "BIRTH-1", "jidou-teate");
        Assert.Equal(id, ApplicationFiles.IdFor(Tenant, "BIRTH-1", "jidou-teate"));
        Assert.NotEqual(id, ApplicationFiles.IdFor(Tenant, "BIRTH-1", "ninpu-shien-kyufu"));
        Assert.NotEqual(id, ApplicationFiles.IdFor("141003", "BIRTH-1", "jidou-teate"));
        Assert.Matches("^A[0-9a-f]{24}$", id);

        // 16:30 UTC on 30 November is 01:30 on 1 December in Tokyo.
        var a = Application("BIRTH-1", new DateTimeOffset(2026, 11, 30, 16, 30, 0, TimeSpan.Zero));

        Assert.Equal(D("2026-12-01"), a.HandedOverOn);
        Assert.Equal(TimeSpan.FromHours(9), a.ConfirmedAt.Offset);
        Assert.Equal($"401307/jidou-teate/2026-12-01/{id}.json", ApplicationFiles.JsonName(a));
        Assert.Equal("401307/jidou-teate/2026-12-01.csv", ApplicationFiles.CsvName(Tenant, "jidou-teate", a.HandedOverOn));
        var back = ApplicationFiles.Read(ApplicationFiles.Json(a));
        Assert.Equal(a with { Form = back.Form }, back);
        Assert.Equal(a.Form.Children!.Select(c => c.ResidentId), back.Form.Children!.Select(c => c.ResidentId));
        var json = Encoding.UTF8.GetString(ApplicationFiles.Json(a));
        Assert.Contains("\"serviceName\": \"児童手当\"", json, StringComparison.Ordinal);
        Assert.Contains("\"publicFundsAccount\": \"unknown\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("本町", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_days_csv_has_a_bom_crlf_one_row_per_application_and_neutralises_formulas()
    {
        var household = Household.Select(p => p.ResidentId == "100000001" ? p with { FamilyName = "=HYPERLINK(\"http://x\")", GivenName = "-1+2", FamilyNameKana = "@SUM(A1)" } : p).ToList();
        var first = Application("BIRTH-1", new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero), household);
        var second = Application("BIRTH-2", new DateTimeOffset(2026, 11, 20, 0, 30, 0, TimeSpan.Zero));

        var bytes = ApplicationFiles.Csv([first, second, first]);

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n");
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Equal(string.Join(',', ApplicationFiles.CsvColumns), lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith(second.ApplicationId + ",", lines[1], StringComparison.Ordinal);
        Assert.StartsWith(first.ApplicationId + ",", lines[2], StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\")\",\"'-1+2\",\"'@SUM(A1)\",", lines[2], StringComparison.Ordinal);
        Assert.Contains(",2026-11-20T10:00:00+09:00,", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(",unknown", lines[2], StringComparison.Ordinal);
        Assert.Contains(",H1,100000001,5,100000004;100000003,", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+81")]
    [InlineData("-2")]
    [InlineData("@x")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    public void Every_cell_of_free_text_starting_like_a_formula_gets_a_leading_apostrophe(string name)
    {
        var household = Household.Select(p => p.ResidentId == "100000001" ? p with { GivenName = name } : p).ToList();

        var text = Encoding.UTF8.GetString(ApplicationFiles.Csv([Application("BIRTH-1", DateTimeOffset.UnixEpoch, household)]));

        Assert.Contains(",\"'" + name + "\",", text, StringComparison.Ordinal);
    }

    private static OneStepApplication Application(string caseId, DateTimeOffset at, IReadOnlyList<Person>? household = null) =>
        OneStepApplication.Confirmed(Tenant, caseId, "児童手当", "BIRTH", D("2026-11-02"), at, PrefilledApplication.For(Default.Find("jidou-teate"), "100000001", household ?? Household, D("2026-11-20"))!);
}
