using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Templates;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;

namespace PushGov.Domain.Tests.Drops;

/// <summary>外字: the tenant's table (validated like the catalog), mapped and unmapped 外字 in drops, messages and letters.</summary>
public class GaijiTests
{
    private const string Header = "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,relationship,address\n";

    // F040 → 𠮷 (outside the BMP), F041 → 葛󠄀 (IVS), F042 → 辻 as a substitute; F043 is not in the table.
    private static readonly GaijiEntry[] Table =
    [
        new() { Code = "F040", Text = "𠮷" },
        new() { Code = "0xF041", Text = "葛\U000E0100" },
        new() { Code = "F042", Text = "辻", Substitute = true, Note = "一点しんにょうの辻" },
    ];

    private static byte[] Cp932(string csv) => Cp932Encoding.Instance.GetBytes(csv);

    [Fact]
    public void A_valid_table_maps_characters_variation_sequences_and_substitutes()
    {
        var table = GaijiTable.Load(Table);

        Assert.Equal(3, table.Count);
        Assert.True(table.TryMap('\uE000', out var yoshi));
        Assert.Equal(new GaijiMapping("F040", GaijiKind.Character, "𠮷", null), yoshi);
        Assert.True(table.TryMap('\uE001', out var kuzu));
        Assert.Equal((GaijiKind.VariationSequence, "F041"), (kuzu.Kind, kuzu.Code));
        Assert.True(table.TryMap('\uE002', out var tsuji));
        Assert.Equal((GaijiKind.Substitute, "一点しんにょうの辻"), (tsuji.Kind, tsuji.Note));
        Assert.False(table.TryMap('\uE003', out _));
    }

    [Fact]
    public void A_bad_table_is_rejected_with_every_error_naming_the_entry_line_and_field()
    {
        GaijiEntry[] bad =
        [
            new() { Code = "F040", Text = "𠮷" },
            new() { Code = "F040", Text = "吉" },
            new() { Code = "8140", Text = "a" },
            new() { Code = "F07F", Text = "a" },
            new() { Code = "xyz", Text = "a" },
            new() { Code = "F044" },
            new() { Code = "F045", Text = "高橋" },
            new() { Code = "F046", Text = "辻", Substitute = true },
            new() { Code = "F047", Text = "\uE000" },
            new() { Text = "吉" },
        ];

        var e = Assert.Throws<GaijiTableException>(() => GaijiTable.Load(bad, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));

        Assert.Equal(
            [
                "gaiji[1] (line 4) code: F040 is mapped twice (first in gaiji[0])",
                "gaiji[2] (line 5) code: 8140 is not a user-defined (外字) code: those are F040–F9FC with a second byte 40–7E or 80–FC",
                "gaiji[3] (line 6) code: F07F is not a user-defined (外字) code: those are F040–F9FC with a second byte 40–7E or 80–FC",
                "gaiji[4] (line 7) code: 'xyz' is not 4 hex digits (e.g. F040)",
                "gaiji[5] (line 8) text: required: the character, an Ideographic Variation Sequence, or (with substitute: true) a stand-in",
                "gaiji[6] (line 9) text: expected one character or an Ideographic Variation Sequence (an ideograph and a selector U+E0100–U+E01EF); for anything else set substitute: true and add a note",
                "gaiji[7] (line 10) note: required for a substitute: say which character the stand-in replaces (staff and the print vendor read it)",
                "gaiji[8] (line 11) text: contains U+E000, which is a control, replacement or private-use character: a 外字 must map to what it means",
                "gaiji[9] (line 12) code: required: the user-defined CP932 code, 4 hex digits from F040 to F9FC",
            ],
            e.Errors.Select(x => x.ToString()));
    }

