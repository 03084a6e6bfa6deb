using System.Text;

namespace PushGov.Domain.Drops;

/// <summary>
/// Windows code page 932 as Windows-made exports write it, decoded completely: JIS X 0208, NEC special characters
/// (row 13, 0x8740–0x879C), NEC-selected IBM extensions (rows 89–92, 0xED40–0xEEFC), IBM extensions (rows 115–119,
/// 0xFA40–0xFC4B) and the user-defined area (外字, 0xF040–0xF9FC → U+E000–U+E757).
/// <para>
/// Why not the platform's code page 932 alone: .NET's <see cref="CodePagesEncodingProvider"/> decodes only the cells that
/// encoding maps back to (one byte pair per character). The cells Microsoft's table maps one way only — every
/// NEC-selected IBM extension (髙 0xEEE0, 﨑 0xED95, 德 0xED9E…), the IBM-extension copies of NEC row 13 (Ⅰ 0xFA4A, ㈱ 0xFA58…)
/// and the NEC row 13 copies of JIS X 0208 symbols (≒ 0x8790…) — decode to U+FFFD there, so a drop's row was rejected as
/// "not valid cp932 text" although Windows wrote it. Here a duplicate cell decodes to exactly what its canonical twin
/// decodes to (the table below says which cell is whose copy), so the two encodings of one character give the same
/// string. Every other cell decodes as the platform decodes it.
/// </para>
/// <para>
/// Invalid input becomes U+FFFD and is reported by the drop reader: a lead byte whose next byte cannot be a trail byte
/// becomes U+FFFD and that next byte is read again on its own (so a delimiter or quote after a broken character is not
/// swallowed); 0x80, 0xA0 and 0xFD–0xFF, which Microsoft's table leaves undefined, become U+FFFD. Encoding (text to
/// bytes) is the platform's, which writes the canonical cell of each character.
/// </para>
/// </summary>
internal sealed class Cp932Encoding : Encoding
{
    /// <summary>The one instance (the tables are built once).</summary>
    public static Cp932Encoding Instance { get; } = new();

    /// <summary>First cell of the user-defined area (外字) and its private-use code point.</summary>
    public const int FirstUserDefined = 0xF040;

    public const int LastUserDefined = 0xF9FC;

    public const char FirstPrivateUse = '\uE000';

    /// <summary>The 1,880 cells of the user-defined area (10 lead bytes × 188 trail bytes).</summary>
    public const int UserDefinedCount = 10 * TrailsPerLead;

    public const char LastPrivateUse = (char)(FirstPrivateUse + UserDefinedCount - 1);

    private const int TrailsPerLead = 188;

    // Duplicate cells that Microsoft's CP932 table maps one way only, each as (first duplicate cell, first canonical
    // cell, how many consecutive cells); "consecutive" counts valid trail bytes, so a run may cross lead bytes.
    private static readonly (int Duplicate, int Canonical, int Count)[] OneWayCells =
    [
        // NEC row 13 copies of JIS X 0208 symbols: ≒ ≡ ∫, √ ⊥ ∠, ∵ ∩ ∪.
        (0x8790, 0x81E0, 1), (0x8791, 0x81DF, 1), (0x8792, 0x81E7, 1),
        (0x8795, 0x81E3, 1), (0x8796, 0x81DB, 1), (0x8797, 0x81DA, 1),
        (0x879A, 0x81E6, 1), (0x879B, 0x81BF, 1), (0x879C, 0x81BE, 1),

        // IBM extension copies: Ⅰ–Ⅹ of NEC row 13, ￢ of JIS X 0208, ㈱ № ℡ of NEC row 13, ∵ of JIS X 0208.
        (0xFA4A, 0x8754, 10), (0xFA54, 0x81CA, 1), (0xFA58, 0x878A, 1), (0xFA59, 0x8782, 1), (0xFA5A, 0x8784, 1), (0xFA5B, 0x81E6, 1),

        // NEC-selected IBM extensions: the 360 kanji of the IBM extensions in the same order, ⅰ–ⅹ, and ￢ ￤ ＇ ＂.
        (0xED40, 0xFA5C, 360), (0xEEEF, 0xFA40, 10), (0xEEF9, 0x81CA, 1), (0xEEFA, 0xFA55, 3),
    ];

    private static readonly Lazy<Tables> Table = new(Build);

    private Cp932Encoding()
        : base(932, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)
    {
    }

    public override string WebName => "shift_jis";

    public override string EncodingName => "Japanese (Windows code page 932)";

    /// <summary>The platform's code page 932 (canonical encoder; decoder of every cell that has a way back).</summary>
    internal static Encoding Platform => Table.Value.Platform;

