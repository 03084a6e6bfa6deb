using System.Globalization;
using System.Text;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using PushGov.Domain.Drops;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;

namespace PushGov.Drills;

/// <summary>
/// <c>bad-drops</c>: one live tenant gets the good drops of <see cref="BirthDrops"/> while malformed drops of
/// ../shared/spec/data-drops.md's kinds land beside them, for another tenant of the same host (bad encoding, broken quoting, a missing header, a date outside
/// its era, a huge field, formula syntax, path tricks, tenant codes that are not this one's, an empty and a header-only
/// file, and one file that is a single line of <see cref="DrillOptions.HugeMegabytes"/> MB). Each bad drop must be
/// reported with its reason in its report blob (rejected whole, its rows rejected, or, for formula syntax, kept as text
/// with a warning); the good drops must end as they would alone (every birth a settled case, every message taken once by
/// its provider, no good row rejected); the host's peak resident memory is reported.
/// </summary>
public static class BadDropsDrill
{
    private const string Header = "record_id,resident_id,household_id,change_code,change_date,family_name,given_name,birth_date,sex,relationship\n";

    /// <summary>What a bad drop's report must show.</summary>
    private enum Expect
    {
        RejectedWhole,
        RowsRejected,
        Warned,
    }

    private sealed record BadDrop(string Kind, string BlobName, Func<Stream> Content, Expect Expect);

    public static async Task<DrillResult> RunAsync(DrillOptions options, TextWriter log, CancellationToken ct)
    {
        var result = new DrillResult("bad-drops", options);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var system = await DrillSystem.StartAsync(options.Rows, log, ct);
        var drops = BirthDrops.Generate(options.Seed, options.Rows);
        var tenant = await system.CreateLiveTenantAsync(ct);
        var other = await system.CreateLiveTenantAsync(ct);
        system.Host.Start();

        // The good drops first and last: the births are processed while the bad drops land.
        var good = new List<(string Dataset, DropReport Report)>
        {
            ("residents", await system.DropAsync(tenant, "residents", "residents.csv", drops.Residents, ct)),
            ("contacts", await system.DropAsync(tenant, "contacts", "contacts.csv", drops.Contacts, ct)),
        };
        await system.PutAsync(tenant, "resident-changes", "births.csv", drops.Births, ct);

        var reports = system.Storage.Container(StorageNames.Containers.DropReports);
        var lines = new List<string>();
        foreach (var bad in BadDrops(other, options.HugeMegabytes))
        {
            var report = reports.GetBlobClient(DropPath.SafeReportName(bad.BlobName));
            await using (var content = bad.Content())
            {
                await system.Storage.Container(StorageNames.Containers.Drops).GetBlobClient(bad.BlobName).UploadAsync(
                    content,
                    new BlobUploadOptions { TransferOptions = new StorageTransferOptions { MaximumTransferSize = 4 * 1024 * 1024, InitialTransferSize = 4 * 1024 * 1024 } },
                    ct);
            }

            DropReport? read = null;
            await system.UntilAsync(
                async () =>
                {
                    if (!await report.ExistsAsync(ct))
                    {
                        return false;
                    }

                    read = DropReport.FromJson((await report.DownloadContentAsync(ct)).Value.Content.ToString());
                    return read.Progress is null;
                },
                $"the report of the bad drop '{bad.Kind}'",
                ct);
            var reason = read!.RejectedWhole is { } whole ? $"rejected whole: {whole}"
                : read.RejectedCount > 0 ? $"{read.RejectedCount} of {read.RowsRead} rows rejected, first: line {read.Rejected[0].Line}: {read.Rejected[0].Message}"
                : read.WarningCount > 0 ? $"kept with {read.WarningCount} warnings, first: {read.Warnings[0].Message}"
                : "NOT REPORTED: read as a good drop";
            var met = bad.Expect switch
            {
                Expect.RejectedWhole => read.RejectedWhole is not null,
                Expect.RowsRejected => read.RejectedWhole is not null || read.RejectedCount > 0,
                _ => read.WarningCount > 0,
            };
            lines.Add($"  {bad.Kind}: {reason}");
            await system.LogAsync($"{bad.Kind}: {reason}");
            if (!met)
            {
                result.Problem($"the bad drop '{bad.Kind}' ({bad.BlobName}) was not reported as it should be ({bad.Expect}): {reason}");
            }
        }

        var run = await system.SettledAsync(tenant, since, ct);
        good.Add(("resident-changes", DropReport.FromJson((await reports.GetBlobClient($"{tenant}/resident-changes/births.csv.report.json").DownloadContentAsync(ct)).Value.Content.ToString())));
        foreach (var (dataset, report) in good.Where(g => g.Report.RejectedWhole is not null || g.Report.RejectedCount > 0))
        {
            result.Problem($"the good {dataset} drop had rejections: {report.RejectedWhole ?? report.Rejected[0].Message}");
        }

        if (run.Cases.Count != options.Rows)
        {
            result.Problem($"lost: {options.Rows} births made {run.Cases.Count} cases");
        }

        var (problems, keys, repeated) = system.CheckEachTakenOnce(run.Messages);
        foreach (var problem in problems)
        {
            result.Problem(problem);
        }

        result.Figure(string.Create(CultureInfo.InvariantCulture, $"{lines.Count} bad drops (to another tenant of the same host) beside the good ones of {options.Rows} households, seed {options.Seed}; the one-line file {options.HugeMegabytes} MB:"));
        foreach (var line in lines)
        {
            result.Figure(line);
        }

        result.Figure($"good drops: {string.Join(", ", good.Select(g => $"{g.Dataset} {g.Report.Accepted}/{g.Report.RowsRead} rows accepted"))}; {run.Cases.Count} cases, {run.Messages.Count} messages");
        result.Figure($"at the providers: {keys} messages, {problems.Count(p => p.StartsWith("lost", StringComparison.Ordinal))} lost, {problems.Count(p => p.StartsWith("duplicate", StringComparison.Ordinal))} duplicated; {repeated} keys sent more than once and recognised by key");
        result.Machine(system);
        return result;
    }

