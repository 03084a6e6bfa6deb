using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace PushGov.LocalHost;

/// <summary>
/// The app's configuration and host.json, assembled as the Functions host does: local.settings.json "Values" (with
/// <c>__</c> read as <c>:</c>), then environment variables, then explicit settings; host.json values can be overridden
/// by settings under <c>AzureFunctionsJobHost:</c> (e.g. <c>AzureFunctionsJobHost__extensions__durableTask__hubName</c>).
/// </summary>
public sealed class HostSettings
{
    private HostSettings(IConfigurationRoot configuration, IConfiguration hostJson)
    {
        Configuration = configuration;
        HostJson = hostJson;
    }

    /// <summary>The app's configuration (what IConfiguration gives the app's services).</summary>
    public IConfigurationRoot Configuration { get; }

    /// <summary>host.json with the AzureFunctionsJobHost overrides applied.</summary>
    public IConfiguration HostJson { get; }

    public static HostSettings Load(LocalHostOptions options)
    {
        var values = ReadLocalSettingsValues(options.LocalSettingsPath ?? Path.Combine(options.AppDirectory, "local.settings.json"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(options.Settings.ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => p.Value))
            .Build();

        var hostJsonPath = Path.GetFullPath(options.HostJsonPath ?? Path.Combine(options.AppDirectory, "host.json"));
        var hostJson = new ConfigurationBuilder();
        if (File.Exists(hostJsonPath))
        {
            hostJson.AddJsonFile(hostJsonPath, optional: false);
        }

        hostJson.AddInMemoryCollection(configuration.GetSection("AzureFunctionsJobHost").AsEnumerable(makePathsRelative: true)
            .Where(p => p.Value is not null));
        return new HostSettings(configuration, hostJson.Build());
    }

    /// <summary>Resolves <c>%Setting%</c> expressions in a binding property (queue names, paths, schedules, hub names).</summary>
    public string Resolve(string value)
    {
        var parts = value.Split('%');
        if (parts.Length % 2 == 0)
        {
            throw new InvalidOperationException($"Unbalanced '%' in binding expression '{value}'.");
        }

        for (var i = 1; i < parts.Length; i += 2)
        {
            parts[i] = Configuration[parts[i]] ?? throw new InvalidOperationException($"The setting '{parts[i]}' used in '{value}' is not set.");
        }

        return string.Concat(parts);
    }

    /// <summary>The storage connection string named by a binding's <c>connection</c> (default AzureWebJobsStorage).</summary>
    public string StorageConnection(string? connection)
    {
        var name = string.IsNullOrEmpty(connection) ? "AzureWebJobsStorage" : connection;
        return Configuration[name] ?? Configuration["AzureWebJobs" + name] ?? Configuration.GetConnectionString(name)
            ?? throw new InvalidOperationException($"The storage connection setting '{name}' is not set.");
    }

    public T HostValue<T>(string key, T defaultValue) => HostJson.GetValue(key, defaultValue)!;

    private static Dictionary<string, string?> ReadLocalSettingsValues(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (document.RootElement.TryGetProperty("Values", out var settings))
        {
            foreach (var setting in settings.EnumerateObject())
            {
                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] = setting.Value.ValueKind == JsonValueKind.String
                    ? setting.Value.GetString()
                    : setting.Value.GetRawText();
            }
        }

        return values;
    }
}
