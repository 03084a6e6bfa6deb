using System.Globalization;
using System.Text;

namespace PushGov.Domain.Drops;

/// <summary>
/// One row of a tenant's 外字 table as the tenant writes it (JSON, in its drop options' <c>gaiji</c> list):
/// <code>
/// { "code": "F040", "text": "𠮷" }                                   a character
/// { "code": "F041", "text": "葛󠄀" }                                   an Ideographic Variation Sequence (葛 U+845B + U+E0100)
/// { "code": "F042", "text": "辻", "substitute": true, "note": "一点しんにょうの辻" }   a stand-in, with a note saying what it stands for
/// </code>
/// </summary>
public sealed record GaijiEntry
{
    /// <summary>The user-defined CP932 cell, 4 hex digits, 0xF040–0xF9FC (<c>F040</c> or <c>0xF040</c>).</summary>
    public string? Code { get; init; }

    /// <summary>What the cell means: one character (a surrogate pair counts as one), an IVS, or with <see cref="Substitute"/> any short text.</summary>
    public string? Text { get; init; }

    /// <summary>True when <see cref="Text"/> only stands in for a character Unicode lacks; <see cref="Note"/> is then required.</summary>
    public bool Substitute { get; init; }

    /// <summary>For staff and the print vendor: what the character is (e.g. 一点しんにょうの辻). Required for a substitute.</summary>
    public string? Note { get; init; }
}

/// <summary>How a 外字 maps.</summary>
public enum GaijiKind
{
    /// <summary>To one Unicode character.</summary>
    Character,

    /// <summary>To an Ideographic Variation Sequence (a base ideograph and a variation selector U+E0100–U+E01EF).</summary>
    VariationSequence,

    /// <summary>To a stand-in the tenant chose, with a note.</summary>
    Substitute,
}

/// <summary>A validated mapping of one user-defined cell.</summary>
public sealed record GaijiMapping(string Code, GaijiKind Kind, string Text, string? Note);

/// <summary>One problem with a 外字 table: the entry (0-based), its source line when known, the field and what is wrong.</summary>
public sealed record GaijiTableError(int Entry, int? Line, string Field, string Message)
{
    public override string ToString() =>
        Line is { } line ? $"gaiji[{Entry}] (line {line}) {Field}: {Message}" : $"gaiji[{Entry}] {Field}: {Message}";
}

/// <summary>A 外字 table that cannot be used; lists every error.</summary>
public sealed class GaijiTableException(IReadOnlyList<GaijiTableError> errors)
    : Exception("The 外字 table is not valid:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<GaijiTableError> Errors { get; } = errors;
}

/// <summary>
/// A tenant's 外字 table, validated: user-defined CP932 cells (0xF040–0xF9FC; decoded as U+E000–U+E757, which mean
/// nothing outside the municipality) to what they mean. Drops keep both the code and the mapped text (see
/// <see cref="Residents.GaijiUse"/>); an unmapped 外字 is kept as its private-use code point and flagged in the drop report.
/// </summary>
public sealed class GaijiTable
{
    public const int MaxSubstituteLength = 16;
    public const int MaxNoteLength = 200;

    private readonly Dictionary<char, GaijiMapping> _byCodePoint;

    private GaijiTable(Dictionary<char, GaijiMapping> byCodePoint) => _byCodePoint = byCodePoint;

    public static GaijiTable Empty { get; } = new([]);

    public int Count => _byCodePoint.Count;

    /// <summary>Validates every entry and builds the table; throws <see cref="GaijiTableException"/> listing every error.</summary>
    /// <param name="lines">The source line of each entry, when the caller knows it (e.g. from the JSON file).</param>
    public static GaijiTable Load(IReadOnlyList<GaijiEntry>? entries, IReadOnlyList<int>? lines = null)
    {
        var errors = Validate(entries, lines, out var table);
        return errors.Count > 0 ? throw new GaijiTableException(errors) : table;
    }

    /// <summary>Every error of <paramref name="entries"/> (empty when the table is valid).</summary>
    public static IReadOnlyList<GaijiTableError> Validate(IReadOnlyList<GaijiEntry>? entries, IReadOnlyList<int>? lines = null) =>
        Validate(entries, lines, out _);

    /// <summary>The mapping of a private-use code point U+E000–U+E757 (a decoded user-defined cell), if the table has one.</summary>
    public bool TryMap(char privateUse, out GaijiMapping mapping) => _byCodePoint.TryGetValue(privateUse, out mapping!);

    /// <summary>The 4-hex-digit CP932 code of a private-use code point U+E000–U+E757, e.g. <c>F040</c>.</summary>
    public static string CodeOf(char privateUse) => Cp932Encoding.UserDefinedCell(privateUse).ToString("X4", CultureInfo.InvariantCulture);

