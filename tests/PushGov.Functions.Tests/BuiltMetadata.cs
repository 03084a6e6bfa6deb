using System.Text.Json;
using PushGov.Functions.Hosting;

namespace PushGov.Functions.Tests;

/// <summary>The functions.metadata the Worker SDK wrote when the app was built (copied beside the tests).</summary>
public static class BuiltMetadata
{
    public static string Path => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(PushGovServices).Assembly.Location)!, "functions.metadata");

    public static JsonDocument Read() => JsonDocument.Parse(File.ReadAllText(Path));

    /// <summary>Every HTTP-triggered function: its name, route (without the <c>api/</c> prefix) and methods (empty: every method).</summary>
    public static IReadOnlyList<(string Name, string Route, IReadOnlyList<string> Methods)> HttpFunctions()
    {
        using var doc = Read();
        return [.. doc.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
                .Select(b => (f.GetProperty("name").GetString()!, b.GetProperty("route").GetString()!, b.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array ? (IReadOnlyList<string>)[.. methods.EnumerateArray().Select(m => m.GetString()!)] : [])))];
    }
}
