using System.Text.Json;
using PushGov.Domain.Drops;
using PushGov.Domain.Serialization;
using PushGov.Domain.Tenants;

namespace PushGov.Cli.Commands;

/// <summary>Reads <c>--config</c>: a tenant configuration (its <c>drops</c> member) or plain drop options.</summary>
public static class DropConfig
{
    private static readonly HashSet<string> DropOptionNames = new(StringComparer.OrdinalIgnoreCase) { "encoding", "headers", "codes", "checkDigit", "maxFieldLength" };

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
                return true;
            }

            var unknown = names.Where(n => !DropOptionNames.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                error = $"--config {path}: neither a tenant configuration (no \"drops\" or \"code\") nor drop options: unknown member(s) {string.Join(", ", unknown.Select(n => $"\"{n}\""))}; drop options have {string.Join(", ", DropOptionNames)}.";
                return false;
            }

            options = DropOptions.FromJson(text);
            return true;
        }
        catch (JsonException e)
        {
            error = $"--config {path}: not valid JSON for a tenant configuration or drop options: {e.Message}";
            return false;
        }
    }
}
