using System.Reflection;
using PushGov.Domain.Drops;

namespace PushGov.Domain.Tests.Drops;

/// <summary>
/// Malformed drops (Drops/Corpus, written byte-exact by make_corpus.py): each is read without throwing and gives its
/// own clear reason, either for the whole drop, for a row (line, column), or as a warning on a kept row.
/// </summary>
public class DropCorpusTests
{
    public enum Finding
    {
        Whole,
        Row,
        Warning,
    }

    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Drops", "Corpus");

    [Theory]
    [InlineData("01-empty.csv", "resident-changes", Finding.Whole, 0, null, "the drop is empty (0 bytes)")]
    [InlineData("02-bom-only.csv", "resident-changes", Finding.Whole, 0, null, "the drop is empty (only a byte order mark)")]
    [InlineData("03-header-only.csv", "resident-changes", Finding.Whole, 0, null, "the drop has a header row but no data rows")]
    [InlineData("04-header-and-blank-lines.csv", "resident-changes", Finding.Whole, 0, null, "the drop has a header row but no data rows")]
    [InlineData("05-blank-first-line.csv", "resident-changes", Finding.Whole, 0, null, "the drop has no header row (the first line is blank)")]
    [InlineData("06-missing-change-code.csv", "resident-changes", Finding.Whole, 0, null, "missing required column 'change_code'")]
    [InlineData("07-missing-tax-columns.csv", "tax", Finding.Whole, 0, null, "missing required columns 'taxable_income', 'non_taxable'")]
    [InlineData("08-duplicated-header.csv", "tax", Finding.Whole, 0, null, "column 'resident_id' appears twice in the header (columns 1 and 3)")]
    [InlineData("09-semicolon-separated.csv", "tax", Finding.Whole, 0, null, "the header has a single column: the drop is not comma-separated (semicolons or tabs found)")]
    [InlineData("10-tab-separated.csv", "tax", Finding.Whole, 0, null, "the header has a single column: the drop is not comma-separated (semicolons or tabs found)")]
    [InlineData("11-utf16-with-bom.csv", "tax", Finding.Whole, 0, null, "the drop is UTF-16, which is not accepted; export it as UTF-8 or Shift_JIS (CP932)")]
    [InlineData("12-utf16-without-bom.csv", "tax", Finding.Whole, 0, null, "the drop is not text (many NUL bytes: UTF-16 without a byte order mark, or a binary file); export it as UTF-8 or Shift_JIS (CP932)")]
    [InlineData("13-xlsx-renamed-to-csv.csv", "tax", Finding.Whole, 0, null, "the drop is not text (many NUL bytes: UTF-16 without a byte order mark, or a binary file); export it as UTF-8 or Shift_JIS (CP932)")]
    [InlineData("14-header-not-valid-text.csv", "tax", Finding.Whole, 0, null, "the header is not valid cp932 text; re-export the drop as UTF-8 or Shift_JIS (CP932), or pin its encoding")]
    [InlineData("15-latin1-names.csv", "residents", Finding.Row, 2, "family_name", "column 'family_name' is not valid cp932 text (wrong encoding?)")]
    [InlineData("16-utf8-bom-with-a-cp932-row.csv", "residents", Finding.Row, 3, "family_name", "column 'family_name' is not valid utf-8-bom text (wrong encoding?)")]
    [InlineData("17-broken-quoting.csv", "residents", Finding.Whole, 0, null, "broken quoting in the row at line 3: A delimiter, newline or EOF was expected after a closing quote.")]
    [InlineData("18-unclosed-quote.csv", "residents", Finding.Whole, 0, null, "broken quoting in the row at line 3: A quoted field at the end of the input ends without a closing quote.")]
    [InlineData("19-broken-quoting-in-header.csv", "residents", Finding.Whole, 0, null, "broken quoting in the header or the first row: A delimiter, newline or EOF was expected after a closing quote.")]
    [InlineData("20-too-few-fields.csv", "tax", Finding.Row, 2, null, "the row has 3 fields; the header has 4")]
    [InlineData("21-too-many-fields.csv", "tax", Finding.Row, 2, null, "the row has 5 fields; the header has 4")]
    [InlineData("22-heisei-32.csv", "resident-changes", Finding.Row, 2, "change_date", "change_date: 平成32年 is outside the 平成 era (1989-01-08 to 2019-04-30)")]
    [InlineData("23-showa-64-january-8.csv", "resident-changes", Finding.Row, 2, "change_date", "change_date: 昭和64年 is outside the 昭和 era (1926-12-25 to 1989-01-07)")]
    [InlineData("24-reiwa-before-it-began.csv", "resident-changes", Finding.Row, 2, "change_date", "change_date: 令和元年 is outside the 令和 era (2019-05-01 to today)")]
    [InlineData("25-change-date-not-a-calendar-day.csv", "resident-changes", Finding.Row, 2, "change_date", "change_date: 2月29日 does not exist in 2025")]
    [InlineData("26-birth-date-month-13.csv", "residents", Finding.Row, 2, "birth_date", "birth_date: month 13 does not exist")]
    [InlineData("27-vague-change-date.csv", "resident-changes", Finding.Row, 2, "change_date", "change_date: an exact date is required; the value is vague (month only)")]
    [InlineData("28-huge-field.csv", "residents", Finding.Row, 2, "family_name", "column 'family_name' is longer than 4096 characters")]
    [InlineData("29-huge-record.csv", "residents", Finding.Whole, 0, null, "the row at line 3 is longer than 1048576 characters (a huge field or an unclosed quote)")]
    [InlineData("30-formula-injection-in-names.csv", "residents", Finding.Warning, 2, "family_name", "column 'family_name' starts with '=' (spreadsheet formula syntax); kept as text, never evaluated")]
    [InlineData("31-nul-byte-in-name.csv", "residents", Finding.Row, 2, "family_name", "column 'family_name' contains a NUL character")]
    [InlineData("32-unknown-change-code.csv", "resident-changes", Finding.Row, 2, "change_code", "unknown change_code '99' (map the tenant's 異動事由 codes in its drop options)")]
    [InlineData("33-unknown-sex.csv", "resident-changes", Finding.Row, 2, "sex", "unknown sex 'M' (expected 1, 2 or 9, or map the tenant's code)")]
    [InlineData("34-bad-fiscal-year.csv", "tax", Finding.Row, 2, "fiscal_year", "fiscal_year: not a fiscal year (expected e.g. 2026 or 令和8年度)")]
    [InlineData("35-bad-income.csv", "tax", Finding.Row, 2, "taxable_income", "taxable_income is not a whole number of yen")]
    [InlineData("36-unknown-damage-level.csv", "disaster", Finding.Row, 2, "damage_level", "unknown damage_level '大破' (expected 全壊, 大規模半壊, 中規模半壊, 半壊, 準半壊 or 一部損壊, or map the tenant's code)")]
    [InlineData("37-landline-for-sms.csv", "contacts", Finding.Row, 2, "address", "address: not a mobile number (SMS needs one)")]
    [InlineData("38-bad-email.csv", "contacts", Finding.Row, 2, "address", "address is not an e-mail address")]
    [InlineData("39-bad-consent.csv", "contacts", Finding.Row, 2, "consent", "consent must be 1 or 0, not 'yes'")]
    [InlineData("40-bad-language-tag.csv", "contacts", Finding.Row, 2, "language", "language 'Japanese_JP' is not a BCP 47 tag (e.g. ja, ja-x-easy, en, zh-Hans)")]
    [InlineData("41-empty-resident-id.csv", "residents", Finding.Row, 2, "resident_id", "column 'resident_id' is empty")]
    [InlineData("42-id-with-space.csv", "residents", Finding.Row, 2, "resident_id", "resident_id is not an identifier (longer than 64 characters or contains spaces)")]
    [InlineData("43-pregnancy-vague-delivery-date.csv", "pregnancy", Finding.Row, 2, "expected_delivery_date", "expected_delivery_date: an exact date is required; the value is vague (上旬)")]
    [InlineData("44-bad-nationality.csv", "resident-changes", Finding.Row, 2, "nationality", "nationality 'Vietnam' is not an ISO 3166-1 alpha-2 code (or map the tenant's code)")]
    [InlineData("45-missing-relationship-value.csv", "residents", Finding.Row, 2, "relationship", "column 'relationship' is empty")]
    [InlineData("46-html-error-page.csv", "resident-changes", Finding.Whole, 0, null, "missing required columns 'record_id', 'resident_id', 'household_id', 'change_code', 'change_date', 'family_name', 'given_name', 'birth_date', 'relationship'")]
    public void Each_malformed_drop_gives_its_clear_reason_and_never_throws(string file, string dataset, Finding finding, long line, string? column, string reason)
    {
        Assert.True(Datasets.TryParse(dataset, out var ds));
        var report = new DropReport();
        using var stream = File.OpenRead(Path.Combine(CorpusDirectory, file));
        var rows = DropReader.Read(stream, ds, DropOptions.Default, report).ToList();

        Assert.NotNull(report.ContentHash);
        Assert.Equal(new FileInfo(Path.Combine(CorpusDirectory, file)).Length, report.Bytes);
        switch (finding)
        {
            case Finding.Whole:
                Assert.Equal(reason, report.RejectedWhole);
                break;
            case Finding.Row:
                Assert.Null(report.RejectedWhole);
                Assert.Equal(new RowIssue(line, column, reason), report.Rejected[0]);
                Assert.Equal(report.RowsRead, report.Accepted + report.RejectedCount);
                Assert.Equal(report.Accepted, rows.Count);
                break;
            case Finding.Warning:
                Assert.Null(report.RejectedWhole);
                Assert.Equal(0, report.RejectedCount);
                Assert.Equal(new RowIssue(line, column, reason), report.Warnings[0]);
                break;
        }
    }

