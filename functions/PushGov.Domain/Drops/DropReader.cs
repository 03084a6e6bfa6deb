using System.Globalization;
using PushGov.Domain.Residents;
using Sylvan.Data.Csv;
using C = PushGov.Domain.Drops.DropColumns;

namespace PushGov.Domain.Drops;

/// <summary>
/// Reads one data drop (data-drops.md) as typed rows, streaming: the file is never held in memory whole.
/// RFC 4180 CSV (Sylvan.Data.Csv), UTF-8 with or without BOM or CP932 (detected from a prefix, or pinned by the tenant),
/// the tenant's header and code maps, text normalisation (<see cref="TextNormalizer"/>), 和暦 dates (<see cref="JapaneseDate"/>),
/// 外字 in names and addresses through the tenant's table (<see cref="GaijiTable"/>; unmapped ones are kept and listed).
/// A bad row is put aside in <see cref="DropReport.Rejected"/> with its line, column and reason and the good rows are still
/// yielded; a drop that cannot be understood at all sets <see cref="DropReport.RejectedWhole"/>.
/// </summary>
public static class DropReader
{
    /// <summary>A record (one CSV row with all its fields) longer than this many characters stops the drop.</summary>
    public const int MaxRecordLength = 1024 * 1024;

    /// <summary>
    /// Yields the accepted rows of <paramref name="content"/> and fills <paramref name="report"/> as it goes. The report is
    /// complete (counts, content hash) once the enumeration ends. When <see cref="DropReport.RejectedWhole"/> is set at the
    /// end, nothing of the drop may be applied, even rows yielded before the problem was found (e.g. broken quoting
    /// further down). Never throws for bad content; throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public static IEnumerable<DropRow> Read(Stream content, Dataset dataset, DropOptions options, DropReport report, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        return ReadIterator(content, dataset, options, report, ct);
    }

    private static IEnumerable<DropRow> ReadIterator(Stream content, Dataset dataset, DropOptions options, DropReport report, CancellationToken ct)
    {
        using var parser = new Parser(content, dataset, options, report, ct);
        while (parser.TryNext(out var row))
        {
            yield return row;
        }
    }

    private sealed class Parser : IDisposable
    {
        private static readonly Dictionary<string, ChangeCode> ChangeCodes = BuildChangeCodes();

        private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

        // Short values only (names, kana, codes, dates), and a bounded number of them: ids and addresses are not pooled.
        private const int MaxPooledLength = 16;
        private const int MaxPooled = 1 << 16;

        private readonly Dataset _dataset;
        private readonly DropOptions _options;
        private readonly DropReport _report;
        private readonly CancellationToken _ct;
        private readonly DropStream _stream;
        private readonly CsvDataReader? _csv;
        // Keyed by the DropColumns constants themselves (reference identity: no string hashing per field).
        private readonly Dictionary<string, int> _at = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _codes = new(ReferenceEqualityComparer.Instance);
        private readonly List<RowIssue> _rowWarnings = [];
        private readonly List<GaijiUse> _rowGaiji = [];
        private readonly GaijiTable _gaijiTable = GaijiTable.Empty;
        private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _poolLookup;
        private readonly DropTextReader? _text;
        private long _nextLine;
        private bool _done;

        // Per-row failure: the first problem found wins.
        private string? _error;
        private string? _errorColumn;
        private long _line;

        public Parser(Stream content, Dataset dataset, DropOptions options, DropReport report, CancellationToken ct)
        {
            _dataset = dataset;
            _options = options;
            _report = report;
            _ct = ct;
            _poolLookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
            report.Dataset = dataset;
            _stream = new DropStream(content);

            if (_stream.Prefix.IsEmpty)
            {
                Whole("the drop is empty (0 bytes)");
                return;
            }

            var (encoding, skip, name, whole) = DropEncoding.Choose(_stream.Prefix, _stream.PrefixIsWhole, options.Encoding);
            report.Encoding = name;
            if (whole is not null)
            {
                Whole(whole);
                return;
            }

            _stream.Skip(skip);
            if (_stream.Prefix.Length == skip)
            {
                Whole("the drop is empty (only a byte order mark)");
                return;
            }

            var gaijiErrors = GaijiTable.Validate(options.Gaiji);
            if (gaijiErrors.Count > 0)
            {
                Whole($"the tenant's 外字 table is not valid ({gaijiErrors.Count} error(s), first: {gaijiErrors[0]})");
                return;
            }

            _gaijiTable = GaijiTable.Load(options.Gaiji);

            foreach (var (column, map) in options.Codes)
            {
                var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (from, to) in map)
                {
                    normalized[TextNormalizer.Normalize(from)] = TextNormalizer.Normalize(to);
                }

                var columnName = column.Trim().ToLowerInvariant();
                var constant = DropColumns.Of(dataset).Select(k => k.Name).FirstOrDefault(k => k == columnName);
                if (constant is not null)
                {
                    _codes[constant] = normalized;
                }
            }

            var reader = _text = new DropTextReader(_stream, encoding, name);
            var csvOptions = new CsvDataReaderOptions
            {
                HasHeaders = true,
                Delimiter = ',',
                Quote = '"',
                Escape = '"',
                Comment = '\0',
                CsvStyle = CsvStyle.Standard,
                BufferSize = 1 << 16,
                MaxBufferSize = MaxRecordLength,
                OwnsReader = true,
            };

            try
            {
                _csv = CsvDataReader.Create(reader, csvOptions);
            }
            catch (CsvMissingHeadersException)
            {
                Whole("the drop has no header row");
                return;
            }
            catch (CsvRecordTooLargeException)
            {
                Whole($"the header or the first row is longer than {MaxRecordLength} characters (a huge field or an unclosed quote)");
                return;
            }
            catch (CsvFormatException e)
            {
                Whole($"broken quoting in the header or the first row: {e.Message}");
                return;
            }

            MapHeader();
        }

        public bool TryNext(out DropRow row)
        {
            row = null!;
            if (_done || _csv is null)
            {
                return false;
            }

            while (true)
            {
                _ct.ThrowIfCancellationRequested();
                bool has;
                try
                {
                    has = _csv.Read();
                }
                catch (CsvRecordTooLargeException)
                {
                    Whole($"the row at line {_nextLine} is longer than {MaxRecordLength} characters (a huge field or an unclosed quote)");
                    return false;
                }
                catch (CsvFormatException e)
                {
                    Whole($"broken quoting in the row at line {_nextLine}: {e.Message}");
                    return false;
                }

                if (!has)
                {
                    if (_report.RowsRead == 0)
                    {
                        Whole("the drop has a header row but no data rows");
                    }

                    Finish();
                    return false;
                }

                _line = _nextLine;
                _nextLine += LineBreaks(_csv.GetRawRecordSpan());
                if (_csv.RowFieldCount <= 1 && _csv.GetFieldSpan(0).IsWhiteSpace())
                {
                    continue; // a blank line
                }

                _report.RowsRead++;
                if (_csv.RowFieldCount != _csv.FieldCount)
                {
                    // Undecodable bytes can swallow a delimiter: say so rather than blame the field count.
                    _report.Reject(_line, null, _csv.GetRawRecordSpan().Contains('\uFFFD')
                        ? $"the row is not valid {EncodingName} text (wrong encoding?)"
                        : $"the row has {_csv.RowFieldCount} fields; the header has {_csv.FieldCount}");
                    continue;
                }

                _error = null;
                _errorColumn = null;
                _rowWarnings.Clear();
                _rowGaiji.Clear();
                DropRow? parsed = _dataset switch
                {
                    Dataset.ResidentChanges => ResidentChange(),
                    Dataset.Residents => Resident(),
                    Dataset.Tax => Tax(),
                    Dataset.Pregnancy => Pregnancy(),
                    Dataset.Disaster => Disaster(),
                    Dataset.Contacts => Contact(),
                    _ => null,
                };

                if (_error is not null || parsed is null)
                {
                    _report.Reject(_line, _errorColumn, _error ?? "the row could not be read");
                    continue;
                }

                foreach (var w in _rowWarnings)
                {
                    _report.Warn(w.Line, w.Column, w.Message);
                }

                foreach (var g in _rowGaiji)
                {
                    if (g.MappedTo is null)
                    {
                        _report.Unmapped(new GaijiFinding(_line, g.Column, g.Position, g.Code));
                    }
                    else
                    {
                        _report.GaijiMappedCount++;
                    }
                }

                _report.Accepted++;
                row = parsed;
                return true;
            }
        }

        public void Dispose()
        {
            Finish();
            _csv?.Dispose();
            _stream.Dispose();
        }

        private string EncodingName => _text?.EncodingName ?? _report.Encoding ?? "unknown";

        private void Whole(string reason)
        {
            _report.RejectedWhole ??= reason;
            Finish();
        }

        private void Finish()
        {
            if (_done)
            {
                return;
            }

            _done = true;
            if (_text is not null)
            {
                _report.Encoding = _text.EncodingName;
            }

            _stream.Drain(_ct);
            _report.Bytes = _stream.BytesRead;

            // A cancelled read has not seen every byte: leave the hash unset rather than give a wrong one.
            _report.ContentHash = _ct.IsCancellationRequested ? null : _stream.HashHex();
        }

        private void MapHeader()
        {
            var csv = _csv!;
            var headerMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (from, to) in _options.Headers)
            {
                headerMap[TextNormalizer.Normalize(from)] = to.Trim().ToLowerInvariant();
            }

            var known = DropColumns.Of(_dataset);
            if (csv.FieldCount == 1)
            {
                var only = csv.GetName(0);
                if (string.IsNullOrWhiteSpace(only))
                {
                    Whole("the drop has no header row (the first line is blank)");
                    return;
                }

                if (only.Contains(';', StringComparison.Ordinal) || only.Contains('\t', StringComparison.Ordinal))
                {
                    Whole("the header has a single column: the drop is not comma-separated (semicolons or tabs found)");
                    return;
                }
            }

            var headerLines = 1L;
            for (var i = 0; i < csv.FieldCount; i++)
            {
                var raw = csv.GetName(i);
                headerLines += LineBreaks(raw);
                if (raw.Contains('\uFFFD', StringComparison.Ordinal) || raw.Contains('\0', StringComparison.Ordinal))
                {
                    Whole($"the header is not valid {EncodingName} text; re-export the drop as UTF-8 or Shift_JIS (CP932), or pin its encoding");
                    return;
                }

                var name = TextNormalizer.Normalize(raw.TrimStart('\uFEFF'));
                var mappedName = headerMap.TryGetValue(name, out var mapped) ? mapped : name.ToLowerInvariant();
                var canonical = known.Select(k => k.Name).FirstOrDefault(k => k == mappedName);
                if (canonical is null)
                {
                    continue; // unknown extra columns are ignored
                }

                if (_at.TryGetValue(canonical, out var first))
                {
                    Whole($"column '{canonical}' appears twice in the header (columns {first + 1} and {i + 1})");
                    return;
                }

                _at[canonical] = i;
            }

            var missing = known.Where(k => k.Required && !_at.ContainsKey(k.Name)).Select(k => k.Name).ToList();
            if (missing.Count == 1)
            {
                Whole($"missing required column '{missing[0]}'");
                return;
            }

            if (missing.Count > 1)
            {
                Whole($"missing required columns {string.Join(", ", missing.Select(m => $"'{m}'"))}");
                return;
            }

            _nextLine = headerLines + 1;
        }

        private static long LineBreaks(ReadOnlySpan<char> raw)
        {
            long n = raw.Count('\n');
            var cr = raw.IndexOf('\r');
            if (cr < 0)
            {
                return n;
            }

            for (var i = cr; i < raw.Length; i++)
            {
                if (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n'))
                {
                    n++;
                }
            }

            return n;
        }

        // ---- datasets --------------------------------------------------------------------------------------

        private ResidentChangeRow? ResidentChange()
        {
            var recordId = Id(C.RecordId, checkDigit: false);
            var code = ChangeCodeOf();
            var changeDate = ExactDate(C.ChangeDate, required: true);
            var notified = ExactDate(C.NotifiedDate, required: false);
            var person = PersonOf();
            return _error is null && person is not null
                ? new ResidentChangeRow(_line, recordId!, code, changeDate!.Value, notified, person)
                : null;
        }

        private ResidentRow? Resident()
        {
            var person = PersonOf();
            return _error is null && person is not null ? new ResidentRow(_line, person) : null;
        }

        private TaxRow? Tax()
        {
            var residentId = Id(C.ResidentId, _options.CheckDigit);
            var fiscalYear = 0;
            var yearText = Text(C.FiscalYear, required: true);
            if (yearText is not null && !JapaneseDate.TryParseFiscalYear(yearText, out fiscalYear, out var yearError))
            {
                Fail(C.FiscalYear, "fiscal_year: " + yearError);
            }

            var income = 0L;
            var incomeText = Text(C.TaxableIncome, required: true);
            if (incomeText is not null)
            {
                var digits = incomeText.Replace(",", string.Empty, StringComparison.Ordinal).Replace("円", string.Empty, StringComparison.Ordinal).TrimStart('¥', '￥');
                if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out income))
                {
                    Fail(C.TaxableIncome, "taxable_income is not a whole number of yen");
                }
            }

            var nonTaxable = Flag(C.NonTaxable, "非課税", "課税");
            return _error is null ? new TaxRow(_line, new TaxRecord(residentId!, fiscalYear, income, nonTaxable)) : null;
        }

        private PregnancyRow? Pregnancy()
        {
            var recordId = Id(C.RecordId, checkDigit: false);
            var residentId = Id(C.ResidentId, _options.CheckDigit);
            var notified = ExactDate(C.NotifiedDate, required: true);
            var expected = ExactDate(C.ExpectedDeliveryDate, required: true);
            return _error is null
                ? new PregnancyRow(_line, new PregnancyRecord(recordId!, residentId!, notified!.Value, expected!.Value))
                : null;
        }

        private DisasterRow? Disaster()
        {
            var recordId = Id(C.RecordId, checkDigit: false);
            var householdId = Id(C.HouseholdId, _options.CheckDigit);
            var name = FreeText(C.DisasterName, required: true);
            var levelText = Code(C.DamageLevel, required: true);
            var level = DamageLevel.Partial;
            if (levelText is not null && !DamageLevels.TryParse(levelText, out level))
            {
                Fail(C.DamageLevel, $"unknown damage_level '{Clip(levelText)}' (expected {DamageLevels.Listed}, or map the tenant's code)");
            }

            var certified = ExactDate(C.CertifiedDate, required: true);
            return _error is null
                ? new DisasterRow(_line, new DisasterCertificate(recordId!, householdId!, name!, level, certified!.Value))
                : null;
        }

        private ContactRow? Contact()
        {
            var residentId = Id(C.ResidentId, _options.CheckDigit);
            var channelText = Code(C.Channel, required: true);
            var channel = Channel.Post;
            switch (channelText?.ToLowerInvariant())
            {
                case null:
                    break;
                case "sms":
                    channel = Channel.Sms;
                    break;
                case "email" or "e-mail":
                    channel = Channel.Email;
                    break;
                case "post":
                    channel = Channel.Post;
                    break;
                default:
                    Fail(C.Channel, $"unknown channel '{Clip(channelText)}' (expected sms, email or post, or map the tenant's code)");
                    break;
            }

            var address = Text(C.Address, required: true);
            if (address is not null && _error is null)
            {
                switch (channel)
                {
                    case Channel.Sms:
                        if (ContactAddress.TryNormalizeMobile(address, out var e164, out var phoneError))
                        {
                            address = e164;
                        }
                        else
                        {
                            Fail(C.Address, "address: " + phoneError);
                        }

                        break;
                    case Channel.Email:
                        if (!ContactAddress.IsEmail(address))
                        {
                            Fail(C.Address, "address is not an e-mail address");
                        }

                        break;
                    default:
                        address = MapGaiji(C.Address, address);
                        FormulaWarning(C.Address, address);
                        break;
                }
            }

            string? language = null;
            var languageText = Code(C.Language, required: false);
            if (languageText is not null)
            {
                if (ContactAddress.IsLanguageTag(languageText))
                {
                    language = ContactAddress.CanonicalLanguageTag(languageText);
                }
                else
                {
                    Fail(C.Language, $"language '{Clip(languageText)}' is not a BCP 47 tag (e.g. ja, ja-x-easy, en, zh-Hans)");
                }
            }

            var consent = Flag(C.Consent, "同意", "撤回");
            var consentedAt = Timestamp(C.ConsentedAt);
            return _error is null
                ? new ContactRow(_line, new ContactRecord(residentId!, channel, address!, language, consent, consentedAt, "drop"))
                : null;
        }

        private Person? PersonOf()
        {
            var residentId = Id(C.ResidentId, _options.CheckDigit);
            var householdId = Id(C.HouseholdId, _options.CheckDigit);
            var familyName = FreeText(C.FamilyName, required: true);
            var givenName = FreeText(C.GivenName, required: true);
            var familyKana = FreeText(C.FamilyNameKana, required: false);
            var givenKana = FreeText(C.GivenNameKana, required: false);
            var birth = BirthDate();
            var sex = SexOf();
            var relationship = Code(C.Relationship, required: true);
            if (relationship is not null)
            {
                FormulaWarning(C.Relationship, relationship);
            }

            var postal = PostalCode();
            var address = FreeText(C.Address, required: false);
            var nationality = NationalityOf();
            if (_error is not null)
            {
                return null;
            }

            return new Person
            {
                ResidentId = residentId!,
                HouseholdId = householdId!,
                FamilyName = familyName!,
                GivenName = givenName!,
                FamilyNameKana = familyKana,
                GivenNameKana = givenKana,
                BirthDate = birth,
                Sex = sex,
                Relationship = relationship!,
                PostalCode = postal,
                Address = address,
                Nationality = nationality,
                Gaiji = _rowGaiji.Count > 0 ? [.. _rowGaiji] : null,
            };
        }

        // ---- fields ----------------------------------------------------------------------------------------

        private void Fail(string column, string reason)
        {
            if (_error is null)
            {
                _error = reason;
                _errorColumn = column;
            }
        }

        private void Warn(string column, string message) => _rowWarnings.Add(new RowIssue(_line, column, message));

        private static string Clip(string value) =>
            value.Length <= 32 ? value : value[..(char.IsHighSurrogate(value[31]) ? 31 : 32)] + "…"; // never half a surrogate pair

        /// <summary>
        /// The normalised text of a column, or null when it is empty or absent (failing the row when required). Short
        /// values (names, kana, codes, dates) are taken from <see cref="_pool"/> unless <paramref name="pooled"/> is false.
        /// </summary>
        private string? Text(string column, bool required, bool pooled = true)
        {
            if (!_at.TryGetValue(column, out var index))
            {
                if (required)
                {
                    Fail(column, $"column '{column}' is missing");
                }

                return null;
            }

            var span = _csv!.GetFieldSpan(index);
            if (span.Length > _options.MaxFieldLength)
            {
                Fail(column, $"column '{column}' is longer than {_options.MaxFieldLength} characters");
                return null;
            }

            var bad = span.IndexOfAny('\0', '\uFFFD');
            if (bad >= 0)
            {
                Fail(column, span[bad] == '\0'
                    ? $"column '{column}' contains a NUL character"
                    : $"column '{column}' is not valid {EncodingName} text (wrong encoding?)");
                return null;
            }

            var text = pooled && span.Length <= MaxPooledLength && !TextNormalizer.NeedsWork(span) ? Pooled(span) : TextNormalizer.Normalize(span);
            if (text.Length == 0)
            {
                if (required)
                {
                    Fail(column, $"column '{column}' is empty");
                }

                return null;
            }

            return text;
        }

        /// <summary>
        /// One string per distinct short value: the same family names, kana, relationships, codes and dates recur on
        /// most rows, so they are neither allocated again nor held many times by a view that keeps the persons.
        /// </summary>
        private string Pooled(ReadOnlySpan<char> span)
        {
            if (span.IsEmpty)
            {
                return string.Empty;
            }

            if (_poolLookup.TryGetValue(span, out var pooled))
            {
                return pooled;
            }

            var text = new string(span);
            if (_pool.Count < MaxPooled)
            {
                _pool.Add(text, text);
            }

            return text;
        }

        /// <summary>Text mapped through the tenant's code map for the column.</summary>
        private string? Code(string column, bool required)
        {
            var text = Text(column, required);
            return text is not null && _codes.TryGetValue(column, out var map) && map.TryGetValue(text, out var mapped) ? mapped : text;
        }

        /// <summary>
        /// Names, addresses: kept as data; 外字 go through the tenant's table; formula-looking text is noted (it is never
        /// evaluated).
        /// </summary>
        private string? FreeText(string column, bool required)
        {
            var text = Text(column, required);
            if (text is not null)
            {
                text = MapGaiji(column, text);
                FormulaWarning(column, text);
            }

            return text;
        }

        /// <summary>
        /// Replaces each 外字 (U+E000–U+E757) the tenant's table maps and keeps an unmapped one as it is; every one is noted
        /// in <see cref="_rowGaiji"/> with its position in the field (in characters) and code.
        /// </summary>
        private string MapGaiji(string column, string text)
        {
            if (GaijiTable.IndexOfGaiji(text) < 0)
            {
                return text;
            }

            var mapped = new System.Text.StringBuilder(text.Length + 4);
            var position = 0;
            for (var i = 0; i < text.Length; i++)
            {
                position++;
                var c = text[i];
                if (!GaijiTable.IsGaiji(c))
                {
                    mapped.Append(c);
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        mapped.Append(text[++i]);
                    }

                    continue;
                }

                var code = GaijiTable.CodeOf(c);
                if (_gaijiTable.TryMap(c, out var mapping))
                {
                    mapped.Append(mapping.Text);
                    _rowGaiji.Add(new GaijiUse(column, position, code, mapping.Text));
                }
                else
                {
                    mapped.Append(c);
                    _rowGaiji.Add(new GaijiUse(column, position, code, null));
                }
            }

            return mapped.ToString();
        }

        private void FormulaWarning(string column, string text)
        {
            if (CsvEscaping.LooksLikeFormula(text))
            {
                Warn(column, $"column '{column}' starts with '{text[0]}' (spreadsheet formula syntax); kept as text, never evaluated");
            }
        }

        private string? Id(string column, bool checkDigit)
        {
            var id = Text(column, required: true, pooled: false);
            if (id is null)
            {
                return null;
            }

            if (id.Length > 64 || id.AsSpan().ContainsAny(" \t\r\n\u3000"))
            {
                Fail(column, $"{column} is not an identifier (longer than 64 characters or contains spaces)");
                return null;
            }

            if (checkDigit && !CheckDigit.IsValid(id))
            {
                Fail(column, $"{column} fails its check digit (modulus 11)");
                return null;
            }

            return id;
        }

        private ChangeCode ChangeCodeOf()
        {
            var text = Code(C.ChangeCode, required: true);
            if (text is null)
            {
                return default;
            }

            if (ChangeCodes.TryGetValue(text, out var code))
            {
                return code;
            }

            Fail(C.ChangeCode, $"unknown change_code '{Clip(text)}' (map the tenant's 異動事由 codes in its drop options)");
            return default;
        }

        private DateOnly? ExactDate(string column, bool required)
        {
            var text = Text(column, required);
            if (text is null)
            {
                return null;
            }

            if (JapaneseDate.TryParseExact(text, out var date, out var error))
            {
                return date;
            }

            Fail(column, $"{column}: {error}");
            return null;
        }

        private RegistryDate BirthDate()
        {
            var text = Text(C.BirthDate, required: true);
            if (text is null)
            {
                return default;
            }

            if (!JapaneseDate.TryParseRegistry(text, out var date, out var warning, out var error))
            {
                Fail(C.BirthDate, $"birth_date: {error}");
                return default;
            }

            if (warning is not null)
            {
                Warn(C.BirthDate, "birth_date " + warning);
            }

            return date;
        }

        private Sex SexOf()
        {
            var text = Code(C.Sex, required: false);
            switch (text)
            {
                case null or "9" or "不詳":
                    return Sex.NotStated;
                case "1" or "男":
                    return Sex.Male;
                case "2" or "女":
                    return Sex.Female;
                default:
                    Fail(C.Sex, $"unknown sex '{Clip(text)}' (expected 1, 2 or 9, or map the tenant's code)");
                    return Sex.NotStated;
            }
        }

        private bool Flag(string column, string yes, string no)
        {
            var text = Code(column, required: true);
            if (text is null)
            {
                return false;
            }

            if (text == "1" || text == yes)
            {
                return true;
            }

            if (text == "0" || text == no)
            {
                return false;
            }

            Fail(column, $"{column} must be 1 or 0, not '{Clip(text)}'");
            return false;
        }

        private string? PostalCode()
        {
            var text = Text(C.PostalCode, required: false);
            if (text is null)
            {
                return null;
            }

            var s = text.AsSpan().TrimStart('〒').Trim();
            if (s.Length == 8 && s[3] == '-' && TextNormalizer.IsAsciiDigits(s[..3]) && TextNormalizer.IsAsciiDigits(s[4..]))
            {
                return s.ToString();
            }

            if (s.Length == 7 && TextNormalizer.IsAsciiDigits(s))
            {
                return string.Concat(s[..3], "-", s[3..]);
            }

            Warn(C.PostalCode, "postal_code is not a 7-digit postal code; left empty");
            return null;
        }

        private string? NationalityOf()
        {
            var text = Code(C.Nationality, required: false);
            if (text is null || text is "JP" or "jp" or "日本")
            {
                return null;
            }

            if (text.Length == 2 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]))
            {
                return text.ToUpperInvariant();
            }

            Fail(C.Nationality, $"nationality '{Clip(text)}' is not an ISO 3166-1 alpha-2 code (or map the tenant's code)");
            return null;
        }

        private DateTimeOffset Timestamp(string column)
        {
            var text = Text(column, required: true);
            if (text is null)
            {
                return default;
            }

            if (text.Contains(':', StringComparison.Ordinal))
            {
                if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dt))
                {
                    if (dt.Kind == DateTimeKind.Unspecified)
                    {
                        return new DateTimeOffset(dt, Jst); // no offset given: Japan time
                    }

                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
                    {
                        return withOffset;
                    }
                }

                Fail(column, $"{column} is not a date and time (expected e.g. 2026-11-22T10:00:00+09:00)");
                return default;
            }

            if (JapaneseDate.TryParseExact(text, out var day, out var error))
            {
                return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Jst);
            }

            Fail(column, $"{column}: {error}");
            return default;
        }

        private static Dictionary<string, ChangeCode> BuildChangeCodes()
        {
            var codes = new Dictionary<string, ChangeCode>(StringComparer.Ordinal);
            foreach (var code in Enum.GetValues<ChangeCode>())
            {
                codes[code.ToString()] = code;
            }

            // The 異動事由 names themselves are understood without a map.
            codes["出生"] = ChangeCode.BIRTH;
            codes["転入"] = ChangeCode.MOVE_IN;
            codes["国内転入"] = ChangeCode.MOVE_IN;
            codes["国外転入"] = ChangeCode.MOVE_IN_ABROAD;
            codes["死亡"] = ChangeCode.DEATH;
            codes["転出"] = ChangeCode.MOVE_OUT;
            codes["国内転出"] = ChangeCode.MOVE_OUT;
            codes["国外転出"] = ChangeCode.MOVE_OUT_ABROAD;
            codes["転居"] = ChangeCode.RELOCATION;
            codes["世帯分離"] = ChangeCode.HOUSEHOLD_SPLIT;
            codes["世帯合併"] = ChangeCode.HOUSEHOLD_MERGE;
            codes["世帯変更"] = ChangeCode.HOUSEHOLD_CHANGE;
            codes["世帯主変更"] = ChangeCode.HEAD_CHANGE;
            codes["婚姻"] = ChangeCode.MARRIAGE;
            codes["離婚"] = ChangeCode.DIVORCE;
            codes["職権修正"] = ChangeCode.CORRECTION;
            codes["誤記修正"] = ChangeCode.CORRECTION;
            return codes;
        }
    }
}
