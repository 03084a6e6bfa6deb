using System.Security.Cryptography;
using System.Text;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using static PushGov.Domain.Tests.Drops.DropTestHelper;

namespace PushGov.Domain.Tests.Drops;

public class DropReaderTests
{
    private const string ChangesHeader =
        "record_id,resident_id,household_id,change_code,change_date,notified_date,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n";

    private const string ResidentsHeader =
        "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n";

    [Fact]
    public void Resident_changes_good_rows_are_read_with_every_column()
    {
        var (rows, report) = Read(
            ChangesHeader +
            "C1,1234567892,5000000018,BIRTH,2026-11-20,令和8年11月22日,山田,花子,ﾔﾏﾀﾞ,ﾊﾅｺ,R8.11.20,2,子,8100001,福岡市中央区天神1-1-1,\n" +
            "C2,1000000019,5000000018,DEATH,2026/11/21,,山田,一郎,,,S10.1.2,1,父,810-0001,,\n",
            Dataset.ResidentChanges);

        Assert.Null(report.RejectedWhole);
        Assert.Equal(0, report.RejectedCount);
        Assert.Equal(2, report.Accepted);
        var birth = Assert.IsType<ResidentChangeRow>(rows[0]);
        Assert.Equal(2, birth.Line);
        Assert.Equal("C1", birth.RecordId);
        Assert.Equal(ChangeCode.BIRTH, birth.ChangeCode);
        Assert.Equal(new DateOnly(2026, 11, 20), birth.ChangeDate);
        Assert.Equal(new DateOnly(2026, 11, 22), birth.NotifiedDate);
        Assert.Equal("1234567892", birth.Person.ResidentId);
        Assert.Equal("5000000018", birth.Person.HouseholdId);
        Assert.Equal("ヤマダ", birth.Person.FamilyNameKana);
        Assert.Equal("ハナコ", birth.Person.GivenNameKana);
        Assert.Equal(new DateOnly(2026, 11, 20), birth.Person.BirthDate.Exact);
        Assert.Equal(Sex.Female, birth.Person.Sex);
        Assert.Equal("子", birth.Person.Relationship);
        Assert.Equal("810-0001", birth.Person.PostalCode);
        Assert.Null(birth.Person.Nationality);
        var death = Assert.IsType<ResidentChangeRow>(rows[1]);
        Assert.Equal(3, death.Line);
        Assert.Null(death.NotifiedDate);
        Assert.Null(death.Person.FamilyNameKana);
        Assert.Equal(new DateOnly(1935, 1, 2), death.Person.BirthDate.Exact);
    }

    [Fact]
    public void Resident_changes_bad_rows_are_put_aside_with_line_column_and_reason_and_good_rows_still_count()
    {
        var (rows, report) = Read(
            ChangesHeader +
            "C1,R1,H1,BIRTH,2026-11-20,,山田,花子,,,2026-11-20,2,子,,,\n" +
            "C2,R2,H1,ADOPTION,2026-11-20,,山田,花子,,,2026-11-20,2,子,,,\n" +
            "C3,R3,H1,DEATH,平成32年1月1日,,山田,花子,,,1950-01-01,2,妻,,,\n" +
            "C4,R4,H1,DEATH,2026-11-20,,山田,花子,,,1950-01-01,3,妻,,,\n" +
            "C5,R5,H1,DEATH,2026-11-20,,山田,花子,,,1950-01-01,2,妻\n" +
            "C6,R6,H1,MOVE_IN,2026-11-20,,,花子,,,1950-01-01,2,妻,,,\n" +
            "C7,R7,H1,MOVE_IN,2026-11-20,,山田,花子,,,1950-01-01,2,妻,,,Japan\n" +
            "C8,R8,H1,MOVE_IN,2026-11-20,,山田,花子,,,1950-01-01,2,妻,,,vn\n",
            Dataset.ResidentChanges);

        Assert.Equal(8, report.RowsRead);
        Assert.Equal(2, report.Accepted);
        Assert.Equal(["C1", "C8"], rows.Cast<ResidentChangeRow>().Select(r => r.RecordId));
        Assert.Equal("VN", ((ResidentChangeRow)rows[1]).Person.Nationality);
        Assert.Equal(
        [
            new RowIssue(3, "change_code", "unknown change_code 'ADOPTION' (map the tenant's 異動事由 codes in its drop options)"),
            new RowIssue(4, "change_date", "change_date: 平成32年 is outside the 平成 era (1989-01-08 to 2019-04-30)"),
            new RowIssue(5, "sex", "unknown sex '3' (expected 1, 2 or 9, or map the tenant's code)"),
            new RowIssue(6, null, "the row has 13 fields; the header has 16"),
            new RowIssue(7, "family_name", "column 'family_name' is empty"),
            new RowIssue(8, "nationality", "nationality 'Japan' is not an ISO 3166-1 alpha-2 code (or map the tenant's code)"),
        ], report.Rejected);
    }

