using System.Security.Cryptography;
using System.Text;

namespace PushGov.Domain.Drops;

/// <summary>
/// The bytes of a drop on their way to the text decoder: hashes (SHA-256) and counts every byte read from the
/// source, holds a prefix for encoding detection and serves it first, skipping a UTF-8 byte order mark.
/// Does not own the source stream.
/// </summary>
internal sealed class DropStream : Stream
{
    /// <summary>How many leading bytes decide the encoding when it is not pinned.</summary>
    public const int PrefixSize = 256 * 1024;

    private readonly Stream _source;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _prefix;
    private readonly int _prefixLength;
    private int _prefixPosition;
    private bool _sourceEnded;

    public DropStream(Stream source)
    {
        _source = source;
        _prefix = new byte[PrefixSize];
        while (_prefixLength < _prefix.Length)
        {
            var n = ReadSource(_prefix.AsSpan(_prefixLength));
            if (n == 0)
            {
                break;
            }

            _prefixLength += n;
        }
    }

    public ReadOnlySpan<byte> Prefix => _prefix.AsSpan(0, _prefixLength);

    /// <summary>True when the whole drop fits in the prefix.</summary>
    public bool PrefixIsWhole => _sourceEnded;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Skips the first <paramref name="count"/> bytes of the prefix (a byte order mark).</summary>
    public void Skip(int count) => _prefixPosition = Math.Min(count, _prefixLength);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < _prefixLength)
        {
            var n = Math.Min(buffer.Length, _prefixLength - _prefixPosition);
            _prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
            return n;
        }

        return ReadSource(buffer);
    }

    /// <summary>Reads the rest of the source so that the hash covers every byte.</summary>
    public void Drain(CancellationToken ct)
    {
        var buffer = new byte[81920];
        while (!ct.IsCancellationRequested && ReadSource(buffer) > 0)
        {
        }
    }

    public string HashHex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int ReadSource(Span<byte> buffer)
    {
        if (_sourceEnded)
        {
            return 0;
        }

        var n = _source.Read(buffer);
        if (n == 0)
        {
            _sourceEnded = true;
            return 0;
        }

        _hash.AppendData(buffer[..n]);
        BytesRead += n;
        return n;
    }
}

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
