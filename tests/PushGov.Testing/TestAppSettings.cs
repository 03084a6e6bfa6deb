using PushGov.Domain.Residents;

namespace PushGov.Testing;

/// <summary>
/// The settings the app needs to start (storage, the API key pepper, the key of residents' links, a Durable task hub of its
/// own), one copy for every test and benchmark that runs the app on Azurite; callers add or override the rest.
/// </summary>
public static class TestAppSettings
{
    public const string Pepper = "test-pepper-0123456789abcdef";

    /// <summary>The app's key for residents' signed links (tests sign links of their own with it).</summary>
    public const string LinkKey = "test-resident-link-key-0123456789";

    /// <summary>The settings on <paramref name="connectionString"/>, with a new task hub named <paramref name="taskHubPrefix"/> and 8 hex digits.</summary>
    public static Dictionary<string, string?> For(string connectionString, string taskHubPrefix = "t") => new()
    {
        ["AzureWebJobsStorage"] = connectionString,
        ["PushGov:ApiKeyPepper"] = Pepper,
        [ResidentLinkSigner.Setting] = LinkKey,
        ["PushGov:TaskHub"] = taskHubPrefix + Guid.NewGuid().ToString("N")[..8],
    };
}
