using System.Security.Cryptography;

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