    private static IEnumerable<BadDrop> BadDrops(string tenant, int hugeMegabytes)
    {
        var changes = $"{tenant}/resident-changes";
        var resident = CheckDigit.Append("60000001");
        var household = CheckDigit.Append("70000001");
        string Row(string changeDate = "2026-11-20", string family = "山田", string given = "一郎") =>
            $"X1,{resident},{household},BIRTH,{changeDate},{family},{given},2026-11-20,1,子\n";
        static Func<Stream> Text(string text) => () => new MemoryStream(Encoding.UTF8.GetBytes(text));

        yield return new("encoding: bytes that are neither UTF-8 nor CP932", $"{changes}/bad-encoding.csv", () => new MemoryStream([.. Encoding.UTF8.GetBytes(Header + $"X1,{resident},{household},BIRTH,2026-11-20,"), 0xFF, 0xFF, 0x80, 0xFD, .. Encoding.UTF8.GetBytes(",一郎,2026-11-20,1,子\n")]), Expect.RowsRejected);
        yield return new("quoting: a quote never closed", $"{changes}/bad-quoting.csv", Text(Header + $"X1,{resident},{household},BIRTH,2026-11-20,\"山田,一郎,2026-11-20,1,子\n"), Expect.RowsRejected);
        yield return new("headers: change_code missing", $"{changes}/bad-header.csv", Text(Header.Replace("change_code,", string.Empty, StringComparison.Ordinal) + $"X1,{resident},{household},2026-11-20,山田,一郎,2026-11-20,1,子\n"), Expect.RejectedWhole);
        yield return new("和暦: 平成32年 (after 平成 ended)", $"{changes}/bad-wareki.csv", Text(Header + Row(changeDate: "平成32年1月1日")), Expect.RowsRejected);
        yield return new("huge field: a name of 100,000 characters", $"{changes}/huge-field.csv", Text(Header + Row(family: new string('山', 100_000))), Expect.RowsRejected);
        yield return new("formula injection: =HYPERLINK in a name", $"{changes}/formula.csv", Text(Header + Row(family: "=HYPERLINK(\"http://example.com\";\"x\")")), Expect.Warned);
        yield return new("path: not a .csv", $"{changes}/drop.txt", Text(Header + Row()), Expect.RejectedWhole);
        yield return new("path: a folder below the dataset", $"{changes}/sub/drop.csv", Text(Header + Row()), Expect.RejectedWhole);
        yield return new("path: unknown dataset", $"{tenant}/passwords/drop.csv", Text(Header + Row()), Expect.RejectedWhole);
        yield return new("path: escaped dot segments", $"{changes}/%2e%2e%2f%2e%2e%2fdrop.csv", Text(Header + Row()), Expect.RejectedWhole);
        yield return new("tenant: a valid code that is not configured", $"{TestTenants.Next()}/resident-changes/drop.csv", Text(Header + Row()), Expect.RejectedWhole);
        yield return new("tenant: not a local government code", "12345/resident-changes/drop.csv", Text(Header + Row()), Expect.RejectedWhole);
        yield return new("empty file", $"{changes}/empty.csv", Text(string.Empty), Expect.RejectedWhole);
        yield return new("header only", $"{changes}/header-only.csv", Text(Header), Expect.RejectedWhole);
        yield return new($"one line of {hugeMegabytes} MB", $"{changes}/one-line.csv", () => new OneLine(hugeMegabytes * 1024L * 1024L), Expect.RejectedWhole);
    }

    /// <summary>A stream of <paramref name="length"/> bytes of one line (no line break), made as it is read.</summary>
    private sealed class OneLine(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'a');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
