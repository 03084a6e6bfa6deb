using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using PushGov.Tooling.Generate;

namespace PushGov.Domain.Tests.Generate;

public sealed class SyntheticMunicipalityTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pushgov-generate-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static (List<DropRow> Rows, DropReport Report) ReadBack(GeneratedFile file, DropOptions? options = null)
    {
        var report = new DropReport();
        using var stream = File.OpenRead(file.Path);
        var rows = DropReader.Read(stream, file.Dataset, options ?? DropOptions.Default, report).ToList();
        return (rows, report);
    }

    [Fact]
    public void Every_generated_file_reads_back_through_the_drop_reader_without_a_rejected_row()
    {
        var result = SyntheticMunicipality.Generate("401307", 2_000, 42, _root);

        Assert.Equal(2_000, result.Residents);
        Assert.Equal(
            [Dataset.ResidentChanges, Dataset.Residents, Dataset.Tax, Dataset.Pregnancy, Dataset.Contacts],
            result.Files.Select(f => f.Dataset));
        foreach (var file in result.Files)
        {
            Assert.Equal(Path.Combine(_root, "401307", file.Dataset.Name(), file.Dataset switch
            {
                Dataset.Residents => "20261122-0000.csv",
                Dataset.ResidentChanges => "20261122-0100.csv",
                Dataset.Tax => "20261122-0200.csv",
                Dataset.Pregnancy => "20261122-0300.csv",
                _ => "20261122-0400.csv",
            }), file.Path);
            var (rows, report) = ReadBack(file, new DropOptions { CheckDigit = true });
            Assert.Null(report.RejectedWhole);
            Assert.Equal(0, report.RejectedCount);
            Assert.True(file.Rows > 0, $"{file.Dataset} is empty");
            Assert.Equal(file.Rows, rows.Count);
            Assert.Equal(file.Encoding, report.Encoding);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_does_not()
    {
        var a = SyntheticMunicipality.Generate("401307", 2_000, 7, Path.Combine(_root, "a"));
        var b = SyntheticMunicipality.Generate("401307", 2_000, 7, Path.Combine(_root, "b"));
        var c = SyntheticMunicipality.Generate("401307", 2_000, 8, Path.Combine(_root, "c"));

        foreach (var (fa, fb) in a.Files.Zip(b.Files))
        {
            Assert.Equal(File.ReadAllBytes(fa.Path), File.ReadAllBytes(fb.Path));
        }

        var residentsA = a.Files.Single(f => f.Dataset == Dataset.Residents).Path;
        var residentsC = c.Files.Single(f => f.Dataset == Dataset.Residents).Path;
        Assert.NotEqual(File.ReadAllBytes(residentsA), File.ReadAllBytes(residentsC));
    }

    [Fact]
    public void The_snapshot_has_realistic_households_ages_ids_and_date_forms()
    {
        var result = SyntheticMunicipality.Generate("141003", 20_000, 3, _root);
        var residentsFile = result.Files.Single(f => f.Dataset == Dataset.Residents);
        var people = ReadBack(residentsFile).Rows.Cast<ResidentRow>().Select(r => r.Person).ToList();
        var raw = File.ReadAllText(residentsFile.Path, System.Text.CodePagesEncodingProvider.Instance.GetEncoding(932)!);

        var households = people.GroupBy(p => p.HouseholdId).ToList();
        Assert.Equal(result.Households, households.Count);
        var meanSize = people.Count / (double)households.Count;
        Assert.InRange(meanSize, 1.9, 2.6); // Japan: 2.2 (2020)
        Assert.All(households, h => Assert.Equal(1, h.Count(p => p.Relationship == Relationships.Head)));
        Assert.All(people, p => Assert.True(CheckDigit.IsValid(p.ResidentId) && CheckDigit.IsValid(p.HouseholdId)));

        var day = SyntheticMunicipality.DefaultDay;
        var ages = people.Where(p => p.BirthDate.Exact is not null).Select(p => day.Year - p.BirthDate.Exact!.Value.Year).ToList();
        var elderly = ages.Count(a => a >= 65) / (double)ages.Count;
        var children = ages.Count(a => a < 15) / (double)ages.Count;
        Assert.InRange(elderly, 0.22, 0.38); // Japan: 29 %
        Assert.InRange(children, 0.07, 0.17); // Japan: 11 %
        Assert.Contains("昭和", raw, StringComparison.Ordinal);
        Assert.Matches(@",S\d{1,2}\.\d{1,2}\.\d{1,2},", raw);
        Assert.Contains("神奈川県横浜市", raw, StringComparison.Ordinal);
        Assert.Contains(people, p => p.Nationality is not null);
    }

    [Fact]
    public void A_march_day_brings_the_seasonal_peak_of_many_kinds_of_change()
    {
        var result = SyntheticMunicipality.Generate("401307", 30_000, 11, _root, new DateOnly(2027, 3, 31));
        var changes = ReadBack(result.Files.Single(f => f.Dataset == Dataset.ResidentChanges)).Rows.Cast<ResidentChangeRow>().ToList();

        // 30,000 × 1,480 / 10,000 / 365 × 2 ≈ 24 rows expected on a March day.
        Assert.InRange(changes.Count, 10, 45);
        Assert.True(changes.Select(c => c.ChangeCode).Distinct().Count() >= 4);
        Assert.All(changes, c => Assert.InRange(c.ChangeDate, new DateOnly(2027, 3, 17), new DateOnly(2027, 3, 31)));
        Assert.Equal(changes.Count, changes.Select(c => c.RecordId).Distinct().Count());
        Assert.All(changes.Where(c => c.ChangeCode == ChangeCode.BIRTH), c => Assert.Equal(c.ChangeDate, c.Person.BirthDate.Exact));
    }

    [Fact]
    public void Contacts_are_mobile_numbers_in_the_090_080_070_ranges_and_example_jp_mails_mostly_with_consent()
    {
        var result = SyntheticMunicipality.Generate("401307", 2_000, 5, _root);
        var contacts = ReadBack(result.Files.Single(f => f.Dataset == Dataset.Contacts)).Rows.Cast<ContactRow>().Select(r => r.Record).ToList();

        Assert.All(contacts.Where(c => c.Channel == Channel.Sms), c => Assert.Matches(@"^\+81[987]0[1-9]\d{7}$", c.Address));
        Assert.All(contacts.Where(c => c.Channel == Channel.Email), c => Assert.EndsWith("example.jp", c.Address, StringComparison.Ordinal));
        Assert.InRange(contacts.Count(c => c.Consent) / (double)contacts.Count, 0.85, 0.98);
    }
}
