using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PushGov.Deployment.Tests;

/// <summary>
/// infra/main.bicep compiled to ARM JSON by the Bicep CLI, once per test run, with helpers to look into the
/// nested templates of its modules. The tests read what Azure would be given, not the Bicep text.
/// </summary>
public sealed partial class CompiledTemplate
{
    public CompiledTemplate()
    {
        Root = JsonNode.Parse(Bicep.Run("build", Repo.Path("infra", "main.bicep"), "--stdout"))!.AsObject();
    }

    public JsonObject Root { get; }

    /// <summary>The template of the module declared in main.bicep with this symbolic name.</summary>
    public JsonObject ModuleTemplate(string symbolicName) => Module(symbolicName)["properties"]!["template"]!.AsObject();

    /// <summary>The deployment resource of the module declared in main.bicep with this symbolic name.</summary>
    public JsonObject Module(string symbolicName) =>
        Resources(Root).SingleOrDefault(r => r.SymbolicName == symbolicName).Resource
        ?? throw new InvalidOperationException($"main.bicep has no module '{symbolicName}'.");

    /// <summary>The app settings the <c>appsettings</c> config resource of a module sets, by name (see <see cref="ArmExpression.Settings"/>).</summary>
    public IReadOnlyDictionary<string, ArmNode> AppSettings(string module)
    {
        var template = ModuleTemplate(module);
        var resource = Resources(template)
            .Single(r => (string?)r.Resource["type"] == "Microsoft.Web/sites/config"
                && r.Resource["name"]!.GetValue<string>().EndsWith("'appsettings')]", StringComparison.Ordinal))
            .Resource;
        return ArmExpression.Settings(template, resource["properties"]!);
    }

    /// <summary>The one resource of a type in a module's template.</summary>
    public JsonObject ModuleResource(string module, string type) =>
        Resources(ModuleTemplate(module)).Single(r => (string?)r.Resource["type"] == type).Resource;

    /// <summary>
    /// The value main.bicep passes to a module parameter, resolving a plain <c>[variables('x')]</c> reference.
    /// </summary>
    public string ModuleParameter(string module, string parameter)
    {
        var value = Module(module)["properties"]!["parameters"]![parameter]!["value"]!.GetValue<string>();
        var match = VariableReference().Match(value);
        return match.Success ? Root["variables"]![match.Groups[1].Value]!.GetValue<string>() : value;
    }

    /// <summary>Resources of a template, whether it lists them as an array or (language version 2.0) by symbolic name.</summary>
    public static IEnumerable<(string? SymbolicName, JsonObject Resource)> Resources(JsonObject template) =>
        template["resources"] switch
        {
            JsonArray array => array.Select(r => ((string?)null, r!.AsObject())),
            JsonObject byName => byName.Select(p => ((string?)p.Key, p.Value!.AsObject())),
            _ => [],
        };

    /// <summary>
    /// Names of the resources of one type a template creates: the elements of the variable a copy loop runs
    /// over (<c>variables('v')[copyIndex()]</c> as the last name segment), the literal last name segment, or a
    /// parameter as the last segment, resolved with <paramref name="parameterValue"/> when given.
    /// </summary>
    public static IReadOnlySet<string> CreatedNames(
        JsonObject template, string resourceType, Func<string, string>? parameterValue = null)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, resource) in Resources(template).Where(r => (string?)r.Resource["type"] == resourceType))
        {
            var name = resource["name"]!.GetValue<string>();
            if (LoopOverVariable().Match(name) is { Success: true } loop)
            {
                foreach (var element in template["variables"]![loop.Groups[1].Value]!.AsArray())
                {
                    names.Add(element!.GetValue<string>());
                }
            }
            else if (LiteralLastSegment().Match(name) is { Success: true } literal)
            {
                names.Add(literal.Groups[1].Value);
            }
            else if (parameterValue is not null && ParameterLastSegment().Match(name) is { Success: true } parameter)
            {
                names.Add(parameterValue(parameter.Groups[1].Value));
            }
        }

        return names;
    }

    [GeneratedRegex(@"^\[variables\('(\w+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"variables\('(\w+)'\)\[copyIndex\(\)\]\)\]$")]
    private static partial Regex LoopOverVariable();

    [GeneratedRegex(@"'([a-z0-9-]+)'\)\]$")]
    private static partial Regex LiteralLastSegment();

    [GeneratedRegex(@"parameters\('(\w+)'\)\)\]$")]
    private static partial Regex ParameterLastSegment();
}

/// <summary>Runs the Bicep CLI.</summary>
internal static class Bicep
{
    public static string Run(params string[] arguments)
    {
        EnsureExecutable(Repo.BicepExe);
        var start = new ProcessStartInfo(Repo.BicepExe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Repo.BicepExe}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }

        var errors = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0 || errors.Length > 0)
        {
            throw new InvalidOperationException($"bicep {string.Join(' ', arguments)} exited {process.ExitCode}:\n{errors}");
        }

        return stdout.GetAwaiter().GetResult();
    }

    // A package extracted by some NuGet clients loses the executable bit.
    private static void EnsureExecutable(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {path}: run `dotnet restore tests/PushGov.Deployment.Tests`.", path);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }
    }
}

[CollectionDefinition("Bicep")]
public sealed class BicepCollection : ICollectionFixture<CompiledTemplate>;
