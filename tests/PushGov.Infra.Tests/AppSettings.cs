using System.Text.Json.Nodes;

namespace PushGov.Infra.Tests;

/// <summary>infra/app-settings.json: the one list of app setting names shared by the app and the template.</summary>
internal static class AppSettings
{
    public sealed record Setting(string Name, string ReadBy, bool Secret, string Meaning);

    public static IReadOnlyList<Setting> All { get; } = Load();

    private static List<Setting> Load()
    {
        var root = JsonNode.Parse(File.ReadAllText(Repo.Path("infra", "app-settings.json")))!;
        return root["settings"]!.AsArray()
            .Select(s => new Setting(
                s!["name"]!.GetValue<string>(),
                s["readBy"]!.GetValue<string>(),
                s["secret"]?.GetValue<bool>() ?? false,
                s["meaning"]!.GetValue<string>()))
            .ToList();
    }
}
