using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using PushGov.Domain;

namespace PushGov.Tooling.Match;

/// <summary>
/// Writes one JSON object per line (UTF-8, Japanese unescaped) to a stream: the plumbing shared by
/// <c>./pushgov detect</c> and <c>./pushgov match</c> output.
/// <para>
/// Lines are gathered in memory and handed to the stream in blocks of about 64 KiB: <see cref="Utf8JsonWriter.Flush"/>
/// on a stream also flushes the stream, which cost a write system call per line (about half the time of a large drop's
/// detection).
/// </para>
/// </summary>
public abstract class JsonLinesWriter : IDisposable
{
    private const int BlockBytes = 1 << 16;
    private readonly Stream output;
    private readonly ArrayBufferWriter<byte> buffer = new(BlockBytes + 4096);

    protected JsonLinesWriter(Stream output)
    {
        this.output = output;
        Json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Lines written so far.</summary>
    public long Lines { get; private set; }

    protected Utf8JsonWriter Json { get; }

    /// <summary>Starts a line: the writer continues in the same buffer.</summary>
    protected void BeginLine() => Json.Reset(buffer);

    /// <summary>Ends the line begun with <see cref="BeginLine"/>.</summary>
    protected void EndLine()
    {
        Json.Flush();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        Lines++;
        if (buffer.WrittenCount >= BlockBytes)
        {
            WriteBlock();
        }
    }

    /// <summary>Writes a date as <c>yyyy-MM-dd</c> (by hand: the custom-format path of DateOnly costs more than the rest of the line).</summary>
    protected void WriteDate(string propertyName, DateOnly date)
    {
        Span<byte> text = stackalloc byte[IsoDate.Length];
        IsoDate.Write(date, text);
        Json.WriteString(propertyName, text);
    }

    public void Flush()
    {
        Json.Flush();
        WriteBlock();
        output.Flush();
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
            Json.Dispose();
        }
    }

    private void WriteBlock()
    {
        output.Write(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
    }
}