    [Fact]
    public void Residents_snapshot_keeps_vague_and_impossible_birth_dates_with_warnings()
    {
        var (rows, report) = Read(
            ResidentsHeader +
            "R1,H1,佐藤,一,,,平成11年2月29日,1,世帯主,,,\n" +
            "R2,H1,佐藤,二,,,昭和20年頃,2,妻,,,\n" +
            "R3,H1,佐藤,三,,,年月日不詳,9,子,,,\n" +
            "R4,H1,佐藤,四,,,昭和20年3月下旬,1,子,,,\n" +
            "R5,H1,佐藤,五,,,令和9年13月1日,1,子,,,\n",
            Dataset.Residents);

        Assert.Equal(4, report.Accepted);
        var people = rows.Cast<ResidentRow>().Select(r => r.Person).ToList();
        Assert.Equal([DatePrecision.Unknown, DatePrecision.Approximate, DatePrecision.Unknown, DatePrecision.Approximate], people.Select(p => p.BirthDate.Precision));
        Assert.Equal(new DateOnly(1945, 3, 21), people[3].BirthDate.Approximate);
        Assert.Equal([2L, 3L, 4L, 5L], report.Warnings.Select(w => w.Line));
        Assert.All(report.Warnings, w => Assert.Equal("birth_date", w.Column));
        Assert.Equal("birth_date 2月29日 does not exist in 1999; kept as unknown, nothing date-dependent is derived from it", report.Warnings[0].Message);
        Assert.Equal(new RowIssue(6, "birth_date", "birth_date: month 13 does not exist"), Assert.Single(report.Rejected));
    }

    [Fact]
    public void Tax_rows_read_fiscal_years_amounts_and_flags()
    {
        var (rows, report) = Read(
            "resident_id,fiscal_year,taxable_income,non_taxable\n" +
            "R1,令和8年度,\"3,200,000\",0\n" +
            "R2,2026,0,1\n" +
            "R3,2026,abc,0\n" +
            "R4,平成32年度,0,1\n" +
            "R5,2026,100,2\n",
            Dataset.Tax);

        Assert.Equal([new TaxRecord("R1", 2026, 3_200_000, false), new TaxRecord("R2", 2026, 0, true)], rows.Cast<TaxRow>().Select(r => r.Record));
        Assert.Equal(
        [
            new RowIssue(4, "taxable_income", "taxable_income is not a whole number of yen"),
            new RowIssue(5, "fiscal_year", "fiscal_year: 平成32年度 is outside the 平成 era"),
            new RowIssue(6, "non_taxable", "non_taxable must be 1 or 0, not '2'"),
        ], report.Rejected);
    }

    [Fact]
    public void Pregnancy_rows_need_exact_dates()
    {
        var (rows, report) = Read(
            "record_id,resident_id,notified_date,expected_delivery_date\n" +
            "P1,R1,R8.11.22,2027-05-30\n" +
            "P2,R2,2026-11-22,令和9年5月頃\n",
            Dataset.Pregnancy);

        Assert.Equal(new PregnancyRecord("P1", "R1", new DateOnly(2026, 11, 22), new DateOnly(2027, 5, 30)), Assert.IsType<PregnancyRow>(Assert.Single(rows)).Record);
        Assert.Equal(new RowIssue(3, "expected_delivery_date", "expected_delivery_date: an exact date is required; the value is vague (month only)"), Assert.Single(report.Rejected));
    }

