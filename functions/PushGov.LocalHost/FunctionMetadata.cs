using System.Text.Json;

namespace PushGov.LocalHost;

/// <summary>One entry of the <c>functions.metadata</c> file the Worker SDK writes at build time.</summary>
public sealed record FunctionMetadata(string Name, string ScriptFile, string EntryPoint, IReadOnlyList<BindingMetadataEntry> Bindings)
{
    /// <summary>The file name the Worker SDK writes into the app's output directory.</summary>
    public const string FileName = "functions.metadata";

    /// <summary>The one input binding whose type ends in "Trigger".</summary>
    public BindingMetadataEntry Trigger => Bindings.Single(b => b.IsTrigger);

    /// <summary>Reads <see cref="FileName"/> from the app's output directory.</summary>
    public static IReadOnlyList<FunctionMetadata> Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{FileName} was not found: build the function app (the Worker SDK writes it into its output directory).", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(Parse)];
    }

    private static FunctionMetadata Parse(JsonElement function) => new(
        function.GetProperty("name").GetString()!,
        function.GetProperty("scriptFile").GetString()!,
        function.GetProperty("entryPoint").GetString()!,
        [.. function.GetProperty("bindings").EnumerateArray().Select(b => new BindingMetadataEntry(b.Clone()))]);
}

/// <summary>One binding of a function as <c>functions.metadata</c> lists it (type, direction, name and the binding's own properties).</summary>
public sealed class BindingMetadataEntry(JsonElement json)
{
    public string Name { get; } = json.GetProperty("name").GetString()!;

    /// <summary>httpTrigger, blobTrigger, queueTrigger, timerTrigger, orchestrationTrigger, activityTrigger, durableClient, http...</summary>
    public string Type { get; } = json.GetProperty("type").GetString()!;

    public bool IsInput { get; } = string.Equals(json.GetProperty("direction").GetString(), "In", StringComparison.OrdinalIgnoreCase);

    public bool IsTrigger => IsInput && Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>A string property of the binding (path, queueName, schedule, route, connection, source), or null.</summary>
    public string? this[string property] =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The HTTP methods of an httpTrigger (upper case), or empty for every method.</summary>
    public IReadOnlyList<string> Methods =>
        json.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
            ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())]
            : [];

    public bool IsType(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);
}
