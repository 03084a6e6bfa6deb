using System.Text.Json;
using PushGov.Infrastructure.Storage;

namespace PushGov.Cli;

/// <summary>
/// Settings for commands that touch storage, read like the app reads them: environment variables first
/// (<c>AzureWebJobsStorage</c>, <c>PushGov__ApiKeyPepper</c>), then <c>local.settings.json</c> Values in the current folder.
/// </summary>
public static class CliSettings
{
    public static string? Get(string name)
    {
        var env = Environment.GetEnvironmentVariable(name.Replace(":", "__", StringComparison.Ordinal));
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        var file = Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json");
        if (!File.Exists(file))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.TryGetProperty("Values", out var values) && values.TryGetProperty(name.Replace(":", "__", StringComparison.Ordinal), out var v) ? v.GetString() : null;
    }

    public static StorageClients Storage(string? connectionString) =>
        connectionString is { Length: > 0 } cs ? StorageClients.FromConnectionString(cs) : StorageClients.FromSettings(Get);

    public static string Pepper() =>
        Get("PushGov:ApiKeyPepper") is { Length: >= 16 } pepper
            ? pepper
            : throw new InvalidOperationException("PushGov__ApiKeyPepper is not set (at least 16 characters): set it in the environment or local.settings.json.");
}
