using System.CommandLine;
using System.Globalization;
using System.Text;
using PushGov.Domain.Drops;
using PushGov.Domain.Tenants;
using PushGov.Tooling.Generate;

namespace PushGov.Cli.Commands;

/// <summary><c>./pushgov generate</c>: a synthetic municipality as data drops (<see cref="SyntheticMunicipality"/>), deterministic for a seed.</summary>
public static class GenerateCommand
{
    public static Command Build(CliConsole console)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant's 6-digit local government code (sets the city's names).", Required = true };
        var population = new Option<int>("--population") { Description = "Residents in the snapshot.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same arguments give the same bytes.", DefaultValueFactory = _ => 1 };
        var outDir = new Option<string>("--out") { Description = "Folder to write {tenant}/{dataset}/{yyyyMMdd}-hhmm.csv under.", Required = true };
        var day = new Option<DateOnly?>("--day") { Description = "The day the drops are for (yyyy-MM-dd; default " + SyntheticMunicipality.DefaultDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ")." };
        var command = new Command("generate", "Write a realistic synthetic municipality as data drops (residents, resident-changes, tax, pregnancy, contacts).") { tenant, population, seed, outDir, day };
        command.SetAction(r =>
        {
            var code = r.GetValue(tenant)!;
            if (!TenantCode.TryParse(code, out _))
            {
                console.Error.WriteLine($"--tenant '{code}': not a local government code (6 digits with a valid check digit, e.g. 401307).");
                return CliApp.Rejected;
            }

            if (r.GetValue(population) <= 0)
            {
                console.Error.WriteLine("--population: at least 1.");
                return CliApp.Rejected;
            }

            var result = SyntheticMunicipality.Generate(code, r.GetValue(population), r.GetValue(seed), r.GetValue(outDir)!, r.GetValue(day) ?? SyntheticMunicipality.DefaultDay);
            var lines = new StringBuilder();
            foreach (var file in result.Files)
            {
                lines.Append(CultureInfo.InvariantCulture, $"{file.Dataset.Name()}={file.Path}\n");
            }

            var bytes = Encoding.UTF8.GetBytes(lines.ToString());
            console.Out.Write(bytes);
            console.Out.Flush();
            console.Error.WriteLine($"Tenant {result.Tenant}, {result.Day:yyyy-MM-dd}: {result.Residents:N0} residents in {result.Households:N0} households; "
                + string.Join(", ", result.Files.Select(f => $"{f.Dataset.Name()} {f.Rows:N0} rows ({f.Encoding})")) + ".");
            return CliApp.Ok;
        });
        return command;
    }
}