    [Fact]
    public void A_tenant_with_a_bad_table_fails_validation_and_a_drop_read_with_it_is_rejected_whole()
    {
        var options = new DropOptions { Gaiji = [new GaijiEntry { Code = "F040", Text = "高橋" }] };
        var tenant = new TenantConfig { Code = "401307", Name = "福岡市", Drops = options };

        Assert.Contains(tenant.Validate(), m => m.StartsWith("drops.gaiji[0] text: expected one character", StringComparison.Ordinal));
        var (rows, report) = DropTestHelper.Read(Cp932(Header + "1,H1,\uE000田,太郎,ヨシダ,タロウ,1990-01-01,世帯主,\n"), Dataset.Residents, options);
        Assert.Empty(rows);
        Assert.StartsWith("the tenant's 外字 table is not valid (1 error(s), first: gaiji[0] text:", report.RejectedWhole, StringComparison.Ordinal);
    }

    [Fact]
    public void Mapped_gaiji_become_their_text_and_the_person_keeps_the_codes()
    {
        var csv = Header + "1,H1,\uE000田,\uE001子,ヨシダ,クズコ,1990-01-01,世帯主,福岡市\uE002堂1-1\n";

        var (rows, report) = DropTestHelper.Read(Cp932(csv), Dataset.Residents, new DropOptions { Gaiji = Table });

        var person = Assert.IsType<ResidentRow>(Assert.Single(rows)).Person;
        Assert.Equal("𠮷田", person.FamilyName);
        Assert.Equal("葛\U000E0100子", person.GivenName);
        Assert.Equal("福岡市辻堂1-1", person.Address);
        Assert.Equal(
            [new GaijiUse("family_name", 1, "F040", "𠮷"), new GaijiUse("given_name", 1, "F041", "葛\U000E0100"), new GaijiUse("address", 4, "F042", "辻")],
            person.Gaiji!);
        Assert.Equal((3L, 0L), (report.GaijiMappedCount, report.GaijiUnmappedCount));
    }

    [Fact]
    public void An_unmapped_gaiji_is_accepted_kept_and_listed_in_the_report_with_line_column_and_code()
    {
        var csv = Header
            + "1,H1,山田,太郎,ヤマダ,タロウ,1990-01-01,世帯主,\n"
            + "2,H1,\uE003\uE003,花子,ヤマダ,ハナコ,1992-01-01,妻,\n"
            + "3,H1,山田,\uE004,ヤマダ,ケン,bad-date,子,\n"; // a rejected row's 外字 is not counted

        var (rows, report) = DropTestHelper.Read(Cp932(csv), Dataset.Residents, new DropOptions { Gaiji = Table });

        Assert.Equal(2, rows.Count);
        var person = ((ResidentRow)rows[1]).Person;
        Assert.Equal("\uE003\uE003", person.FamilyName);
        Assert.Equal([new GaijiUse("family_name", 1, "F043", null), new GaijiUse("family_name", 2, "F043", null)], person.Gaiji!);
        Assert.Equal(2, report.GaijiUnmappedCount);
        Assert.Equal([new GaijiFinding(3, "family_name", 1, "F043"), new GaijiFinding(3, "family_name", 2, "F043")], report.GaijiUnmapped);
        Assert.Equal(1, report.RejectedCount);

        var json = report.ToJson();
        Assert.Contains("\"gaijiUnmappedCount\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"code\": \"F043\"", json, StringComparison.Ordinal);
        Assert.Equal(report.GaijiUnmapped, DropReport.FromJson(json).GaijiUnmapped);
    }

    [Fact]
    public void A_utf8_drop_with_private_use_gaiji_goes_through_the_same_table()
    {
        var (rows, report) = DropTestHelper.Read(Header + "1,H1,\uE000田,\uE003子,ヨシダ,ミコ,1990-01-01,世帯主,\n", Dataset.Residents, new DropOptions { Gaiji = Table });

        var person = ((ResidentRow)Assert.Single(rows)).Person;
        Assert.Equal(("𠮷田", "\uE003子"), (person.FamilyName, person.GivenName));
        Assert.Equal((1L, 1L), (report.GaijiMappedCount, report.GaijiUnmappedCount));
    }

