using System.Text.Json;
using PushGov.Domain.Drops;
using PushGov.Domain.Serialization;
using PushGov.Domain.Tenants;

namespace PushGov.Cli.Commands;

/// <summary>
/// Reads <c>--config</c>: a tenant configuration (its <c>drops</c> member) or plain drop options. The 外字 table
/// (<c>gaiji</c>) is validated here, every error naming the entry, its line in the file and the field.
/// </summary>
public static class DropConfig
{
    private static readonly HashSet<string> DropOptionNames = new(StringComparer.OrdinalIgnoreCase) { "encoding", "headers", "codes", "checkDigit", "maxFieldLength", "gaiji" };

    public static bool TryLoad(string path, out DropOptions options, out string? error)
    {
        options = DropOptions.Default;
        error = null;
        if (!File.Exists(path))
        {
            error = $"--config: no file '{path}'.";
            return false;
        }

        try
        {
            var text = File.ReadAllText(path);
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"--config {path}: expected a JSON object (a tenant configuration with \"drops\", or drop options).";
                return false;
            }

            var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            if (names.Any(n => n.Equals("drops", StringComparison.OrdinalIgnoreCase) || n.Equals("code", StringComparison.OrdinalIgnoreCase)))
            {
                var tenant = JsonSerializer.Deserialize<TenantConfig>(text, PushGovJson.Options)
                    ?? throw new JsonException("the tenant configuration is null");
                options = tenant.Drops;
                return ValidGaiji(path, text, options, inTenant: true, out error);
            }

            var unknown = names.Where(n => !DropOptionNames.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                error = $"--config {path}: neither a tenant configuration (no \"drops\" or \"code\") nor drop options: unknown member(s) {string.Join(", ", unknown.Select(n => $"\"{n}\""))}; drop options have {string.Join(", ", DropOptionNames)}.";
                return false;
            }

            options = DropOptions.FromJson(text);
            return ValidGaiji(path, text, options, inTenant: false, out error);
        }
        catch (JsonException e)
        {
            error = $"--config {path}: not valid JSON for a tenant configuration or drop options: {e.Message}";
            return false;
        }
    }

    private static bool ValidGaiji(string path, string json, DropOptions options, bool inTenant, out string? error)
    {
        error = null;
        var errors = GaijiTable.Validate(options.Gaiji, GaijiLines(json, inTenant));
        if (errors.Count == 0)
        {
            return true;
        }

        error = $"--config {path}: the 外字 table has {errors.Count} error(s):\n  " + string.Join("\n  ", errors.Select(e => (inTenant ? "drops." : string.Empty) + e));
        return false;
    }

    /// <summary>The 1-based line of each entry of the <c>gaiji</c> list (under <c>drops</c> in a tenant configuration).</summary>
    private static List<int> GaijiLines(string json, bool inTenant)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var lines = new List<int>();
        var listDepth = inTenant ? 2 : 1; // depth of the "gaiji" property
        var inDrops = !inTenant;
        var inList = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when inTenant && reader.CurrentDepth == 1:
                    inDrops = reader.ValueTextEquals("drops");
                    break;
                case JsonTokenType.PropertyName when inDrops && reader.CurrentDepth == listDepth && reader.ValueTextEquals("gaiji"):
                    inList = reader.Read() && reader.TokenType == JsonTokenType.StartArray;
                    break;
                case JsonTokenType.EndArray when inList && reader.CurrentDepth == listDepth:
                    return lines;
                case JsonTokenType.StartObject or JsonTokenType.Null when inList && reader.CurrentDepth == listDepth + 1:
                    lines.Add(bytes.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n') + 1);
                    break;
            }
        }

        return lines;
    }
}
