using System.Globalization;
using PushGov.Domain.Residents;
using C = PushGov.Domain.Drops.DropColumns;

namespace PushGov.Domain.Drops;

// The drop reader, part 4 of 4: field readers. Each reads one column of the current row, normalised, mapped through
// the tenant's codes and 外字 table; the first problem found fails the row, a lesser one is a warning.
public static partial class DropReader
{
    private sealed partial class Parser
    {
        private static readonly Dictionary<string, ChangeCode> ChangeCodes = BuildChangeCodes();

        private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

        // Short values only (names, kana, codes, dates), and a bounded number of them: ids and addresses are not pooled.
        private const int MaxPooledLength = 16;
        private const int MaxPooled = 1 << 16;

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
                return s.Length == text.Length ? text : s.ToString(); // no new string per row when nothing was trimmed
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
