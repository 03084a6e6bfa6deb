using System.Text;
using System.Text.Json;

namespace PushGov.Cli.Tests;

/// <summary>Runs <c>./pushgov</c> in-process and keeps what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public IReadOnlyList<JsonElement> Lines =>
        Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliConsole(output, error));
        return new CliRun(exit, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}

/// <summary>A temporary folder with small drop files, removed afterwards.</summary>
internal sealed class TempDrops : IDisposable
{
    public const string ResidentsHeader = "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address";
    public const string ChangesHeader = "record_id,resident_id,household_id,change_code,change_date,notified_date,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address";

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "pushgov-cli-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public TempDrops() => Directory.CreateDirectory(Folder);

    public string Write(string name, params string[] lines)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    /// <summary>A household of 福岡市: 世帯主 and 妻, and a BIRTH of their child on 2026-11-10.</summary>
    public (string Residents, string Births) BirthScenario()
    {
        var residents = Write(
            "residents.csv",
            ResidentsHeader,
            "1000000007,5000000002,田中,太郎,タナカ,タロウ,1990-04-01,1,世帯主,810-0001,福岡県福岡市中央区天神1丁目1番1号",
            "1000000015,5000000002,田中,花子,タナカ,ハナコ,1992-06-15,2,妻,810-0001,福岡県福岡市中央区天神1丁目1番1号");
        var births = Write(
            "births.csv",
            ChangesHeader,
            "202611120000001,1000000023,5000000002,BIRTH,2026-11-10,2026-11-12,田中,陽翔,タナカ,ハルト,2026-11-10,1,子,810-0001,福岡県福岡市中央区天神1丁目1番1号");
        return (residents, births);
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