    [Fact]
    public void Disaster_rows_read_damage_levels_in_japanese_and_mapped_codes()
    {
        var options = new DropOptions { Codes = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["damage_level"] = new Dictionary<string, string> { ["1"] = "全壊", ["6"] = "一部損壊" } } };
        var (rows, report) = Read(
            "record_id,household_id,disaster_name,damage_level,certified_date\n" +
            "D1,H1,令和8年台風第10号,大規模半壊,2026-09-01\n" +
            "D2,H2,令和8年台風第10号,1,2026-09-01\n" +
            "D3,H3,令和8年台風第10号,6,2026-09-01\n" +
            "D4,H4,令和8年台風第10号,ひどい,2026-09-01\n",
            Dataset.Disaster,
            options);

        Assert.Equal([DamageLevel.LargeScaleHalf, DamageLevel.Total, DamageLevel.Partial], rows.Cast<DisasterRow>().Select(r => r.Record.DamageLevel));
        Assert.Equal("令和8年台風第10号", ((DisasterRow)rows[0]).Record.DisasterName);
        Assert.Equal(new RowIssue(5, "damage_level", "unknown damage_level 'ひどい' (expected 全壊, 大規模半壊, 中規模半壊, 半壊, 準半壊 or 一部損壊, or map the tenant's code)"), Assert.Single(report.Rejected));
    }

    [Fact]
    public void Contact_rows_normalise_phones_check_emails_and_language_tags()
    {
        var (rows, report) = Read(
            "resident_id,channel,address,language,consent,consented_at\n" +
            "R1,sms,090-1234-5678,ja,1,2026-11-01T10:00:00+09:00\n" +
            "R2,email,taro@example.jp,zh-hans,1,2026-11-01\n" +
            "R3,post,福岡市中央区天神1-1-1,ja-x-easy,0,2026-11-01 10:00:00\n" +
            "R4,sms,03-1234-5678,ja,1,2026-11-01\n" +
            "R5,email,taro@,ja,1,2026-11-01\n" +
            "R6,email,taro@example.jp,japanese,1,2026-11-01\n" +
            "R7,fax,0312345678,ja,1,2026-11-01\n" +
            "R8,sms,09012345678,,1,yesterday\n",
            Dataset.Contacts);

        var records = rows.Cast<ContactRow>().Select(r => r.Record).ToList();
        var jst = TimeSpan.FromHours(9);
        Assert.Equal(new ContactRecord("R1", Channel.Sms, "+819012345678", "ja", true, new DateTimeOffset(2026, 11, 1, 10, 0, 0, jst), "drop"), records[0]);
        Assert.Equal(new ContactRecord("R2", Channel.Email, "taro@example.jp", "zh-Hans", true, new DateTimeOffset(2026, 11, 1, 0, 0, 0, jst), "drop"), records[1]);
        Assert.Equal(new ContactRecord("R3", Channel.Post, "福岡市中央区天神1-1-1", "ja-x-easy", false, new DateTimeOffset(2026, 11, 1, 10, 0, 0, jst), "drop"), records[2]);
        Assert.Equal(3, records.Count);
        Assert.Equal(
        [
            new RowIssue(5, "address", "address: not a mobile number (SMS needs one)"),
            new RowIssue(6, "address", "address is not an e-mail address"),
            new RowIssue(7, "language", "language 'japanese' is not a BCP 47 tag (e.g. ja, ja-x-easy, en, zh-Hans)"),
            new RowIssue(8, "channel", "unknown channel 'fax' (expected sms, email or post, or map the tenant's code)"),
            new RowIssue(9, "consented_at", "consented_at: not a date (expected e.g. 2026-11-22 or 令和8年11月22日)"),
        ], report.Rejected);
        Assert.DoesNotContain(report.Rejected, r => r.Message.Contains("1234", StringComparison.Ordinal));
    }

    [Fact]
    public void Tenant_header_and_code_maps_turn_a_vendor_export_into_canonical_rows()
    {
        var options = DropOptions.FromJson("""
            {
              "headers": { "レコード番号": "record_id", "宛名番号": "resident_id", "世帯番号": "household_id", "異動事由": "change_code",
                           "異動日": "change_date", "氏": "family_name", "名": "given_name", "生年月日": "birth_date", "性別": "sex", "続柄": "relationship" },
              "codes": { "change_code": { "01": "BIRTH", "21": "MOVE_OUT" }, "sex": { "M": "1", "F": "2" } }
            }
            """);
        var (rows, report) = Read(
            "レコード番号,宛名番号,世帯番号,異動事由,異動日,氏,名,生年月日,性別,続柄,備考\n" +
            "1,R1,H1,01,R8.11.20,山田,花子,R8.11.20,F,子,メモ\n" +
            "2,R2,H1,21,R8.11.20,山田,一郎,S50.1.1,M,世帯主,\n" +
            "3,R3,H1,99,R8.11.20,山田,次郎,S50.1.1,M,子,\n",
            Dataset.ResidentChanges,
            options);

        var changes = rows.Cast<ResidentChangeRow>().ToList();
        Assert.Equal([ChangeCode.BIRTH, ChangeCode.MOVE_OUT], changes.Select(c => c.ChangeCode));
        Assert.Equal([Sex.Female, Sex.Male], changes.Select(c => c.Person.Sex));
        Assert.Equal(new RowIssue(4, "change_code", "unknown change_code '99' (map the tenant's 異動事由 codes in its drop options)"), Assert.Single(report.Rejected));
    }

    [Fact]
    public void The_japanese_change_reason_names_are_understood_without_a_map()
    {
        var (rows, _) = Read(ChangesHeader + "C1,R1,H1,転居,2026-11-20,,山田,花子,,,2000-01-01,2,妻,,,\n", Dataset.ResidentChanges);
        Assert.Equal(ChangeCode.RELOCATION, Assert.IsType<ResidentChangeRow>(Assert.Single(rows)).ChangeCode);
    }

    [Fact]
    public void Check_digits_are_enforced_only_when_the_tenant_turns_them_on()
    {
        var csv = "resident_id,fiscal_year,taxable_income,non_taxable\n1234567892,2026,0,1\n1234567893,2026,0,1\n";
        var (_, off) = Read(csv, Dataset.Tax);
        var (rows, on) = Read(csv, Dataset.Tax, new DropOptions { CheckDigit = true });

        Assert.Equal(2, off.Accepted);
        Assert.Equal("1234567892", ((TaxRow)Assert.Single(rows)).Record.ResidentId);
        Assert.Equal(new RowIssue(3, "resident_id", "resident_id fails its check digit (modulus 11)"), Assert.Single(on.Rejected));
    }

    private const string KanjiDrop =
        "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\r\n" +
        "R1,H1,髙橋,美穂,タカハシ,ミホ,昭和45年3月2日,2,世帯主,8100001,福岡市中央区天神一丁目,\r\n" +
        "R2,H1,髙橋,翔,ﾀｶﾊｼ,ｼｮｳ,平成20年12月1日,1,子,8100001,福岡市中央区天神一丁目,\r\n";

    [Theory]
    [InlineData("utf-8", false, "utf-8")]
    [InlineData("utf-8", true, "utf-8-bom")]
    [InlineData("cp932", false, "cp932")]
    public void Utf8_with_or_without_bom_and_cp932_are_detected_and_read_the_same(string encoding, bool bom, string detected)
    {
        var enc = encoding == "cp932" ? Cp932() : Utf8NoBom;
        var (rows, report) = Read(KanjiDrop, Dataset.Residents, encoding: enc, bom: bom);

        Assert.Equal(detected, report.Encoding);
        Assert.Null(report.RejectedWhole);
        var people = rows.Cast<ResidentRow>().Select(r => r.Person).ToList();
        Assert.Equal(["髙橋", "髙橋"], people.Select(p => p.FamilyName));
        Assert.Equal(["タカハシ", "タカハシ"], people.Select(p => p.FamilyNameKana));
        Assert.Equal("福岡市中央区天神一丁目", people[1].Address);
        Assert.Equal(new DateOnly(1970, 3, 2), people[0].BirthDate.Exact);
    }

    [Fact]
    public void A_pinned_encoding_wins_over_detection()
    {
        var bytes = Cp932().GetBytes(KanjiDrop);
        var (_, detected) = Read(bytes, Dataset.Residents);
        var (rows, pinned) = Read(bytes, Dataset.Residents, new DropOptions { Encoding = "utf-8" });

        Assert.Equal("cp932", detected.Encoding);
        Assert.Equal(2, detected.Accepted);
        Assert.Equal("utf-8 (pinned)", pinned.Encoding);
        Assert.Empty(rows);
        Assert.Equal(new RowIssue(2, "family_name", "column 'family_name' is not valid utf-8 (pinned) text (wrong encoding?)"), pinned.Rejected[0]);
    }

    [Fact]
    public void Cp932_detection_still_works_when_the_first_non_ascii_byte_is_far_into_the_file()
    {
        var sb = new StringBuilder("resident_id,fiscal_year,taxable_income,non_taxable,memo\n");
        for (var i = 0; i < 5000; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"R{i},2026,1000,0,ascii only\n");
        }

        sb.Append("R9,2026,1000,0,課税\n");
        var (_, report) = Read(sb.ToString(), Dataset.Tax, encoding: Cp932());
        Assert.Equal("cp932", report.Encoding);
        Assert.Equal(5001, report.Accepted);
    }

    [Theory]
    [InlineData("cp932", "cp932")]
    [InlineData("utf-8", "utf-8")]
    public void The_encoding_is_decided_at_the_first_non_ascii_byte_when_the_detection_prefix_is_all_ascii(string encoding, string detected)
    {
        var sb = new StringBuilder("resident_id,channel,address,language,consent,consented_at\n");
        var asciiRows = 0;
        while (sb.Length < 400_000)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"R{asciiRows++},email,r{asciiRows}@example.jp,ja,1,2026-11-01\n");
        }

        sb.Append("R-post,post,福岡市中央区天神一丁目ｶﾞｰﾃﾞﾝ101,ja,1,2026-11-01\n");
        sb.Append("R-last,email,last@example.jp,ja,1,2026-11-01\n");
        var (rows, report) = Read(sb.ToString(), Dataset.Contacts, encoding: encoding == "cp932" ? Cp932() : Utf8NoBom);

        Assert.Equal(detected, report.Encoding);
        Assert.Equal(0, report.RejectedCount);
        Assert.Equal(asciiRows + 2, rows.Count);
        Assert.Equal("福岡市中央区天神一丁目ガーデン101", ((ContactRow)rows[^2]).Record.Address);
    }

    [Fact]
    public void A_large_drop_that_is_ascii_throughout_reports_ascii()
    {
        var csv = "resident_id,fiscal_year,taxable_income,non_taxable\n" + string.Concat(Enumerable.Repeat("R1,2026,1000,0\n", 30_000));
        var (rows, report) = Read(csv, Dataset.Tax);
        Assert.Equal("ascii", report.Encoding);
        Assert.Equal(30_000, rows.Count);
    }

    [Fact]
    public void Line_numbers_are_physical_lines_where_a_row_starts_across_quoted_newlines_crlf_and_blank_lines()
    {
        var (rows, report) = Read(
            "resident_id,channel,address,language,consent,consented_at\r\n" +
            "R1,post,\"福岡市中央区\r\n天神1-1-1\r\nハイツ101\",ja,1,2026-11-01\r\n" +
            "\r\n" +
            "R2,sms,090-1234-5678,ja,1,2026-11-01\r\n" +
            "R3,sms,bad,ja,1,2026-11-01\n" +
            "R4,post,\"a\nb\",ja,1,2026-11-01\n" +
            "R5,sms,000,ja,1,2026-11-01",
            Dataset.Contacts);

        Assert.Equal([2L, 6L, 8L], rows.Select(r => r.Line));
        Assert.Equal("福岡市中央区\r\n天神1-1-1\r\nハイツ101", ((ContactRow)rows[0]).Record.Address);
        Assert.Equal([7L, 10L], report.Rejected.Select(r => r.Line));
        Assert.Equal(5, report.RowsRead);
    }

    [Fact]
    public void Formula_looking_names_are_kept_as_data_and_noted()
    {
        var (rows, report) = Read(ResidentsHeader + "R1,H1,\"=HYPERLINK(\"\"http://x\"\")\",@SUM(A1),,,2000-01-01,1,世帯主,,,\n", Dataset.Residents);

        var person = Assert.IsType<ResidentRow>(Assert.Single(rows)).Person;
        Assert.Equal("=HYPERLINK(\"http://x\")", person.FamilyName);
        Assert.Equal("@SUM(A1)", person.GivenName);
        Assert.Equal(
        [
            new RowIssue(2, "family_name", "column 'family_name' starts with '=' (spreadsheet formula syntax); kept as text, never evaluated"),
            new RowIssue(2, "given_name", "column 'given_name' starts with '@' (spreadsheet formula syntax); kept as text, never evaluated"),
        ], report.Warnings);
        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\")\"", CsvEscaping.Text(person.FamilyName));
        Assert.Equal("+819012345678", CsvEscaping.Value("+819012345678"));
    }

    [Fact]
    public void The_report_has_the_sha256_of_the_bytes_and_round_trips_as_camel_case_json()
    {
        var bytes = Encoding.UTF8.GetBytes("resident_id,fiscal_year,taxable_income,non_taxable\nR1,2026,0,1\nR2,2026,x,1\n");
        var (_, report) = Read(bytes, Dataset.Tax);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), report.ContentHash);
        Assert.Equal(bytes.Length, report.Bytes);
        var json = report.ToJson();
        Assert.Contains("\"dataset\": \"tax\"", json, StringComparison.Ordinal);
        Assert.Contains("\"rejectedCount\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"contentHash\": \"" + report.ContentHash + "\"", json, StringComparison.Ordinal);
        var back = DropReport.FromJson(json);
        Assert.Equal(report.Rejected, back.Rejected);
        Assert.Equal(Dataset.Tax, back.Dataset);
    }

    [Fact]
    public void The_content_hash_covers_the_whole_drop_even_when_it_is_rejected_early()
    {
        var bytes = Encoding.UTF8.GetBytes("resident_id,fiscal_year\n" + string.Concat(Enumerable.Repeat("R1,2026\n", 100_000)));
        var (_, report) = Read(bytes, Dataset.Tax);

        Assert.Equal("missing required columns 'taxable_income', 'non_taxable'", report.RejectedWhole);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), report.ContentHash);
    }

    [Fact]
    public void Listed_rejections_are_capped_while_counts_stay_exact()
    {
        var sb = new StringBuilder("resident_id,fiscal_year,taxable_income,non_taxable\n");
        for (var i = 0; i < 1500; i++)
        {
            sb.Append("R,2026,x,1\n");
        }

        var (_, report) = Read(sb.ToString(), Dataset.Tax);
        Assert.Equal(1500, report.RejectedCount);
        Assert.Equal(DropReport.MaxListed, report.Rejected.Count);
        Assert.True(report.Truncated);
    }

    [Fact]
    public void Reading_can_be_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var report = new DropReport();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("resident_id,fiscal_year,taxable_income,non_taxable\nR1,2026,0,1\n"));
        Assert.Throws<OperationCanceledException>(() => DropReader.Read(stream, Dataset.Tax, DropOptions.Default, report, cts.Token).ToList());
        Assert.Null(report.ContentHash);
    }

    [Fact]
    public void A_consumer_that_stops_early_still_gets_the_hash_of_the_whole_drop()
    {
        var bytes = Encoding.UTF8.GetBytes("resident_id,fiscal_year,taxable_income,non_taxable\n" + string.Concat(Enumerable.Repeat("R1,2026,0,1\n", 50_000)));
        var report = new DropReport();
        using var stream = new MemoryStream(bytes);
        Assert.Single(DropReader.Read(stream, Dataset.Tax, DropOptions.Default, report).Take(1));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), report.ContentHash);
        Assert.Equal(bytes.Length, report.Bytes);
    }

    [Fact]
    public void Drop_options_deserialise_from_camel_case_json()
    {
        var options = DropOptions.FromJson("""{ "encoding": "shift_jis", "headers": { "宛名番号": "resident_id" }, "codes": { "sex": { "男": "1" } }, "checkDigit": true, "maxFieldLength": 100 }""");
        Assert.Equal("shift_jis", options.Encoding);
        Assert.Equal("resident_id", options.Headers["宛名番号"]);
        Assert.Equal("1", options.Codes["sex"]["男"]);
        Assert.True(options.CheckDigit);
        Assert.Equal(100, options.MaxFieldLength);
        Assert.Equal(4096, DropOptions.FromJson("{}").MaxFieldLength);
    }
}
