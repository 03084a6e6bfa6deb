using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Templates;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;

namespace PushGov.Domain.Tests.Drops;

/// <summary>
/// UTF-8 drops keep Ideographic Variation Sequences (葛󠄀 = U+845B U+E0100), characters outside the BMP (𠮷 U+20BB7) and
/// combining marks intact from the drop to the message and the letter, and SMS sizes count them right.
/// </summary>
public class Utf8NameTests
{
    private const string Kuzu = "葛\U000E0100"; // 3 UTF-16 code units
    private const string Yoshi = "𠮷"; // 2 UTF-16 code units
    private const string Ga = "か\u3099"; // か + COMBINING KATAKANA-HIRAGANA VOICED SOUND MARK

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ivs_surrogate_pairs_and_combining_marks_survive_reading_and_normalisation(bool bom)
    {
        var csv = "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,relationship,address\n"
            + $"1,H1,\u3000{Kuzu}城\u3000,{Yoshi}{Ga}子 ,カツラギ,ヨシガコ,1990-01-01,世帯主,福岡市{Yoshi}野1-1 {Kuzu}\n";

        var (rows, report) = DropTestHelper.Read(csv, Dataset.Residents, bom: bom);

        Assert.Equal(0, report.RejectedCount);
        var person = ((ResidentRow)Assert.Single(rows)).Person;
        Assert.Equal($"{Kuzu}城", person.FamilyName); // trimmed, selector kept
        Assert.Equal($"{Yoshi}{Ga}子", person.GivenName);
        Assert.Equal($"福岡市{Yoshi}野1-1 {Kuzu}", person.Address); // the selector at the very end is not trimmed
        Assert.Null(person.Gaiji);
        Assert.Equal($"{Kuzu}", TextNormalizer.Normalize($" {Kuzu}\u3000"));
    }

    [Fact]
    public void The_names_reach_sms_email_and_letter_text_unchanged_and_sms_counts_their_code_units()
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
            new("m-" + channel, "1", channel, address, "ja", ["jidou-teate"], "initial", GivenName: $"{Yoshi}{Ga}子", FamilyName: $"{Kuzu}城");

        var sms = composer.Compose(tenant, c, For(Channel.Sms, "+819012345678"));
        var email = composer.Compose(tenant, c, For(Channel.Email, "a@example.jp"));
        var letter = composer.Compose(tenant, c, For(Channel.Post, $"8108620\n福岡県福岡市中央区天神1-8-1{Kuzu}{Kuzu}{Kuzu}{Kuzu}{Kuzu}{Kuzu}{Kuzu}{Kuzu}{Kuzu}"));

        Assert.StartsWith($"{Yoshi}{Ga}子さん", sms.Text, StringComparison.Ordinal);
        Assert.Contains($"{Yoshi}{Ga}子 様", email.Html, StringComparison.Ordinal);
        Assert.Contains($"{Kuzu}城　{Yoshi}{Ga}子　様", letter.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', sms.Text + email.Text + email.Html + letter.Text);

        // Every address line break falls between text elements: no line starts with a lone selector or low surrogate.
        Assert.All(letter.Text.Split('\n'), line => Assert.False(line.Length > 0 && (char.IsLowSurrogate(line[0]) || line.StartsWith("\U000E0100", StringComparison.Ordinal))));

        var count = SmsFragments.Count(sms.Text);
        Assert.Equal((SmsEncoding.Ucs2, sms.Text.Length), (count.Encoding, count.Units));
    }

    [Fact]
    public void An_ivs_selector_counts_two_code_units_and_is_never_split_across_sms_parts()
    {
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 3, 1), SmsFragments.Count(Kuzu));
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 2, 1), SmsFragments.Count(Yoshi));
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 2, 1), SmsFragments.Count(Ga));

        // 66 kana then 葛 (unit 67, fills part 1): the selector's surrogate pair (units 68–69) opens part 2 whole.
        var atBoundary = new string('あ', 66) + Kuzu + new string('あ', 10);
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 79, 2), SmsFragments.Count(atBoundary));

        // 65 kana and 葛, then the selector would straddle units 67–68: the pair moves to part 2, which costs nothing here…
        var straddling = new string('あ', 65) + Kuzu + new string('あ', 63);
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 131, 2), SmsFragments.Count(straddling));

        // …and a part when the second part was already full.
        var full = new string('あ', 65) + Kuzu + new string('あ', 66);
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 134, 3), SmsFragments.Count(full));
    }

    [Fact]
    public void A_long_address_wraps_between_text_elements_never_inside_a_variation_sequence_or_a_surrogate_pair()
    {
        // 23 characters then 葛󠄀: cutting at 24 code units would separate 葛 from its selector.
        var address = new string('町', 23) + Kuzu + Yoshi + "1-1";
        var block = PostalAddressBlock.Format("8108620", address, "山田", "花子");

        var lines = block.Split('\n');
        Assert.Equal(new string('町', 23), lines[1]);
        Assert.Equal(Kuzu + Yoshi + "1-1", lines[2]);
    }
}