    /// <summary>True for a code point that a CP932 user-defined cell (外字) decodes to.</summary>
    public static bool IsGaiji(char c) => Cp932Encoding.IsUserDefined(c);

    /// <summary>Index of the first 外字 code point in <paramref name="text"/>, or -1.</summary>
    public static int IndexOfGaiji(ReadOnlySpan<char> text) => text.IndexOfAnyInRange(Cp932Encoding.FirstPrivateUse, Cp932Encoding.LastPrivateUse);

    private static List<GaijiTableError> Validate(IReadOnlyList<GaijiEntry>? entries, IReadOnlyList<int>? lines, out GaijiTable table)
    {
        var errors = new List<GaijiTableError>();
        var map = new Dictionary<char, GaijiMapping>();
        var first = new Dictionary<char, int>();
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var entry = entries![i];
            int? line = lines is not null && i < lines.Count ? lines[i] : null;
            void Error(string field, string message) => errors.Add(new GaijiTableError(i, line, field, message));

            if (entry is null)
            {
                Error("(entry)", "expected an object with code and text");
                continue;
            }

            char? codePoint = null;
            string? code = null;
            var codeText = entry.Code?.Trim();
            if (string.IsNullOrEmpty(codeText))
            {
                Error("code", "required: the user-defined CP932 code, 4 hex digits from F040 to F9FC");
            }
            else
            {
                var hex = codeText.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? codeText[2..] : codeText;
                if (hex.Length != 4 || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var cell))
                {
                    Error("code", $"'{Clip(codeText)}' is not 4 hex digits (e.g. F040)");
                }
                else if (!Cp932Encoding.TryUserDefinedChar(cell, out var c))
                {
                    Error("code", $"{cell:X4} is not a user-defined (外字) code: those are F040–F9FC with a second byte 40–7E or 80–FC");
                }
                else if (first.TryGetValue(c, out var earlier))
                {
                    Error("code", $"{cell:X4} is mapped twice (first in gaiji[{earlier}])");
                }
                else
                {
                    first[c] = i;
                    codePoint = c;
                    code = cell.ToString("X4", CultureInfo.InvariantCulture);
                }
            }

            var note = string.IsNullOrWhiteSpace(entry.Note) ? null : entry.Note.Trim();
            if (note is not null && note.Length > MaxNoteLength)
            {
                Error("note", $"at most {MaxNoteLength} characters");
            }

            var kind = Kind(entry, note, Error);
            if (kind is { } k && codePoint is { } cp && code is not null)
            {
                map[cp] = new GaijiMapping(code, k, entry.Text!, note);
            }
        }

        table = new GaijiTable(map);
        return errors;
    }

    private static GaijiKind? Kind(GaijiEntry entry, string? note, Action<string, string> error)
    {
        var text = entry.Text;
        if (string.IsNullOrEmpty(text))
        {
            error("text", "required: the character, an Ideographic Variation Sequence, or (with substitute: true) a stand-in");
            return null;
        }

        if (!IsWellFormed(text))
        {
            error("text", "contains an unpaired surrogate");
            return null;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value == 0xFFFD || Rune.GetUnicodeCategory(rune) == UnicodeCategory.PrivateUse)
            {
                error("text", $"contains U+{rune.Value:X4}, which is a control, replacement or private-use character: a 外字 must map to what it means");
                return null;
            }
        }

        if (entry.Substitute)
        {
            if (note is null)
            {
                error("note", "required for a substitute: say which character the stand-in replaces (staff and the print vendor read it)");
                return null;
            }

            if (text.Length > MaxSubstituteLength)
            {
                error("text", $"a substitute has at most {MaxSubstituteLength} characters");
                return null;
            }

            return GaijiKind.Substitute;
        }

        var runes = text.EnumerateRunes().ToList();
        if (runes.Count == 1 && !IsVariationSelector(runes[0]))
        {
            return GaijiKind.Character;
        }

        if (runes.Count == 2 && runes[1].Value is >= 0xE0100 and <= 0xE01EF && IsIdeograph(runes[0]))
        {
            return GaijiKind.VariationSequence;
        }

        error("text", "expected one character or an Ideographic Variation Sequence (an ideograph and a selector U+E0100–U+E01EF); for anything else set substitute: true and add a note");
        return null;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVariationSelector(Rune r) => r.Value is >= 0xFE00 and <= 0xFE0F or >= 0xE0100 and <= 0xE01EF;

    // CJK Unified Ideographs (and extensions A–H), compatibility ideographs, and their supplement.
    private static bool IsIdeograph(Rune r) =>
        r.Value is >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x323AF or >= 0x2F800 and <= 0x2FA1F;

    private static string Clip(string value) => value.Length <= 16 ? value : value[..16] + "…";
}