    /// <summary>True when <paramref name="b"/> starts a two-byte character.</summary>
    public static bool IsLead(byte b) => b is >= 0x81 and <= 0x9F or >= 0xE0 and <= 0xFC;

    /// <summary>True when <paramref name="b"/> may follow a lead byte.</summary>
    public static bool IsTrail(byte b) => b is >= 0x40 and <= 0x7E or >= 0x80 and <= 0xFC;

    /// <summary>The character a two-byte cell decodes to, or U+FFFD when the cell is unassigned.</summary>
    public static char Decode(byte lead, byte trail) => IsLead(lead) && IsTrail(trail) ? Table.Value.Double[(lead << 8) | trail] : '\uFFFD';

    /// <summary>True for a private-use code point that a user-defined cell (外字) decodes to.</summary>
    public static bool IsUserDefined(char c) => c is >= FirstPrivateUse and <= LastPrivateUse;

    /// <summary>The user-defined cell (e.g. <c>0xF040</c>) a private-use code point U+E000–U+E757 came from.</summary>
    public static int UserDefinedCell(char c)
    {
        if (!IsUserDefined(c))
        {
            throw new ArgumentOutOfRangeException(nameof(c), "Not a code point of the CP932 user-defined area (U+E000–U+E757).");
        }

        var index = c - FirstPrivateUse;
        var lead = 0xF0 + (index / TrailsPerLead);
        var trail = 0x40 + (index % TrailsPerLead);
        return (lead << 8) | (trail >= 0x7F ? trail + 1 : trail);
    }

    /// <summary>The private-use code point of a user-defined cell 0xF040–0xF9FC, or false when it is not one.</summary>
    public static bool TryUserDefinedChar(int cell, out char c)
    {
        c = '\0';
        var lead = cell >> 8;
        var trail = (byte)cell;
        if (cell is < FirstUserDefined or > LastUserDefined || !IsTrail(trail))
        {
            return false;
        }

        c = (char)(FirstPrivateUse + ((lead - 0xF0) * TrailsPerLead) + TrailIndex(trail));
        return true;
    }

