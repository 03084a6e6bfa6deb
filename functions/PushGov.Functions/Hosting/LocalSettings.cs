using System.Text.Json;

namespace PushGov.Functions.Hosting;

/// <summary>
/// Reads <c>local.settings.json</c> the way the Functions host does: every entry of <c>Values</c> becomes a setting
/// (an environment variable there), with <c>__</c> standing for the configuration section separator.
/// Real environment variables win, as in the Functions host.
/// </summary>
public static class LocalSettings
{
    public static IConfigurationBuilder AddLocalSettings(this IConfigurationBuilder builder, string path)
    {
        if (!File.Exists(path))
        {
            return builder;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (doc.RootElement.TryGetProperty("Values", out var v) && v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                values[p.Name.Replace("__", ":", StringComparison.Ordinal)] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
            }
        }

        if (doc.RootElement.TryGetProperty("ConnectionStrings", out var cs) && cs.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in cs.EnumerateObject())
            {
                values["ConnectionStrings:" + p.Name] = p.Value.GetString();
            }
        }

        return builder.AddInMemoryCollection(values);
    }
}
