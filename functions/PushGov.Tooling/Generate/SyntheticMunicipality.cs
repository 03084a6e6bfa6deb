using System.Globalization;
using System.Text;
using PushGov.Domain.Drops;

namespace PushGov.Tooling.Generate;

/// <summary>One file written by <see cref="SyntheticMunicipality"/>.</summary>
public sealed record GeneratedFile(Dataset Dataset, string Path, long Rows, string Encoding);

/// <summary>What <see cref="SyntheticMunicipality.Generate(string, int, int, string)"/> wrote.</summary>
public sealed record GenerationResult(string Tenant, DateOnly Day, long Residents, long Households, IReadOnlyList<GeneratedFile> Files);

/// <summary>
/// Writes a realistic synthetic municipality as data drops, laid out like the <c>drops</c> container
/// (<c>{outDir}/{tenant}/{dataset}/{yyyyMMdd}-hhmm.csv</c>):
/// <list type="bullet">
/// <item><c>residents</c>: the registry snapshot at the start of the day, in CP932 with CRLF like most municipal exports;
/// households of Japan's sizes (38 % one person … 5 % five or more), ages roughly along Japan's population pyramid,
/// 宛名番号/世帯番号 with valid modulus-11 check digits, birth dates partly in 和暦 (<c>昭和45年3月2日</c>, <c>S45.3.2</c>) and,
/// rarely for the very old, vague (<c>大正15年頃</c>); about 2.5 % foreign residents.</item>
/// <item><c>resident-changes</c>: the day's 異動 (UTF-8 with BOM) at about 1,480 rows per 10,000 residents a year
/// (births 55, deaths 130, moves in 380 + 25 from abroad, out 380 + 20 abroad, 転居 320, marriages 40 (two rows each),
/// divorces 15, 世帯分離 30, 世帯主変更 15, corrections 20), twice as many in March and April; at least one row.</item>
/// <item><c>tax</c> (CP932): one row per resident aged 18+, fiscal year as <c>2026</c> or <c>令和8年度</c>.</item>
/// <item><c>pregnancy</c>: the day's 妊娠届 at the birth rate; at least one.</item>
/// <item><c>contacts</c>: mobile numbers in the 090/080/070 ranges (E.164 or <c>090-1234-5678</c>), example.jp e-mails,
/// consent mostly 1.</item>
/// </list>
/// Deterministic for a seed (one <see cref="Random"/> seeded with it; no clock, no GUIDs): the same arguments give the
/// same bytes. Streams every file, so millions of residents need little memory.
/// </summary>
public static class SyntheticMunicipality
{
    /// <summary>The day generated when none is given (fixed, so that output does not depend on the clock).</summary>
    public static readonly DateOnly DefaultDay = new(2026, 11, 22);

    public static GenerationResult Generate(string tenant, int population, int seed, string outDir) =>
        Generate(tenant, population, seed, outDir, DefaultDay);

