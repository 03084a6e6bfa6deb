using System.Globalization;
using System.Text;
using PushGov.Domain.Drops;

namespace PushGov.Tooling.Generate;

/// <summary>
/// Streams CSV rows (RFC 4180) to a file in a given encoding without building rows in memory. Free text goes through
/// <see cref="CsvEscaping.Text"/> so nothing it writes is taken for a spreadsheet formula.
/// </summary>
internal sealed class CsvRowWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly string _newLine;
    private bool _rowStarted;

    public CsvRowWriter(string path, Encoding encoding, string newLine)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), encoding, 1 << 16);
        _newLine = newLine;
        FilePath = path;
    }

    public string FilePath { get; }

    public long Rows { get; private set; }

    public void Header(params string[] columns)
    {
        foreach (var c in columns)
        {
            Value(c);
        }

        _writer.Write(_newLine);
        _rowStarted = false;
    }

    /// <summary>An id, code, date or number: quoted only if RFC 4180 needs it.</summary>
    public CsvRowWriter Value(string? value)
    {
        Separator();
        if (!string.IsNullOrEmpty(value))
        {
            _writer.Write(CsvEscaping.Value(value));
        }

        return this;
    }

    /// <summary>A name or address: quoted if needed, and neutralised if it looks like a formula.</summary>
    public CsvRowWriter Text(string? value)
    {
        Separator();
        if (!string.IsNullOrEmpty(value))
        {
            _writer.Write(CsvEscaping.Text(value));
        }

        return this;
    }

    public CsvRowWriter Number(long value)
    {
        Separator();
        Span<char> buffer = stackalloc char[24];
        value.TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
        _writer.Write(buffer[..n]);
        return this;
    }

    public CsvRowWriter IsoDate(DateOnly value)
    {
        Separator();
        Span<char> buffer = stackalloc char[10];
        value.TryFormat(buffer, out var n, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        _writer.Write(buffer[..n]);
        return this;
    }

    public void EndRow()
    {
        _writer.Write(_newLine);
        _rowStarted = false;
        Rows++;
    }

    public void Dispose() => _writer.Dispose();

    private void Separator()
    {
        if (_rowStarted)
        {
            _writer.Write(',');
        }

        _rowStarted = true;
    }
}
