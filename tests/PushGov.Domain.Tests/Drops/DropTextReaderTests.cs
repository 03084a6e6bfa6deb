using System.Text;
using PushGov.Domain.Drops;

namespace PushGov.Domain.Tests.Drops;

public class DropTextReaderTests
{
    /// <summary>A stream that hands out a few bytes per read, so multi-byte sequences straddle reads.</summary>
    private sealed class TrickleStream(byte[] bytes, int seed) : Stream
    {
        private readonly Random _random = new(seed);
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, _random.Next(1, 8)), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static string ReadAll(TextReader reader, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        var buffer = new char[8];
        int n;
        while ((n = reader.Read(buffer, 0, random.Next(1, buffer.Length + 1))) > 0)
        {
            sb.Append(buffer, 0, n);
        }

        return sb.ToString();
    }

    [Theory]
    [InlineData("utf-8", true)]
    [InlineData("utf-8", false)]
    [InlineData("cp932", true)]
    [InlineData("cp932", false)]
    public void Text_survives_sequences_split_across_reads_and_one_char_buffers(string encodingName, bool known)
    {
        var text = "id,name\n" + string.Concat(Enumerable.Repeat("1,髙橋ｶﾞｰﾃﾞﾝ①\r\n2,abc\n", 200)) + (encodingName == "utf-8" ? "3,𠮷野家😀\n" : "3,吉野家\n");
        var encoding = encodingName == "utf-8" ? new UTF8Encoding(false) : DropTestHelper.Cp932();
        var decodeWith = encodingName == "utf-8" ? DropEncoding.Utf8 : Cp932Encoding.Instance;

        for (var seed = 0; seed < 5; seed++)
        {
            using var reader = new DropTextReader(new TrickleStream(encoding.GetBytes(text), seed), known ? decodeWith : null, known ? encodingName : DropEncoding.Ascii);
            Assert.Equal(text, ReadAll(reader, seed));
            Assert.Equal(encodingName, reader.EncodingName);
        }
    }

    [Fact]
    public void A_sequence_cut_off_at_the_end_of_the_drop_becomes_a_replacement_character()
    {
        using var reader = new DropTextReader(new MemoryStream([(byte)'a', 0xE3, 0x81]), DropEncoding.Utf8, "utf-8");
        Assert.Equal("a\uFFFD", reader.ReadToEnd());
    }
}
