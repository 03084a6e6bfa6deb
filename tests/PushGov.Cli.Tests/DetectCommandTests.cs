using PushGov.Domain.Detection;

namespace PushGov.Cli.Tests;

public sealed class DetectCommandTests
{
    [Fact]
    public async Task Detect_writes_one_birth_event_with_the_parents_and_the_same_id_every_run()
    {
        using var drops = new TempDrops();
        var (residents, births) = drops.BirthScenario();
        string[] args = ["detect", "--tenant", "401307", "--as-of", "2026-11-12", $"residents={residents}", $"resident-changes={births}"];

        var first = await CliRun.RunAsync(args);
        var second = await CliRun.RunAsync(args);

        Assert.Equal(0, first.ExitCode);
        var e = Assert.Single(first.Lines);
        Assert.Equal("BIRTH", e.GetProperty("kind").GetString());
        Assert.Equal("401307", e.GetProperty("tenant").GetString());
        Assert.Equal("1000000023", e.GetProperty("residentId").GetString());
        Assert.Equal("5000000002", e.GetProperty("householdId").GetString());
        Assert.Equal("2026-11-10", e.GetProperty("eventDate").GetString());
        Assert.False(e.GetProperty("inferred").GetBoolean());
        Assert.Equal("resident-changes", e.GetProperty("source").GetProperty("dataset").GetString());
        Assert.Equal(2, e.GetProperty("source").GetProperty("line").GetInt64());
        Assert.Equal(["1000000007", "1000000015"], e.GetProperty("relatedResidentIds").EnumerateArray().Select(x => x.GetString()).Order());
        Assert.Equal(
            EventIds.For("401307", LifeEventKind.BIRTH, "1000000023", new DateOnly(2026, 11, 10), "202611120000001"),
            e.GetProperty("eventId").GetString());
        Assert.Equal(first.Out, second.Out);
    }

