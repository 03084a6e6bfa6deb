namespace PushGov.Domain.Drops;

/// <summary>
/// Writes CSV fields (RFC 4180) that a spreadsheet will not interpret: a field with a comma, quote or line break is
/// quoted; a free-text field starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR (formula injection) is quoted and
/// prefixed with <c>'</c> so it is shown as text. Structured values (E.164 numbers start with <c>+</c>) use <see cref="Value"/>.
/// </summary>
public static class CsvEscaping
{
    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create(",\"\r\n");

    /// <summary>True when a spreadsheet could evaluate text starting like this.</summary>
    public static bool LooksLikeFormula(ReadOnlySpan<char> text) =>
        !text.IsEmpty && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>A free-text field (names, addresses): quoted when needed, formula-looking text neutralised.</summary>
    public static string Text(string value) =>
        LooksLikeFormula(value) ? Quote("'" + value) : Value(value);

    /// <summary>A structured field (ids, codes, dates, E.164 numbers): quoted only when RFC 4180 needs it.</summary>
    public static string Value(string value) =>
        value.AsSpan().IndexOfAny(NeedsQuotes) >= 0 ? Quote(value) : value;

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
