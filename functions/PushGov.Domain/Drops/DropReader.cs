using PushGov.Domain.Residents;
using Sylvan.Data.Csv;

namespace PushGov.Domain.Drops;

/// <summary>
/// Reads one data drop (data-drops.md) as typed rows, streaming: the file is never held in memory whole.
/// RFC 4180 CSV (Sylvan.Data.Csv), UTF-8 with or without BOM or CP932 (detected from a prefix, or pinned by the tenant),
/// the tenant's header and code maps, text normalisation (<see cref="TextNormalizer"/>), 和暦 dates (<see cref="JapaneseDate"/>),
/// 外字 in names and addresses through the tenant's table (<see cref="GaijiTable"/>; unmapped ones are kept and listed).
/// A bad row is put aside in <see cref="DropReport.Rejected"/> with its line, column and reason and the good rows are still
/// yielded; a drop that cannot be understood at all sets <see cref="DropReport.RejectedWhole"/>.
/// In four files: this one opens the drop and runs the row loop; DropReader.Header.cs maps the header, DropReader.Rows.cs
/// builds each dataset's rows and DropReader.Fields.cs reads their fields. Bytes become text in <see cref="DropStream"/>,
/// <see cref="DropEncoding"/> and <see cref="DropTextReader"/>.
/// </summary>
public static partial class DropReader
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

    private sealed partial class Parser : IDisposable
    {
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

            MapCodes();

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
    }
}
