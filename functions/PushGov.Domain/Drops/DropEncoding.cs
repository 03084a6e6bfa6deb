using System.Text;

namespace PushGov.Domain.Drops;

/// <summary>Decides how a drop's bytes become text: UTF-8 (with or without BOM) or CP932, detected or pinned.</summary>
internal static class DropEncoding
{
    private static readonly Encoding Utf8Text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The encoding to decode with, how many BOM bytes to skip, its report name; or why the drop cannot be decoded.</summary>
    public static (Encoding? Encoding, int Skip, string Name, string? Whole) Choose(ReadOnlySpan<byte> prefix, bool prefixIsWhole, string? pinned)
    {
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || prefix.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (null, 0, "utf-16", "the drop is UTF-16, which is not accepted; export it as UTF-8 or Shift_JIS (CP932)");
        }

        var bom = prefix.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var sample = prefix[bom..Math.Min(prefix.Length, bom + 4096)];
        if (sample.Length >= 16 && sample.Count((byte)0) * 10 > sample.Length)
        {
            return (null, 0, "binary", "the drop is not text (many NUL bytes: UTF-16 without a byte order mark, or a binary file); export it as UTF-8 or Shift_JIS (CP932)");
        }

        if (pinned is not null)
        {
            switch (pinned.Trim().ToLowerInvariant())
            {
                case "utf-8" or "utf8":
                    return (Utf8Text, bom, bom > 0 ? "utf-8-bom (pinned)" : "utf-8 (pinned)", null);
                case "shift_jis" or "shift-jis" or "sjis" or "cp932" or "windows-31j" or "ms932":
                    return (Cp932Encoding.Instance, bom, "cp932 (pinned)", null);
                default:
                    return (null, 0, pinned, $"the pinned encoding '{pinned}' is not supported (use utf-8 or shift_jis)");
            }
        }

        if (bom > 0)
        {
            return (Utf8Text, bom, "utf-8-bom", null);
        }

        if (!prefixIsWhole && prefix.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0)
        {
            // Only ASCII so far (both encodings agree): decide at the first non-ASCII byte (see DropTextReader).
            return (null, 0, Ascii, null);
        }

        return LooksUtf8(prefix, prefixIsWhole) ? (Utf8Text, 0, "utf-8", null) : (Cp932Encoding.Instance, 0, "cp932", null);
    }

    /// <summary>The report name while every byte so far was ASCII.</summary>
    public const string Ascii = "ascii";

    public static Encoding Utf8 => Utf8Text;

    /// <summary>Strict UTF-8 validation; a sequence cut by the end of <paramref name="prefix"/> does not count against it unless <paramref name="whole"/>.</summary>
    public static bool LooksUtf8(ReadOnlySpan<byte> prefix, bool whole)
    {
        if (!whole)
        {
            // Drop a trailing partial sequence: back up over continuation bytes to the last lead byte.
            var cut = prefix.Length;
            for (var i = 1; i <= 3 && i <= prefix.Length; i++)
            {
                var b = prefix[^i];
                if ((b & 0xC0) == 0x80)
                {
                    continue;
                }

                if (b >= 0xC0)
                {
                    cut = prefix.Length - i;
                }

                break;
            }

            prefix = prefix[..cut];
        }

        return System.Text.Unicode.Utf8.IsValid(prefix);
    }
}