    public static GenerationResult Generate(string tenant, int population, int seed, string outDir, DateOnly day)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(population);
        return new Generator(tenant, population, seed, outDir, day).Run();
    }

    /// <summary>
    /// Writes one large <c>resident-changes</c> drop of <paramref name="rows"/> rows (UTF-8 with BOM, or CP932 as vendors'
    /// Windows exports write it; CRLF), with change codes in the proportions of the daily file and dates in mixed forms
    /// (西暦, 和暦 in kanji, <c>R8.11.3</c>). The rows are realistic one by one but do not refer to a snapshot: every row is
    /// a resident a view has not seen. The file is meant for load and speed runs of reading and detection.
    /// </summary>
    public static GeneratedFile GenerateChangesFile(string path, int rows, int seed, DateOnly day, bool cp932 = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return new Generator("401307", rows, seed, Path.GetDirectoryName(Path.GetFullPath(path))!, day).BulkChanges(path, rows, cp932);
    }

    private sealed class Resident
    {
        public required string Id { get; init; }

        public required string HouseholdId { get; set; }

        public required string Family { get; set; }

        public required string FamilyKana { get; set; }

        public required string Given { get; init; }

        public required string GivenKana { get; init; }

        public required DateOnly Birth { get; init; }

        public required int Age { get; init; }

        public required int Sex { get; init; }

        public required string Relationship { get; set; }

        public required string Postal { get; set; }

        public required string Address { get; set; }

        public string? Nationality { get; init; }

        public string? Language { get; init; }

        /// <summary>Age of the head of the household (for 世帯主変更 candidates).</summary>
        public int HeadAge { get; init; }

        /// <summary>True for the head of a one-person household.</summary>
        public bool LivesAlone { get; init; }
    }

    /// <summary>Reservoir sampling (Algorithm R): a uniform sample of at most <c>capacity</c> items from a stream.</summary>
    private sealed class Reservoir(int capacity, Random random)
    {
        private long _seen;

        public List<Resident> Items { get; } = [];

        public void Offer(Resident item)
        {
            if (capacity == 0)
            {
                return;
            }

            _seen++;
            if (Items.Count < capacity)
            {
                Items.Add(item);
                return;
            }

            var j = random.NextInt64(_seen);
            if (j < capacity)
            {
                Items[(int)j] = item;
            }
        }
    }

    private sealed class Generator
    {
        // Japan's population by 5-year age band (2023, thousands; 0–4 … 100–104).
        private static readonly int[] Pyramid =
            [4200, 4900, 5300, 5500, 6200, 6400, 6500, 7200, 7900, 9300, 9400, 8100, 7500, 7600, 9200, 7200, 5800, 3900, 1900, 500, 90];

        // Household sizes 1..6 (国勢調査 2020, roughly).
        private static readonly double[] HouseholdSizes = [0.38, 0.28, 0.16, 0.13, 0.04, 0.01];

        private static readonly int[] MonthFactorPercent = [82, 82, 200, 180, 82, 82, 82, 82, 82, 82, 82, 82];

        private readonly string _tenant;
        private readonly int _population;
        private readonly string _outDir;
        private readonly DateOnly _day;
        private readonly Random _random;
        private readonly Random _sampler;
        private readonly (string Prefix, string[] Wards, string PostalPrefix) _city;
        private readonly double[] _pyramidCumulative;
        private readonly Encoding _cp932;
        private readonly Encoding _utf8Bom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        private readonly Encoding _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        private readonly string _stamp;
        private readonly int _fiscalYear;
        private long _nextResident = 100_000_000;
        private long _nextHousehold = 500_000_000;
        private long _households;

        public Generator(string tenant, int population, int seed, string outDir, DateOnly day)
        {
            _tenant = tenant;
            _population = population;
            _outDir = outDir;
            _day = day;
            _random = new Random(seed);
            _sampler = new Random(unchecked((seed * 7919) + 17));
            _city = NameData.City(tenant);
            _stamp = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            _fiscalYear = day.Month >= 4 ? day.Year : day.Year - 1;
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            _cp932 = Encoding.GetEncoding(932);
            _pyramidCumulative = new double[Pyramid.Length];
            double total = Pyramid.Sum();
            double running = 0;
            for (var i = 0; i < Pyramid.Length; i++)
            {
                running += Pyramid[i] / total;
                _pyramidCumulative[i] = running;
            }
        }

        public GenerationResult Run()
        {
            var season = MonthFactorPercent[_day.Month - 1] / 100.0;
            double PerDay(double per10kYear) => _population / 10_000.0 * per10kYear / 365.0 * season;

            var births = Poisson(PerDay(55));
            var deaths = Poisson(PerDay(130));
            var movesIn = Poisson(PerDay(380));
            var movesInAbroad = Poisson(PerDay(25));
            var movesOut = Poisson(PerDay(380));
            var movesOutAbroad = Poisson(PerDay(20));
            var relocations = Poisson(PerDay(320));
            var marriages = Poisson(PerDay(20)); // 20 marriages → 40 rows
            var divorces = Poisson(PerDay(15));
            var splits = Poisson(PerDay(30));
            var headChanges = Poisson(PerDay(15));
            var corrections = Poisson(PerDay(20));
            var pregnancies = Math.Max(1, Poisson(PerDay(55)));

            var pool = new
            {
                Deaths = new Reservoir(deaths, _sampler),
                MovesOut = new Reservoir(movesOut + movesOutAbroad, _sampler),
                Relocations = new Reservoir(relocations, _sampler),
                Mothers = new Reservoir(births, _sampler),
                Pregnant = new Reservoir(pregnancies, _sampler),
                SingleMen = new Reservoir(marriages, _sampler),
                SingleWomen = new Reservoir(marriages, _sampler),
                Wives = new Reservoir(divorces, _sampler),
                AdultChildren = new Reservoir(splits, _sampler),
                ElderlyWives = new Reservoir(headChanges, _sampler),
                Anyone = new Reservoir(corrections, _sampler),
            };

            var files = new List<GeneratedFile>();
            long residents = 0;
            long snapshotHouseholds = 0;
            var residentsPath = FilePath(Dataset.Residents, "0000");
            var taxPath = FilePath(Dataset.Tax, "0200");
            var contactsPath = FilePath(Dataset.Contacts, "0400");
            using (var residentsCsv = new CsvRowWriter(residentsPath, _cp932, "\r\n"))
            using (var taxCsv = new CsvRowWriter(taxPath, _cp932, "\r\n"))
            using (var contactsCsv = new CsvRowWriter(contactsPath, _utf8, "\n"))
            {
                residentsCsv.Header(PersonColumns);
                taxCsv.Header(DropColumns.ResidentId, DropColumns.FiscalYear, DropColumns.TaxableIncome, DropColumns.NonTaxable);
                contactsCsv.Header(DropColumns.ResidentId, DropColumns.Channel, DropColumns.Address, DropColumns.Language, DropColumns.Consent, DropColumns.ConsentedAt);
                var household = new List<Resident>(8);
                while (residents < _population)
                {
                    var size = Math.Min(SampleHouseholdSize(), (int)(_population - residents));
                    BuildHousehold(size, household, foreign: _random.NextDouble() < 0.025);
                    foreach (var r in household)
                    {
                        WritePerson(residentsCsv, r, BirthDateText(r));
                        residentsCsv.EndRow();
                        if (r.Age >= 18)
                        {
                            WriteTax(taxCsv, r);
                        }

                        if (r.Age >= 15)
                        {
                            WriteContacts(contactsCsv, r);
                        }

                        if (r.Age >= 75)
                        {
                            pool.Deaths.Offer(r);
                        }

                        if (r.Age is >= 18 and <= 40)
                        {
                            pool.MovesOut.Offer(r);
                        }

                        if (r.Relationship == "世帯主")
                        {
                            pool.Relocations.Offer(r);
                        }

                        if (r.Relationship == "妻" && r.Age is >= 25 and <= 40)
                        {
                            pool.Mothers.Offer(r);
                        }

                        if (r.Sex == 2 && r.Age is >= 20 and <= 44)
                        {
                            pool.Pregnant.Offer(r);
                        }

                        if (r.LivesAlone && r.Age is >= 25 and <= 39 && r.Nationality is null)
                        {
                            (r.Sex == 1 ? pool.SingleMen : pool.SingleWomen).Offer(r);
                        }

                        if (r.Relationship == "妻" && r.Age is >= 28 and <= 50)
                        {
                            pool.Wives.Offer(r);
                        }

                        if (r.Relationship == "子" && r.Age is >= 20 and <= 35)
                        {
                            pool.AdultChildren.Offer(r);
                        }

                        if (r.Relationship == "妻" && r.HeadAge >= 78)
                        {
                            pool.ElderlyWives.Offer(r);
                        }

                        pool.Anyone.Offer(r);
                        residents++;
                    }
                }

                snapshotHouseholds = _households;
                files.Add(new GeneratedFile(Dataset.Residents, residentsPath, residentsCsv.Rows, "cp932"));
                files.Add(new GeneratedFile(Dataset.Tax, taxPath, taxCsv.Rows, "cp932"));
                files.Add(new GeneratedFile(Dataset.Contacts, contactsPath, contactsCsv.Rows, "utf-8"));
            }

            var changesPath = FilePath(Dataset.ResidentChanges, "0100");
            using (var changes = new CsvRowWriter(changesPath, _utf8Bom, "\r\n"))
            {
                WriteChanges(changes, pool.Deaths.Items, pool.MovesOut.Items, movesOut, pool.Relocations.Items, pool.Mothers.Items,
                    pool.SingleMen.Items, pool.SingleWomen.Items, pool.Wives.Items, pool.AdultChildren.Items, pool.ElderlyWives.Items,
                    pool.Anyone.Items, movesIn, movesInAbroad);
                files.Add(new GeneratedFile(Dataset.ResidentChanges, changesPath, changes.Rows, "utf-8-bom"));
            }

            var pregnancyPath = FilePath(Dataset.Pregnancy, "0300");
            using (var pregnancy = new CsvRowWriter(pregnancyPath, _utf8, "\n"))
            {
                pregnancy.Header(DropColumns.RecordId, DropColumns.ResidentId, DropColumns.NotifiedDate, DropColumns.ExpectedDeliveryDate);
                var seq = 0;
                foreach (var woman in pool.Pregnant.Items)
                {
                    var notified = _day.AddDays(-_random.Next(0, 4));
                    var expected = notified.AddDays(_random.Next(190, 251));
                    pregnancy.Value($"P{_stamp}{++seq:D5}").Value(woman.Id);
                    if (_random.NextDouble() < 0.3)
                    {
                        pregnancy.Value(JapaneseDate.FormatWareki(notified));
                    }
                    else
                    {
                        pregnancy.IsoDate(notified);
                    }

                    pregnancy.IsoDate(expected).EndRow();
                }

                files.Add(new GeneratedFile(Dataset.Pregnancy, pregnancyPath, pregnancy.Rows, "utf-8"));
            }

            files.Sort((a, b) => a.Dataset.CompareTo(b.Dataset));
            return new GenerationResult(_tenant, _day, residents, snapshotHouseholds, files);
        }

        public GeneratedFile BulkChanges(string path, int rows, bool cp932)
        {
            (ChangeCode Code, int Weight)[] mix =
            [
                (ChangeCode.BIRTH, 55), (ChangeCode.DEATH, 130), (ChangeCode.MOVE_IN, 380), (ChangeCode.MOVE_IN_ABROAD, 25),
                (ChangeCode.MOVE_OUT, 380), (ChangeCode.MOVE_OUT_ABROAD, 20), (ChangeCode.RELOCATION, 320), (ChangeCode.MARRIAGE, 40),
                (ChangeCode.DIVORCE, 15), (ChangeCode.HOUSEHOLD_SPLIT, 30), (ChangeCode.HEAD_CHANGE, 15), (ChangeCode.CORRECTION, 20),
            ];
            var total = mix.Sum(m => m.Weight);
            using var csv = new CsvRowWriter(path, cp932 ? _cp932 : _utf8Bom, "\r\n");
            WriteChangesHeader(csv);
            var household = new List<Resident>(8);
            var seq = 0L;
            while (seq < rows)
            {
                BuildHousehold(Math.Min(SampleHouseholdSize(), (int)(rows - seq)), household, foreign: _random.NextDouble() < 0.025);
                foreach (var p in household)
                {
                    var x = _random.Next(total);
                    var code = mix[^1].Code;
                    foreach (var (c, weight) in mix)
                    {
                        x -= weight;
                        if (x < 0)
                        {
                            code = c;
                            break;
                        }
                    }

                    WriteChange(csv, ++seq, code, p, _day.AddDays(-_random.Next(0, 14)));
                }
            }

            return new GeneratedFile(Dataset.ResidentChanges, path, csv.Rows, cp932 ? "cp932" : "utf-8-bom");
        }

        private static readonly string[] PersonColumns =
        [
            DropColumns.ResidentId, DropColumns.HouseholdId, DropColumns.FamilyName, DropColumns.GivenName, DropColumns.FamilyNameKana,
            DropColumns.GivenNameKana, DropColumns.BirthDate, DropColumns.Sex, DropColumns.Relationship, DropColumns.PostalCode,
            DropColumns.Address, DropColumns.Nationality,
        ];

        private string FilePath(Dataset dataset, string time) =>
            Path.Combine(_outDir, _tenant, dataset.Name(), $"{_stamp}-{time}.csv");

        private void WriteChanges(
            CsvRowWriter csv,
            List<Resident> deaths,
            List<Resident> movesOut,
            int domesticMovesOut,
            List<Resident> relocations,
            List<Resident> mothers,
            List<Resident> singleMen,
            List<Resident> singleWomen,
            List<Resident> wives,
            List<Resident> adultChildren,
            List<Resident> elderlyWives,
            List<Resident> anyone,
            int movesIn,
            int movesInAbroad)
        {
            WriteChangesHeader(csv);

            var used = new HashSet<string>(StringComparer.Ordinal);
            var seq = 0;
            IEnumerable<Resident> Fresh(List<Resident> candidates) => candidates.Where(c => used.Add(c.Id));

            void Row(ChangeCode code, Resident person, int daysAgoMax, DateOnly? on = null) =>
                WriteChange(csv, ++seq, code, person, on ?? _day.AddDays(-_random.Next(0, daysAgoMax + 1)));

            foreach (var p in Fresh(deaths))
            {
                Row(ChangeCode.DEATH, p, 6);
            }

            var outIndex = 0;
            foreach (var p in Fresh(movesOut))
            {
                Row(outIndex++ < domesticMovesOut ? ChangeCode.MOVE_OUT : ChangeCode.MOVE_OUT_ABROAD, p, 3);
            }

            foreach (var p in Fresh(relocations))
            {
                p.Address = MakeAddress();
                p.Postal = MakePostal();
                Row(ChangeCode.RELOCATION, p, 13);
            }

            foreach (var mother in Fresh(mothers))
            {
                var birth = _day.AddDays(-_random.Next(1, 14));
                var sex = _random.Next(1, 3);
                var (given, kana) = Pick(sex == 1 ? NameData.MaleNames : NameData.FemaleNames);
                var baby = new Resident
                {
                    Id = NextResidentId(),
                    HouseholdId = mother.HouseholdId,
                    Family = mother.Family,
                    FamilyKana = mother.FamilyKana,
                    Given = given,
                    GivenKana = kana,
                    Birth = birth,
                    Age = 0,
                    Sex = sex,
                    Relationship = "子",
                    Postal = mother.Postal,
                    Address = mother.Address,
                };
                Row(ChangeCode.BIRTH, baby, 0, birth);
            }

            var women = Fresh(singleWomen).ToList();
            var w = 0;
            foreach (var man in Fresh(singleMen))
            {
                if (w >= women.Count)
                {
                    break;
                }

                var wife = women[w++];
                wife.HouseholdId = man.HouseholdId;
                wife.Family = man.Family;
                wife.FamilyKana = man.FamilyKana;
                wife.Relationship = "妻";
                wife.Postal = man.Postal;
                wife.Address = man.Address;
                Row(ChangeCode.MARRIAGE, man, 6);
                Row(ChangeCode.MARRIAGE, wife, 6);
            }

            foreach (var p in Fresh(wives))
            {
                p.HouseholdId = NextHouseholdId();
                p.Relationship = "世帯主";
                p.Address = MakeAddress();
                p.Postal = MakePostal();
                Row(ChangeCode.DIVORCE, p, 6);
            }

            foreach (var p in Fresh(adultChildren))
            {
                p.HouseholdId = NextHouseholdId();
                p.Relationship = "世帯主";
                Row(ChangeCode.HOUSEHOLD_SPLIT, p, 6);
            }

            foreach (var p in Fresh(elderlyWives))
            {
                p.Relationship = "世帯主";
                Row(ChangeCode.HEAD_CHANGE, p, 6);
            }

            foreach (var p in Fresh(anyone))
            {
                Row(ChangeCode.CORRECTION, p, 3);
            }

            var household = new List<Resident>(8);
            var arrived = 0;
            while (arrived < movesIn)
            {
                BuildHousehold(Math.Min(Math.Min(SampleHouseholdSize(), 4), movesIn - arrived), household, foreign: _random.NextDouble() < 0.05);
                foreach (var p in household)
                {
                    Row(ChangeCode.MOVE_IN, p, 13);
                    arrived++;
                }
            }

            for (var i = 0; i < movesInAbroad; i++)
            {
                BuildHousehold(1, household, foreign: _random.NextDouble() < 0.7);
                Row(ChangeCode.MOVE_IN_ABROAD, household[0], 13);
            }

            if (seq == 0)
            {
                // A day without any change is legal but makes a header-only drop; keep at least one row.
                var p = anyone.Count > 0 ? anyone[0] : null;
                if (p is null)
                {
                    BuildHousehold(1, household, foreign: false);
                    Row(ChangeCode.MOVE_IN, household[0], 13);
                }
                else
                {
                    Row(ChangeCode.CORRECTION, p, 3);
                }
            }
        }

        private static void WriteChangesHeader(CsvRowWriter csv) =>
            csv.Header(
            [
                DropColumns.RecordId, DropColumns.ResidentId, DropColumns.HouseholdId, DropColumns.ChangeCode, DropColumns.ChangeDate,
                DropColumns.NotifiedDate, .. PersonColumns.Skip(2).Take(5), DropColumns.Sex, DropColumns.Relationship,
                DropColumns.PostalCode, DropColumns.Address, DropColumns.Nationality,
            ]);

        private void WriteChange(CsvRowWriter csv, long seq, ChangeCode code, Resident person, DateOnly changeDate)
        {
            csv.Value(string.Create(CultureInfo.InvariantCulture, $"{_stamp}{seq:D7}")).Value(person.Id).Value(person.HouseholdId).Value(code.ToString());
            if (_random.NextDouble() < 0.2)
            {
                csv.Value(JapaneseDate.FormatWareki(changeDate));
            }
            else
            {
                csv.IsoDate(changeDate);
            }

            csv.IsoDate(_day);
            csv.Text(person.Family).Text(person.Given).Text(person.FamilyKana).Text(person.GivenKana).Value(BirthDateText(person))
                .Number(person.Sex).Text(person.Relationship).Value(person.Postal).Text(person.Address).Value(person.Nationality).EndRow();
        }

        private void WritePerson(CsvRowWriter csv, Resident r, string birthDate)
        {
            csv.Value(r.Id).Value(r.HouseholdId).Text(r.Family).Text(r.Given).Text(r.FamilyKana).Text(r.GivenKana).Value(birthDate)
                .Number(r.Sex).Text(r.Relationship).Value(r.Postal).Text(r.Address).Value(r.Nationality);
        }

        private void WriteTax(CsvRowWriter csv, Resident r)
        {
            long income;
            var u = _random.NextDouble();
            if (r.Age < 23)
            {
                income = u < 0.6 ? 0 : (long)(_random.Next(10, 200) * 10_000);
            }
            else if (r.Age < 65)
            {
                income = u < 0.15 ? 0 : RoundTo1000(Math.Exp(15.0 + (0.6 * Gaussian())));
            }
            else
            {
                income = u < 0.3 ? 0 : RoundTo1000(Math.Exp(14.1 + (0.5 * Gaussian())));
            }

            csv.Value(r.Id);
            if (_random.NextDouble() < 0.2)
            {
                csv.Value(JapaneseDate.FormatWareki(new DateOnly(_fiscalYear, 4, 1)).Split('年')[0] + "年度");
            }
            else
            {
                csv.Number(_fiscalYear);
            }

            csv.Number(income).Number(income <= 450_000 ? 1 : 0).EndRow();
        }

        private void WriteContacts(CsvRowWriter csv, Resident r)
        {
            var u = _random.NextDouble();
            var sms = u < 0.55 || (u >= 0.75 && u < 0.85);
            var email = u is >= 0.55 and < 0.85;
            var post = u is >= 0.85 and < 0.90;
            var language = r.Language ?? (_random.NextDouble() < 0.1 ? null : r.Age >= 85 && _random.NextDouble() < 0.1 ? "ja-x-easy" : "ja");
            if (sms)
            {
                var prefix = _random.Next(3) switch { 0 => "90", 1 => "80", _ => "70" };
                var subscriber = _random.Next(1, 10).ToString(CultureInfo.InvariantCulture) + _random.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture);
                var phone = _random.NextDouble() < 0.6
                    ? $"+81{prefix}{subscriber}"
                    : $"0{prefix}-{subscriber[..4]}-{subscriber[4..]}";
                ContactRow(csv, r, "sms", phone, language);
            }

            if (email)
            {
                var domain = _random.NextDouble() < 0.7 ? "example.jp" : "mail.example.jp";
                ContactRow(csv, r, "email", $"r{r.Id}@{domain}", language);
            }

            if (post)
            {
                ContactRow(csv, r, "post", r.Address, language);
            }
        }

        private void ContactRow(CsvRowWriter csv, Resident r, string channel, string address, string? language)
        {
            var consentedAt = _day.AddDays(-_random.Next(1, 731)).ToDateTime(new TimeOnly(_random.Next(8, 21), _random.Next(0, 60), _random.Next(0, 60)));
            csv.Value(r.Id).Value(channel);
            if (channel == "post")
            {
                csv.Text(address);
            }
            else
            {
                csv.Value(address);
            }

            csv.Value(language).Number(_random.NextDouble() < 0.92 ? 1 : 0)
                .Value(consentedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'+09:00'", CultureInfo.InvariantCulture)).EndRow();
        }

        private void BuildHousehold(int size, List<Resident> members, bool foreign)
        {
            members.Clear();
            _households++;
            var householdId = NextHouseholdId();
            var address = MakeAddress();
            var postal = MakePostal();
            var origin = foreign ? PickForeign() : NameData.Foreign[0];
            string family, familyKana;
            if (foreign)
            {
                family = familyKana = origin.Family[_random.Next(origin.Family.Length)];
            }
            else
            {
                (family, familyKana) = Pick(NameData.FamilyNames);
            }

            Resident Person(int age, int sex, string relationship, int headAge, bool alone = false)
            {
                string given, givenKana;
                if (foreign)
                {
                    given = givenKana = origin.Given[_random.Next(origin.Given.Length)];
                }
                else
                {
                    (given, givenKana) = Pick(sex == 1 ? NameData.MaleNames : NameData.FemaleNames);
                }

                return new Resident
                {
                    Id = NextResidentId(),
                    HouseholdId = householdId,
                    Family = family,
                    FamilyKana = familyKana,
                    Given = given,
                    GivenKana = givenKana,
                    Birth = BirthFor(age),
                    Age = age,
                    Sex = sex,
                    Relationship = relationship,
                    Postal = postal,
                    Address = address,
                    Nationality = foreign ? origin.Nationality : null,
                    Language = foreign ? origin.Language : null,
                    HeadAge = headAge,
                    LivesAlone = alone,
                };
            }

            if (size == 1)
            {
                var age = SampleAge(18, 104);
                members.Add(Person(age, _random.Next(1, 3), "世帯主", age, alone: true));
                return;
            }

            // Heads from the adult pyramid; children are 20–45 years younger than the head, so older heads live with adult
            // children (a common Japanese household) and younger ones with small children.
            var couple = size >= 3 || _random.NextDouble() < 0.7;
            var headAge = couple ? SampleAge(size >= 3 ? 25 : 22, 95) : SampleAge(25, 95);
            var headSex = _random.NextDouble() < 0.85 ? 1 : 2;
            members.Add(Person(headAge, headSex, "世帯主", headAge));
            var children = size - 1;
            if (couple)
            {
                var spouseAge = Math.Clamp(headAge - 2 + (int)Math.Round(3 * Gaussian()), 18, 104);
                members.Add(Person(spouseAge, 3 - headSex, headSex == 1 ? "妻" : "夫", headAge));
                children--;
            }

            if (size >= 4 && _random.NextDouble() < 0.3 && headAge <= 60)
            {
                var parentSex = _random.Next(1, 3);
                members.Add(Person(Math.Min(headAge + _random.Next(25, 36), 104), parentSex, parentSex == 1 ? "父" : "母", headAge));
                children--;
            }

            var youngest = Math.Max(0, headAge - 45);
            var oldest = Math.Max(0, headAge - 20);
            for (var i = 0; i < children; i++)
            {
                members.Add(Person(_random.Next(youngest, oldest + 1), _random.Next(1, 3), "子", headAge));
            }
        }

        private string BirthDateText(Resident r)
        {
            var u = _random.NextDouble();
            if (r.Age >= 90 && u < 0.002)
            {
                var wareki = JapaneseDate.FormatWareki(r.Birth);
                return wareki[..(wareki.IndexOf('年') + 1)] + "頃"; // e.g. 大正15年頃: approximate, as old registers have them
            }

            if (u < 0.7)
            {
                return r.Birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            if (u < 0.9)
            {
                return JapaneseDate.FormatWareki(r.Birth);
            }

            // Letter form: S45.3.2
            var era = JapaneseDate.Eras.Last(e => r.Birth >= e.First);
            return string.Create(CultureInfo.InvariantCulture, $"{era.Letter}{r.Birth.Year - era.First.Year + 1}.{r.Birth.Month}.{r.Birth.Day}");
        }

        private DateOnly BirthFor(int age) => _day.AddYears(-age).AddDays(-_random.Next(0, 365));

        private int SampleAge(int min, int max)
        {
            for (var attempt = 0; attempt < 64; attempt++)
            {
                var u = _random.NextDouble();
                var band = Array.FindIndex(_pyramidCumulative, c => u <= c);
                if (band < 0)
                {
                    band = Pyramid.Length - 1;
                }

                var age = (band * 5) + _random.Next(5);
                if (age >= min && age <= max)
                {
                    return age;
                }
            }

            return _random.Next(min, max + 1);
        }

        private int SampleHouseholdSize()
        {
            var u = _random.NextDouble();
            for (var i = 0; i < HouseholdSizes.Length; i++)
            {
                u -= HouseholdSizes[i];
                if (u < 0)
                {
                    return i + 1;
                }
            }

            return HouseholdSizes.Length;
        }

        private string NextResidentId() => CheckDigit.Append((_nextResident++).ToString(CultureInfo.InvariantCulture));

        private string NextHouseholdId() => CheckDigit.Append((_nextHousehold++).ToString(CultureInfo.InvariantCulture));

        private string MakeAddress()
        {
            var ward = _city.Wards[_random.Next(_city.Wards.Length)];
            var town = NameData.Towns[_random.Next(NameData.Towns.Length)];
            return string.Create(CultureInfo.InvariantCulture, $"{_city.Prefix}{ward}{town}{_random.Next(1, 6)}丁目{_random.Next(1, 30)}番{_random.Next(1, 20)}号");
        }

        private string MakePostal()
        {
            var digits = _city.PostalPrefix + _random.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture)[_city.PostalPrefix.Length..];
            return string.Concat(digits.AsSpan(0, 3), "-", digits.AsSpan(3));
        }

        private (string, string) Pick((string, string)[] names) => names[_random.Next(names.Length)];

        private (string Nationality, int Weight, string[] Family, string[] Given, string Language) PickForeign()
        {
            var total = NameData.Foreign.Sum(f => f.Weight);
            var x = _random.Next(total);
            foreach (var f in NameData.Foreign)
            {
                x -= f.Weight;
                if (x < 0)
                {
                    return f;
                }
            }

            return NameData.Foreign[0];
        }

        private double Gaussian()
        {
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        private int Poisson(double lambda)
        {
            if (lambda <= 0)
            {
                return 0;
            }

            if (lambda > 50)
            {
                return Math.Max(0, (int)Math.Round(lambda + (Math.Sqrt(lambda) * Gaussian())));
            }

            var limit = Math.Exp(-lambda);
            var k = 0;
            var p = 1.0;
            do
            {
                k++;
                p *= _random.NextDouble();
            }
            while (p > limit);
            return k - 1;
        }

        private static long RoundTo1000(double yen) => (long)Math.Round(yen / 1000) * 1000;
    }
}
