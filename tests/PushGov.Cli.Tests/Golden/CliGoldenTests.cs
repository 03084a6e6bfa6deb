using System.Runtime.CompilerServices;
using System.Text;

namespace PushGov.Cli.Tests.Golden;

/// <summary>
/// Pins what <c>./pushgov detect</c> and <c>match</c> write for the committed drops under <c>Golden/drops</c> (the samples,
/// a generated municipality, a generated bulk drop in UTF-8 and CP932, a marriage and divorce inference scenario and some
/// rejected rows and drops): standard output byte for byte, standard error (summaries and drop reports) with the drops'
/// folder written as <c>{drops}</c>, and the exit code. Faster paths must keep these bytes.
/// <para>
/// After a deliberate change of the output, <c>PUSHGOV_UPDATE_GOLDEN=1 dotnet test --filter CliGoldenTests</c> rewrites the
/// expected files; review their diff before committing.
/// </para>
/// </summary>
public sealed class CliGoldenTests
{
    private const string AsOf = "2026-11-22";

    public static TheoryData<string, string, string[]> Cases => new()
    {
        { "samples-detect", "detect", ["residents=samples/residents.csv", "resident-changes=samples/resident-changes.csv", "contacts=samples/contacts.csv"] },
        { "samples-match", "match", ["residents=samples/residents.csv", "resident-changes=samples/resident-changes.csv", "contacts=samples/contacts.csv"] },
        {
            "municipality-detect", "detect",
            ["residents=municipality/residents.csv", "resident-changes=municipality/resident-changes.csv", "tax=municipality/tax.csv", "pregnancy=municipality/pregnancy.csv", "contacts=municipality/contacts.csv"]
        },
        {
            "municipality-match", "match",
            ["residents=municipality/residents.csv", "resident-changes=municipality/resident-changes.csv", "tax=municipality/tax.csv", "pregnancy=municipality/pregnancy.csv", "contacts=municipality/contacts.csv"]
        },
        { "inference-detect", "detect", ["residents=inference/residents.csv", "resident-changes=inference/resident-changes.csv"] },
        { "inference-match", "match", ["residents=inference/residents.csv", "resident-changes=inference/resident-changes.csv"] },
        { "bulk-utf8-detect", "detect", ["resident-changes=bulk/changes-utf8.csv"] },
        { "bulk-cp932-detect", "detect", ["resident-changes=bulk/changes-cp932.csv"] },
        { "bulk-cp932-match", "match", ["resident-changes=bulk/changes-cp932.csv"] },
        { "bulk-twice-detect", "detect", ["resident-changes=bulk/changes-cp932.csv", "resident-changes=bulk/changes-utf8.csv"] },
        {
            "corpus-detect", "detect",
            ["residents=corpus/16-utf8-bom-with-a-cp932-row.csv", "residents=corpus/30-formula-injection-in-names.csv", "resident-changes=corpus/24-reiwa-before-it-began.csv", "resident-changes=corpus/27-vague-change-date.csv", "resident-changes=corpus/32-unknown-change-code.csv", "residents=corpus/17-broken-quoting.csv", "resident-changes=inference/resident-changes.csv"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_command_writes_the_pinned_bytes_for_the_committed_drops(string name, string command, string[] drops)
    {
        var folder = Folder();
        var dropsFolder = Path.Combine(folder, "drops");
        string[] args = [command, "--tenant", "401307", "--as-of", AsOf, .. drops.Select(d => d.Replace("=", "=" + dropsFolder + "/", StringComparison.Ordinal))];

        var run = await CliRun.RunAsync(args);
        var error = $"exit {run.ExitCode}\n" + run.Error.Replace(dropsFolder, "{drops}", StringComparison.Ordinal);

        var expectedOut = Path.Combine(folder, "expected", name + ".out.jsonl");
        var expectedError = Path.Combine(folder, "expected", name + ".err.txt");
        if (Environment.GetEnvironmentVariable("PUSHGOV_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(expectedOut)!);
            await File.WriteAllTextAsync(expectedOut, run.Out, new UTF8Encoding(false));
            await File.WriteAllTextAsync(expectedError, error, new UTF8Encoding(false));
        }

        Assert.True(File.Exists(expectedOut), $"No pinned output for {name}: run with PUSHGOV_UPDATE_GOLDEN=1 once and review it.");
        Assert.Equal(await File.ReadAllBytesAsync(expectedOut), Encoding.UTF8.GetBytes(run.Out));
        Assert.Equal(await File.ReadAllTextAsync(expectedError, Encoding.UTF8), error);
    }

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
