using System.Text;

namespace PushGov.Domain.Drops;

/// <summary>
/// Decodes a drop's bytes to text for the CSV parser. With a known encoding it is a plain streaming decoder; when every
/// byte of the detection prefix was ASCII it passes ASCII through and decides between UTF-8 and CP932 at the first
/// non-ASCII byte, from the (at least 4 KiB, or all remaining) bytes that follow it. Never holds more than its buffer.
/// </summary>
internal sealed class DropTextReader : TextReader
{
    private const int Lookahead = 4096;

    private readonly Stream _source;
    private readonly byte[] _buffer = new byte[1 << 16];
    private Decoder? _decoder;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _flushed;
    private char? _held;

    public DropTextReader(Stream source, Encoding? encoding, string name)
    {
        _source = source;
        _decoder = encoding?.GetDecoder();
        EncodingName = name;
    }

    /// <summary><c>utf-8</c>, <c>cp932</c>…, or <c>ascii</c> while no non-ASCII byte was seen.</summary>
    public string EncodingName { get; private set; }

    public override int Peek() => -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> destination)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        if (_held is { } held)
        {
            destination[0] = held;
            _held = null;
            return 1;
        }

        if (destination.Length < 2)
        {
            // A decoder cannot write half a surrogate pair: decode into room for two and hold the second.
            Span<char> pair = stackalloc char[2];
            var n = Read(pair);
            if (n == 2)
            {
                _held = pair[1];
            }

            if (n > 0)
            {
                destination[0] = pair[0];
            }

            return Math.Min(n, 1);
        }

        while (true)
        {
            if (_start == _end && !_eof)
            {
                Fill(compact: true);
            }

            if (_decoder is null)
            {
                var pending = _buffer.AsSpan(_start, _end - _start);
                if (pending.IsEmpty)
                {
                    return 0; // end of input, ASCII throughout
                }

                var high = pending.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
                var ascii = Math.Min(high < 0 ? pending.Length : high, destination.Length);
                if (ascii > 0)
                {
                    for (var i = 0; i < ascii; i++)
                    {
                        destination[i] = (char)pending[i];
                    }

                    _start += ascii;
                    return ascii;
                }

                // At the first non-ASCII byte: look ahead and decide.
                Compact();
                while (_end - _start < Lookahead && !_eof)
                {
                    Fill(compact: false);
                }

                var utf8 = DropEncoding.LooksUtf8(_buffer.AsSpan(_start, _end - _start), _eof);
                _decoder = (utf8 ? DropEncoding.Utf8 : Cp932Encoding.Instance).GetDecoder();
                EncodingName = utf8 ? "utf-8" : "cp932";
            }

            if (_start == _end && _eof)
            {
                if (_flushed)
                {
                    return 0;
                }

                _flushed = true;
                _decoder.Convert(ReadOnlySpan<byte>.Empty, destination, flush: true, out _, out var tail, out _);
                if (tail > 0)
                {
                    return tail;
                }

                return 0;
            }

            _decoder.Convert(_buffer.AsSpan(_start, _end - _start), destination, flush: false, out var bytesUsed, out var charsUsed, out _);
            _start += bytesUsed;
            if (charsUsed > 0)
            {
                return charsUsed;
            }

            if (bytesUsed == 0 && !_eof)
            {
                Fill(compact: true); // a partial sequence at the end of the buffer: read more
            }
        }
    }

    private void Compact()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
    }

    private void Fill(bool compact)
    {
        if (compact)
        {
            Compact();
        }

        if (_end == _buffer.Length)
        {
            return;
        }

        var n = _source.Read(_buffer.AsSpan(_end));
        if (n == 0)
        {
            _eof = true;
        }

        _end += n;
    }
}
