using System.Text.Json.Nodes;

namespace PushGov.Deployment.Tests;

/// <summary>
/// infra/app-settings.json (the function app) and infra/portal-settings.json (the portal): the one list of app setting
/// names shared by each app and its template. A name with <c>{tenantCode}</c> is set once per tenant of the template
/// parameter <see cref="Setting.PerTenant"/> names.
/// </summary>
internal static class AppSettings
{
    public sealed record Setting(string Name, string ReadBy, bool Secret, string Meaning, string? PerTenant);

    /// <summary>The function app's settings.</summary>
    public static IReadOnlyList<Setting> All { get; } = Load("app-settings.json");

    /// <summary>The portal's settings.</summary>
    public static IReadOnlyList<Setting> Portal { get; } = Load("portal-settings.json");

    private static List<Setting> Load(string file)
    {
        var root = JsonNode.Parse(File.ReadAllText(Repo.Path("infra", file)))!;
        return root["settings"]!.AsArray()
            .Select(s => new Setting(
                s!["name"]!.GetValue<string>(),
                s["readBy"]!.GetValue<string>(),
                s["secret"]?.GetValue<bool>() ?? false,
                s["meaning"]!.GetValue<string>(),
                s["perTenant"]?.GetValue<string>()))
            .ToList();
    }
}