    [Fact]
    public void Formula_injection_names_are_kept_verbatim_with_a_warning_for_each()
    {
        var report = new DropReport();
        using var stream = File.OpenRead(Path.Combine(CorpusDirectory, "30-formula-injection-in-names.csv"));
        var people = DropReader.Read(stream, Dataset.Residents, DropOptions.Default, report).Cast<ResidentRow>().Select(r => r.Person).ToList();

        Assert.Equal(["=HYPERLINK(\"http://evil.example\",\"x\")", "-2+3"], people.Select(p => p.FamilyName));
        Assert.Equal(["+cmd|' /C calc'!A0", "@SUM(A1)"], people.Select(p => p.GivenName));
        Assert.Equal(["=", "+", "-", "@"], report.Warnings.Select(w => w.Message.Split('\'')[3]));
    }

    [Fact]
    public void Every_corpus_file_has_an_expected_reason_and_there_are_at_least_30()
    {
        var covered = typeof(DropCorpusTests).GetMethod(nameof(Each_malformed_drop_gives_its_clear_reason_and_never_throws))!
            .GetCustomAttributes<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0])
            .ToHashSet();
        var files = Directory.GetFiles(CorpusDirectory, "*.csv").Select(Path.GetFileName).ToHashSet();

        Assert.True(files.Count >= 30, $"only {files.Count} corpus files");
        Assert.Equal(files.Order(), covered.Order());
    }
}