    public override int GetByteCount(char[] chars, int index, int count) => Platform.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        Platform.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetCharCount(byte[] bytes, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var decoder = new Cp932Decoder();
        return decoder.GetCharCount(bytes, index, count, flush: true);
    }

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var decoder = new Cp932Decoder();
        return decoder.GetChars(bytes, byteIndex, byteCount, chars, charIndex, flush: true);
    }

    public override Decoder GetDecoder() => new Cp932Decoder();

    public override int GetMaxByteCount(int charCount) => Platform.GetMaxByteCount(charCount);

    // Every byte gives at most one char, and a held lead byte one more at the flush.
    public override int GetMaxCharCount(int byteCount) => byteCount + 1;

    private static int TrailIndex(byte trail) => trail < 0x7F ? trail - 0x40 : trail - 0x41;

    private static int Cell(int lead, int index) => (lead << 8) | (index < 0x3F ? 0x40 + index : 0x41 + index);

    private static Tables Build()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var platform = Encoding.GetEncoding(932, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));

        var single = new char[256];
        for (var b = 0; b < 256; b++)
        {
            single[b] = b switch
            {
                < 0x80 => (char)b,
                >= 0xA1 and <= 0xDF => (char)(0xFF61 + (b - 0xA1)),
                _ => '\uFFFD', // a lead byte alone, or 0x80, 0xA0, 0xFD–0xFF (undefined)
            };
        }

        var cells = new char[0x10000];
        cells.AsSpan().Fill('\uFFFD');
        Span<byte> pair = stackalloc byte[2];
        Span<char> decoded = stackalloc char[4];
        for (var lead = 0x81; lead <= 0xFC; lead++)
        {
            if (!IsLead((byte)lead))
            {
                continue;
            }

            for (var index = 0; index < TrailsPerLead; index++)
            {
                var cell = Cell(lead, index);
                pair[0] = (byte)lead;
                pair[1] = (byte)cell;
                var n = platform.GetChars(pair, decoded);
                if (n == 1)
                {
                    cells[cell] = decoded[0];
                }
            }
        }

        foreach (var (duplicate, canonical, count) in OneWayCells)
        {
            for (var i = 0; i < count; i++)
            {
                var from = Step(duplicate, i);
                var to = Step(canonical, i);
                if (cells[from] != '\uFFFD' || cells[to] == '\uFFFD')
                {
                    throw new InvalidOperationException($"CP932 table: cell {from:X4} is not a one-way copy of {to:X4} on this platform.");
                }

                cells[from] = cells[to];
            }
        }

        return new Tables(platform, single, cells);
    }

    // The cell i valid trail bytes after `cell`, moving to the next lead byte after trail 0xFC.
    private static int Step(int cell, int i)
    {
        var lead = cell >> 8;
        var index = TrailIndex((byte)cell) + i;
        return Cell(lead + (index / TrailsPerLead), index % TrailsPerLead);
    }

    private sealed record Tables(Encoding Platform, char[] Single, char[] Double);

    /// <summary>Streaming decoder: holds a lead byte that ends one buffer until the next buffer (or the flush).</summary>
    private sealed class Cp932Decoder : Decoder
    {
        private int _lead = -1;

        public override void Reset() => _lead = -1;

        public override int GetCharCount(byte[] bytes, int index, int count) => GetCharCount(bytes, index, count, flush: false);

        public override int GetCharCount(byte[] bytes, int index, int count, bool flush)
        {
            ArgumentNullException.ThrowIfNull(bytes);
            return GetCharCount(bytes.AsSpan(index, count), flush);
        }

        // The span overloads are what StreamReader calls: without them the base class copies every buffer into new arrays.
        public override int GetCharCount(ReadOnlySpan<byte> bytes, bool flush)
        {
            var n = 0;
            var lead = _lead;
            foreach (var b in bytes)
            {
                if (lead >= 0)
                {
                    n++;
                    lead = -1;
                    if (IsTrail(b))
                    {
                        continue;
                    }
                }

                if (IsLead(b))
                {
                    lead = b;
                }
                else
                {
                    n++;
                }
            }

            if (flush && lead >= 0)
            {
                n++;
            }

            return n;
        }

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
            GetChars(bytes, byteIndex, byteCount, chars, charIndex, flush: false);

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex, bool flush)
        {
            ArgumentNullException.ThrowIfNull(bytes);
            ArgumentNullException.ThrowIfNull(chars);
            return GetChars(bytes.AsSpan(byteIndex, byteCount), chars.AsSpan(charIndex), flush);
        }

        public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars, bool flush)
        {
            Convert(bytes, chars, flush, out var used, out var written, out _);
            if (used < bytes.Length)
            {
                throw new ArgumentException("The output buffer is too small.", nameof(chars));
            }

            return written;
        }

        public override void Convert(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex, int charCount, bool flush, out int bytesUsed, out int charsUsed, out bool completed) =>
            Convert(bytes.AsSpan(byteIndex, byteCount), chars.AsSpan(charIndex, charCount), flush, out bytesUsed, out charsUsed, out completed);

        public override void Convert(ReadOnlySpan<byte> bytes, Span<char> chars, bool flush, out int bytesUsed, out int charsUsed, out bool completed)
        {
            var table = Table.Value;
            var single = table.Single;
            var cells = table.Double;
            var i = 0;
            var o = 0;
            if (_lead >= 0 && i < bytes.Length && o < chars.Length)
            {
                // A lead byte held from the previous buffer.
                var trail = bytes[i];
                chars[o++] = IsTrail(trail) ? cells[(_lead << 8) | trail] : '\uFFFD';
                i += IsTrail(trail) ? 1 : 0; // a byte that cannot be a trail byte is read again on its own
                _lead = -1;
            }

            while (i < bytes.Length && o < chars.Length && _lead < 0)
            {
                var b = bytes[i];
                if (b < 0x80)
                {
                    // ASCII runs (ids, dates, delimiters) widen in bulk when long enough to pay for the vectorised scan.
                    var rest = bytes[i..];
                    if (rest.Length >= 16 && rest[1] < 0x80 && rest[2] < 0x80 && rest[3] < 0x80)
                    {
                        var run = rest.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
                        var n = Math.Min(chars.Length - o, run < 0 ? rest.Length : run);
                        System.Text.Ascii.ToUtf16(rest[..n], chars[o..], out _);
                        i += n;
                        o += n;
                    }
                    else
                    {
                        chars[o++] = (char)b;
                        i++;
                    }
                }
                else if (!IsLead(b))
                {
                    chars[o++] = single[b];
                    i++;
                }
                else if (i + 1 == bytes.Length)
                {
                    _lead = b; // its trail byte comes with the next buffer (or the flush says there is none)
                    i++;
                }
                else
                {
                    var trail = bytes[i + 1];
                    if (IsTrail(trail))
                    {
                        chars[o++] = cells[(b << 8) | trail];
                        i += 2;
                    }
                    else
                    {
                        chars[o++] = '\uFFFD'; // the lead byte alone; the next byte is read on its own
                        i++;
                    }
                }
            }

            if (flush && _lead >= 0 && i == bytes.Length && o < chars.Length)
            {
                chars[o++] = '\uFFFD'; // the drop ends after a lead byte
                _lead = -1;
            }

            bytesUsed = i;
            charsUsed = o;
            completed = i == bytes.Length && _lead < 0;
        }
    }
}
