using System.Reflection;

namespace PushGov.Deployment.Tests;

/// <summary>Paths of the repository and of the Bicep CLI, fixed at build time (see the csproj).</summary>
internal static class Repo
{
    public static string Root { get; } = Metadata("RepoRoot");

    /// <summary>The Bicep CLI from the NuGet package; BICEP in the environment overrides it.</summary>
    public static string BicepExe { get; } =
        Environment.GetEnvironmentVariable("BICEP") is { Length: > 0 } overridden ? overridden : Metadata("BicepExe");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");
}
