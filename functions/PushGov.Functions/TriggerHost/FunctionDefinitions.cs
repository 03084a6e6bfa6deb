using System.Text.Json;
using System.Text.Json.Nodes;

namespace PushGov.Functions.TriggerHost;

/// <summary>One binding of a <c>function.json</c>, with the properties the trigger host needs.</summary>
public sealed record BindingDefinition(string Type, string Name, string Direction, string? Path, string? QueueName, string? Schedule, string? Connection, string? Source);

/// <summary>A function as its <c>{Name}/function.json</c> declares it.</summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<BindingDefinition> Bindings)
{
    public BindingDefinition? Trigger => Bindings.FirstOrDefault(b => b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads every <c>*/function.json</c> directly under <paramref name="scriptRoot"/> (the Functions host's layout).</summary>
    public static IReadOnlyList<FunctionDefinition> LoadAll(string scriptRoot)
    {
        var list = new List<FunctionDefinition>();
        foreach (var file in Directory.EnumerateFiles(scriptRoot, "function.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var dir = Path.GetDirectoryName(file)!;
            if (!string.Equals(Path.GetDirectoryName(dir), scriptRoot.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                continue; // only {root}/{Name}/function.json, as the host reads them
            }

            list.Add(Parse(Path.GetFileName(dir), File.ReadAllText(file)));
        }

        return list;
    }

    public static FunctionDefinition Parse(string name, string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"{name}/function.json is not a JSON object.");
        var bindings = (root["bindings"] as JsonArray ?? throw new FormatException($"{name}/function.json has no bindings."))
            .OfType<JsonObject>()
            .Select(b => new BindingDefinition(
                Str(b, "type") ?? throw new FormatException($"{name}/function.json: a binding has no type."),
                Str(b, "name") ?? throw new FormatException($"{name}/function.json: a binding has no name."),
                Str(b, "direction") ?? "in",
                Str(b, "path"),
                Str(b, "queueName"),
                Str(b, "schedule"),
                Str(b, "connection"),
                Str(b, "source")))
            .ToList();
        return new FunctionDefinition(name, bindings);
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>The parts of <c>host.json</c> the trigger host follows (same defaults as the Functions host).</summary>
public sealed record HostSettings(int MaxDequeueCount, TimeSpan VisibilityTimeout, int BatchSize, TimeSpan MaxPollingInterval)
{
    public static HostSettings Load(string path)
    {
        var defaults = new HostSettings(5, TimeSpan.Zero, 16, TimeSpan.FromMinutes(1));
        if (!File.Exists(path))
        {
            return defaults;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!doc.RootElement.TryGetProperty("extensions", out var ext) || !ext.TryGetProperty("queues", out var q))
        {
            return defaults;
        }

        return new HostSettings(
            q.TryGetProperty("maxDequeueCount", out var m) ? m.GetInt32() : defaults.MaxDequeueCount,
            q.TryGetProperty("visibilityTimeout", out var v) ? TimeSpan.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : defaults.VisibilityTimeout,
            q.TryGetProperty("batchSize", out var b) ? b.GetInt32() : defaults.BatchSize,
            q.TryGetProperty("maxPollingInterval", out var p) ? TimeSpan.Parse(p.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : defaults.MaxPollingInterval);
    }
}
