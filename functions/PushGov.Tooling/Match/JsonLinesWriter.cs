using System.Text.Encodings.Web;
using System.Text.Json;

namespace PushGov.Tooling.Match;

/// <summary>
/// Writes one JSON object per line (UTF-8, Japanese unescaped) to a stream: the plumbing shared by
/// <c>./pushgov detect</c> and <c>./pushgov match</c> output.
/// </summary>
public abstract class JsonLinesWriter : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Stream output;

    protected JsonLinesWriter(Stream output)
    {
        this.output = output;
        Json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Lines written so far.</summary>
    public long Lines { get; private set; }

    protected Utf8JsonWriter Json { get; }

    /// <summary>Starts a line: the writer continues on the same stream.</summary>
    protected void BeginLine() => Json.Reset(output);

    /// <summary>Ends the line begun with <see cref="BeginLine"/>.</summary>
    protected void EndLine()
    {
        Json.Flush();
        output.Write(NewLine);
        Lines++;
    }

    public void Flush()
    {
        Json.Flush();
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
}