    [Fact]
    public async Task Detect_reports_each_drop_on_standard_error_and_keeps_rejected_rows_out_with_exit_0()
    {
        using var drops = new TempDrops();
        var (residents, _) = drops.BirthScenario();
        var changes = drops.Write(
            "changes.csv",
            TempDrops.ChangesHeader,
            "202611120000001,1000000023,5000000002,BIRTH,2026-11-10,2026-11-12,田中,陽翔,タナカ,ハルト,2026-11-10,1,子,810-0001,福岡市",
            "202611120000002,1000000031,5000000002,NOT_A_CODE,2026-11-10,2026-11-12,田中,結衣,タナカ,ユイ,2026-11-10,2,子,810-0001,福岡市");

        var run = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", $"residents={residents}", $"resident-changes={changes}");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("1000000023", Assert.Single(run.Lines).GetProperty("residentId").GetString());
        Assert.Contains("1 of 2 rows accepted, 1 rejected", run.Error, StringComparison.Ordinal);
        Assert.Contains("NOT_A_CODE", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drop_missing_a_required_column_exits_2_naming_the_column_and_writes_no_events()
    {
        using var drops = new TempDrops();
        var changes = drops.Write(
            "changes.csv",
            "record_id,resident_id,household_id,change_date,family_name,given_name,birth_date,relationship,address",
            "202611120000001,1000000023,5000000002,2026-11-10,田中,陽翔,2026-11-10,子,福岡市");

        var run = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", $"resident-changes={changes}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("change_code", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task A_drop_with_broken_quoting_further_down_writes_none_of_its_events_and_stops_the_later_drops()
    {
        using var drops = new TempDrops();
        var (residents, births) = drops.BirthScenario();
        var broken = drops.Write(
            "broken.csv",
            TempDrops.ChangesHeader,
            "202611120000005,1000000049,5000000010,MOVE_IN,2026-11-10,2026-11-12,山田,一郎,ヤマダ,イチロウ,1980-01-01,1,世帯主,810-0001,福岡市",
            "202611120000006,1000000057,5000000010,MOVE_IN,2026-11-10,2026-11-12,山田,\"花子,ヤマダ,ハナコ,1982-01-01,2,妻,810-0001,福岡市");

        var run = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", $"residents={residents}", $"resident-changes={broken}", $"resident-changes={births}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("rejected as a whole", run.Error, StringComparison.Ordinal);
        Assert.Contains("Stopped", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Lines, l => l.GetProperty("kind").GetString() is "MOVE_IN" or "BIRTH");
    }

    [Fact]
    public async Task An_unknown_dataset_name_exits_2_and_lists_the_datasets()
    {
        using var drops = new TempDrops();
        var (_, births) = drops.BirthScenario();

        var run = await CliRun.RunAsync("detect", "--tenant", "401307", $"births={births}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown dataset 'births'", run.Error, StringComparison.Ordinal);
        Assert.Contains("resident-changes", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tenant", "401306")]
    [InlineData("--as-of", "2026-13-01")]
    public async Task Bad_arguments_exit_2(string option, string value)
    {
        using var drops = new TempDrops();
        var (_, births) = drops.BirthScenario();
        var args = new List<string> { "detect", "--tenant", "401307", "--as-of", "2026-11-12", $"resident-changes={births}" };
        args[args.IndexOf(option) + 1] = value;

        var run = await CliRun.RunAsync([.. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.NotEqual(string.Empty, run.Error);
    }

    [Fact]
    public async Task A_config_that_is_neither_tenant_nor_drop_options_exits_2_with_a_clear_message()
    {
        using var drops = new TempDrops();
        var (_, births) = drops.BirthScenario();
        var config = drops.Write("config.json", "{\"colour\": \"blue\"}");

        var run = await CliRun.RunAsync("detect", "--tenant", "401307", "--config", config, $"resident-changes={births}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("\"colour\"", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_config_maps_the_vendor_headers_and_codes_through_its_drops_member()
    {
        using var drops = new TempDrops();
        var (residents, _) = drops.BirthScenario();
        var births = drops.Write(
            "vendor.csv",
            "record_id,宛名番号,世帯番号,異動事由,change_date,notified_date,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address",
            "202611120000001,1000000023,5000000002,01,2026-11-10,2026-11-12,田中,陽翔,タナカ,ハルト,2026-11-10,1,子,810-0001,福岡市");
        var config = drops.Write(
            "tenant.json",
            "{\"code\":\"401307\",\"name\":\"福岡市\",\"drops\":{\"headers\":{\"宛名番号\":\"resident_id\",\"世帯番号\":\"household_id\",\"異動事由\":\"change_code\"},\"codes\":{\"change_code\":{\"01\":\"BIRTH\"}}}}");
        var plain = drops.Write(
            "drops.json",
            "{\"headers\":{\"宛名番号\":\"resident_id\",\"世帯番号\":\"household_id\",\"異動事由\":\"change_code\"},\"codes\":{\"change_code\":{\"01\":\"BIRTH\"}}}");

        var withTenant = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", "--config", config, $"residents={residents}", $"resident-changes={births}");
        var withOptions = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", "--config", plain, $"residents={residents}", $"resident-changes={births}");

        Assert.Equal(0, withTenant.ExitCode);
        Assert.Equal("BIRTH", Assert.Single(withTenant.Lines).GetProperty("kind").GetString());
        Assert.Equal(withTenant.Out, withOptions.Out);
    }

    [Fact]
    public async Task Report_option_writes_the_reports_as_a_json_array_instead_of_standard_error()
    {
        using var drops = new TempDrops();
        var (residents, births) = drops.BirthScenario();
        var reportPath = Path.Combine(drops.Folder, "report.json");

        var run = await CliRun.RunAsync("detect", "--tenant", "401307", "--as-of", "2026-11-12", "--report", reportPath, $"residents={residents}", $"resident-changes={births}");

        Assert.Equal(0, run.ExitCode);
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(reportPath));
        Assert.Equal(["residents", "resident-changes"], report.RootElement.EnumerateArray().Select(r => r.GetProperty("dataset").GetString()));
        Assert.Equal(2, report.RootElement[0].GetProperty("report").GetProperty("accepted").GetInt64());
        Assert.DoesNotContain("contentHash", run.Error, StringComparison.Ordinal);
    }
}
