using System.Text;

namespace PushGov.Cli.Tests;

/// <summary><c>./pushgov detect</c> on CP932 drops as Windows-made municipal exports write them.</summary>
public sealed class Cp932DetectTests
{
    private static readonly Encoding Cp932 = CodePages();

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932);
    }

    /// <summary>Writes <paramref name="lines"/> in CP932; <c>{EEE0}</c> is written as that byte pair (a cell Windows reads, .NET's code page does not).</summary>
    private static string WriteCp932(TempDrops drops, string name, params string[] lines)
    {
        var text = string.Join("\r\n", lines) + "\r\n";
        var bytes = new List<byte>();
        var parts = text.Split('{');
        bytes.AddRange(Cp932.GetBytes(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            var cell = Convert.ToInt32(part[..4], 16);
            bytes.Add((byte)(cell >> 8));
            bytes.Add((byte)cell);
            bytes.AddRange(Cp932.GetBytes(part[5..]));
        }

        var path = Path.Combine(drops.Folder, name);
        File.WriteAllBytes(path, [.. bytes]);
        return path;
    }

    private static (string Residents, string Changes) Twin(TempDrops drops, string prefix, string takahashi, string yamasaki, string tokunaga, string segawa)
    {
        var residents = WriteCp932(
            drops,
            prefix + "-residents.csv",
            TempDrops.ResidentsHeader,
            $"1000000007,5000000002,{takahashi},太郎,タカハシ,タロウ,1990-04-01,1,世帯主,810-0001,福岡県福岡市中央区天神1丁目1番1号",
            $"1000000015,5000000002,{takahashi},花子,タカハシ,ハナコ,1992-06-15,2,妻,810-0001,福岡県福岡市中央区天神1丁目1番1号",
            $"1000000049,5000000010,{tokunaga},一郎,トクナガ,イチロウ,1950-01-01,1,世帯主,810-0002,福岡県福岡市中央区天神2丁目2番2号");
        var changes = WriteCp932(
            drops,
            prefix + "-changes.csv",
            TempDrops.ChangesHeader,
            $"202611120000001,1000000023,5000000002,BIRTH,2026-11-10,2026-11-12,{takahashi},陽翔,タカハシ,ハルト,2026-11-10,1,子,810-0001,福岡県福岡市中央区天神1丁目1番1号",
            $"202611120000002,1000000031,5000000028,MOVE_IN,2026-11-10,2026-11-12,{yamasaki},{segawa},ヤマサキ,セガワ,1988-03-03,2,世帯主,810-0003,福岡県福岡市中央区天神3丁目3番3号",
            $"202611120000003,1000000049,5000000010,DEATH,2026-11-11,2026-11-12,{tokunaga},一郎,トクナガ,イチロウ,1950-01-01,1,世帯主,810-0002,福岡県福岡市中央区天神2丁目2番2号");
        return (residents, changes);
    }

    [Fact]
    public async Task Detect_on_a_cp932_drop_named_with_extension_characters_writes_the_same_events_as_its_takahashi_twin()
    {
        using var drops = new TempDrops();
        // 髙橋 (NEC-selected 0xEEE0), 山﨑 (IBM 0xFAB1), 德永 (NEC-selected 0xED9E), 瀨 (IBM 0xFB50) beside 瀨 (NEC-selected 0xEDF1).
        var extension = Twin(drops, "extension", "{EEE0}橋", "山{FAB1}", "{ED9E}永", "{FB50}{EDF1}");
        var standard = Twin(drops, "standard", "高橋", "山崎", "徳永", "瀬瀬");

        var reportPath = Path.Combine(drops.Folder, "report.json");
        var extensionRun = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", "--report", reportPath, $"residents={extension.Residents}", $"resident-changes={extension.Changes}");
        var standardRun = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", $"residents={standard.Residents}", $"resident-changes={standard.Changes}");

        Assert.Equal(0, extensionRun.ExitCode);
        Assert.Equal(["BIRTH", "MOVE_IN", "DEATH"], extensionRun.Lines.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(standardRun.Out, extensionRun.Out);
        using var reports = System.Text.Json.JsonDocument.Parse(File.ReadAllText(reportPath));
        Assert.All(reports.RootElement.EnumerateArray().Select(r => r.GetProperty("report")), r =>
        {
            Assert.Equal("cp932", r.GetProperty("encoding").GetString());
            Assert.Equal(3, r.GetProperty("accepted").GetInt64());
            Assert.Equal(0, r.GetProperty("rejectedCount").GetInt64());
        });
    }

    [Fact]
    public async Task Detect_maps_gaiji_through_the_tenant_table_and_reports_an_unmapped_one_with_line_column_and_code()
    {
        using var drops = new TempDrops();
        // 0xF040 is mapped to 𠮷 by the tenant; 0xF041 is not in its table.
        var residents = WriteCp932(
            drops,
            "gaiji-residents.csv",
            TempDrops.ResidentsHeader,
            "1000000007,5000000002,{F040}田,太郎,ヨシダ,タロウ,1990-04-01,1,世帯主,810-0001,福岡県福岡市中央区天神1丁目1番1号",
            "1000000015,5000000002,{F040}田,{F041}子,ヨシダ,ミコ,1992-06-15,2,妻,810-0001,福岡県福岡市中央区天神1丁目1番1号");
        var config = drops.Write(
            "tenant.json",
            "{\"code\":\"401307\",\"name\":\"福岡市\",\"drops\":{\"gaiji\":[{\"code\":\"F040\",\"text\":\"𠮷\"}]}}");
        var reportPath = Path.Combine(drops.Folder, "report.json");

        var run = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", "--config", config, "--report", reportPath, $"residents={residents}");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("2 of 2 rows accepted, 0 rejected, 0 warnings, 1 unmapped 外字", run.Error, StringComparison.Ordinal);
        using var reports = System.Text.Json.JsonDocument.Parse(File.ReadAllText(reportPath));
        var report = reports.RootElement[0].GetProperty("report");
        Assert.Equal(2, report.GetProperty("gaijiMappedCount").GetInt64());
        Assert.Equal(1, report.GetProperty("gaijiUnmappedCount").GetInt64());
        var finding = Assert.Single(report.GetProperty("gaijiUnmapped").EnumerateArray());
        Assert.Equal((3L, "given_name", 1, "F041"), (finding.GetProperty("line").GetInt64(), finding.GetProperty("column").GetString(), finding.GetProperty("position").GetInt32(), finding.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_config_with_a_bad_gaiji_table_exits_2_listing_every_error_with_its_line()
    {
        using var drops = new TempDrops();
        var (residents, _) = drops.BirthScenario();
        var config = drops.Write(
            "drops.json",
            "{",
            "  \"gaiji\": [",
            "    { \"code\": \"F040\", \"text\": \"𠮷\" },",
            "    { \"code\": \"F040\", \"text\": \"吉\" },",
            "    { \"code\": \"9999\", \"text\": \"辻\", \"substitute\": true }",
            "  ]",
            "}");

        var run = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", "--config", config, $"residents={residents}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the 外字 table has 3 error(s)", run.Error, StringComparison.Ordinal);
        Assert.Contains("gaiji[1] (line 4) code: F040 is mapped twice (first in gaiji[0])", run.Error, StringComparison.Ordinal);
        Assert.Contains("gaiji[2] (line 5) code: 9999 is not a user-defined (外字) code", run.Error, StringComparison.Ordinal);
        Assert.Contains("gaiji[2] (line 5) note: required for a substitute", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }
}
