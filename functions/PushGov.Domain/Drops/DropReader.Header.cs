namespace PushGov.Domain.Drops;

// The drop reader, part 2 of 4: the header row, mapped through the tenant's header names to the dataset's columns, and
// the tenant's code maps, keyed by those columns.
public static partial class DropReader
{
    private sealed partial class Parser
    {
        /// <summary>The tenant's code map of each of the dataset's columns, both sides normalised; maps of other columns are ignored.</summary>
        private void MapCodes()
        {
            foreach (var (column, map) in _options.Codes)
            {
                var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (from, to) in map)
                {
                    normalized[TextNormalizer.Normalize(from)] = TextNormalizer.Normalize(to);
                }

                var columnName = column.Trim().ToLowerInvariant();
                var constant = DropColumns.Of(_dataset).Select(k => k.Name).FirstOrDefault(k => k == columnName);
                if (constant is not null)
                {
                    _codes[constant] = normalized;
                }
            }
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
    }
}