    [Fact]
    public void A_postal_contact_address_goes_through_the_table_too()
    {
        var csv = "resident_id,channel,address,consent,consented_at\n1,post,福岡市\uE002堂\uE003-1,1,2026-11-01\n";

        var (rows, report) = DropTestHelper.Read(csv, Dataset.Contacts, new DropOptions { Gaiji = Table });

        Assert.Equal("福岡市辻堂\uE003-1", ((ContactRow)Assert.Single(rows)).Record.Address);
        Assert.Equal((1L, 1L), (report.GaijiMappedCount, report.GaijiUnmappedCount));
        Assert.Equal(new GaijiFinding(2, "address", 6, "F043"), Assert.Single(report.GaijiUnmapped));
    }

    [Theory]
    [InlineData(UnmappedGaijiRule.Kana, "ヤマダ", "ハナコ")]
    [InlineData(UnmappedGaijiRule.Geta, "〓田", "花子")]
    public void Messages_name_a_person_with_an_unmapped_gaiji_by_kana_or_the_tenant_rule_never_by_the_private_use_code(UnmappedGaijiRule rule, string family, string given)
    {
        Assert.Equal((family, given), GaijiNames.ForMessage("\uE003田", "花子", "ヤマダ", "ハナコ", rule));
        Assert.Equal(("山田", "花子"), GaijiNames.ForMessage("山田", "花子", null, null, rule));
    }

    [Fact]
    public void Without_a_kana_reading_the_unmapped_gaiji_shows_as_geta()
    {
        Assert.Equal(("〓田", "花子"), GaijiNames.ForMessage("\uE003田", "花子", null, "ハナコ", UnmappedGaijiRule.Kana));
    }

    [Fact]
    public void Composed_sms_and_email_use_the_kana_reading_and_a_letter_keeps_the_code_for_the_print_file()
    {
        var composer = new TemplateComposer(_ => TemplateCatalog.LoadDefault(), new ResidentLinkSigner("domain-tests-resident-link-key-0123456789"));
        var tenant = new TenantConfig { Code = "401307", Name = "福岡市" };
        var c = new CaseData
        {
            Tenant = "401307",
            CaseId = "BIRTH-1",
            CreatedAt = new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero),
            Event = new LifeEvent { Kind = LifeEventKind.BIRTH, Tenant = "401307", EventId = "BIRTH-1", ResidentId = "3", HouseholdId = "H1", EventDate = new DateOnly(2026, 11, 10), Source = new EventSource("resident-changes", 2) },
            Matches = [new ServiceMatch { EventId = "BIRTH-1", ServiceId = "jidou-teate", RecipientIds = ["1"], Deadline = new DateOnly(2026, 11, 25), NeedsClaim = true }],
        };

        Delivery For(Channel channel, string address) =>
            new("m-" + channel, "1", channel, address, "ja", ["jidou-teate"], "initial", GivenName: "\uE003子", FamilyName: "山田", GivenNameKana: "ミコ", FamilyNameKana: "ヤマダ");

        var sms = composer.Compose(tenant, c, For(Channel.Sms, "+819012345678"));
        var email = composer.Compose(tenant, c, For(Channel.Email, "a@example.jp"));
        var letter = composer.Compose(tenant, c, For(Channel.Post, "8108620\n福岡県福岡市中央区天神1-8-1"));

        Assert.StartsWith("ミコさん", sms.Text, StringComparison.Ordinal);
        Assert.StartsWith("ミコ 様", email.Text, StringComparison.Ordinal);
        Assert.False(GaijiNames.HasUnmapped(sms.Text + email.Text + email.Html + email.Subject));
        Assert.Contains("山田　\uE003子　様", letter.Text, StringComparison.Ordinal);
        var notes = new List<string>();
        Assert.Contains("山田　〓子　様", GaijiNames.MarkForPrint("name", letter.Text, notes), StringComparison.Ordinal);
        Assert.NotEmpty(notes);
        Assert.All(notes, n => Assert.EndsWith("=F043", n, StringComparison.Ordinal));
    }
}
