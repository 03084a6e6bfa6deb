using System.Diagnostics;
using System.Text;
using PushGov.Domain.Drops;
using Sylvan.Data.Csv;

namespace PushGov.Cli.Generate;

/// <summary>Rows per second of <see cref="DropReader"/> over a file, next to bare Sylvan parsing of the same file (best of several runs).</summary>
public sealed record DropReadMeasurement(
    long Rows,
    long Bytes,
    double BareSylvanRowsPerSecond,
    double BareSylvanWithStringsRowsPerSecond,
    double DropReaderRowsPerSecond,
    long RejectedRows);

/// <summary>Measures how fast drops are read (for <c>./pushgov bench</c>; never asserted in tests).</summary>
public static class DropReadBenchmark
{
    public static DropReadMeasurement Measure(string path, Dataset dataset, int runs = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        double bare = 0, bareStrings = 0, reader = 0;
        long rows = 0, rejected = 0;
        for (var run = 0; run < runs; run++)
        {
            var (n1, t1) = Time(() => Bare(path, strings: false));
            var (n2, t2) = Time(() => Bare(path, strings: true));
            var report = new DropReport();
            var (n3, t3) = Time(() =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                long count = 0;
                foreach (var row in DropReader.Read(stream, dataset, DropOptions.Default, report))
                {
                    count++;
                }

                return count;
            });
            rows = n1;
            rejected = report.RejectedCount;
            bare = Math.Max(bare, n1 / t1);
            bareStrings = Math.Max(bareStrings, n2 / t2);
            reader = Math.Max(reader, (n3 + report.RejectedCount) / t3);
        }

        return new DropReadMeasurement(rows, new FileInfo(path).Length, bare, bareStrings, reader, rejected);
    }

    private static (long Rows, double Seconds) Time(Func<long> work)
    {
        var watch = Stopwatch.StartNew();
        var n = work();
        return (n, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Sylvan alone: every record read; with <paramref name="strings"/>, every field materialised as a string too.</summary>
    private static long Bare(string path, bool strings)
    {
        using var text = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { Delimiter = ',', BufferSize = 1 << 16, MaxBufferSize = DropReader.MaxRecordLength });
        long rows = 0;
        long chars = 0;
        while (csv.Read())
        {
            rows++;
            if (strings)
            {
                for (var i = 0; i < csv.FieldCount; i++)
                {
                    chars += csv.GetString(i).Length;
                }
            }
        }

        return chars >= 0 ? rows : 0;
    }
}
