using System.Text.Json;
using System.Text.Json.Serialization;

namespace PushGov.Functions.CustomHandler;

/// <summary>
/// The request the Functions host posts to a custom handler at <c>/{FunctionName}</c> for a non-HTTP trigger:
/// <c>Data</c> holds the trigger and input bindings by binding name, <c>Metadata</c> the trigger metadata
/// (e.g. DequeueCount for a queue, the path parameters and BlobTrigger for a blob) and <c>sys</c>.
/// Source: https://learn.microsoft.com/azure/azure-functions/functions-custom-handlers#request-payload
/// </summary>
public sealed record InvocationRequest
{
    [JsonPropertyName("Data")]
    public Dictionary<string, JsonElement> Data { get; init; } = [];

    [JsonPropertyName("Metadata")]
    public Dictionary<string, JsonElement> Metadata { get; init; } = [];

    /// <summary>A binding's value as text: a JSON string as is, any other JSON (an object the host parsed) as its raw text.</summary>
    public string? DataText(string binding) => Text(Data, binding);

    public string? MetadataText(string key) => Text(Metadata, key);

    public int MetadataInt(string key, int fallback) =>
        Metadata.TryGetValue(key, out var v) && (v.ValueKind == JsonValueKind.Number ? v.TryGetInt32(out var i) : int.TryParse(v.ToString(), out i)) ? i : fallback;

    private static string? Text(Dictionary<string, JsonElement> values, string key) =>
        values.TryGetValue(key, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => v.GetRawText(),
            }
            : null;
}

/// <summary>
/// The response a custom handler returns: <c>Outputs</c> by output binding name, <c>Logs</c> (written to the
/// function's invocation log by the host), <c>ReturnValue</c> for a <c>$return</c> binding.
/// A non-2xx status tells the host the invocation failed (a queue message is then retried and finally poisoned).
/// </summary>
public sealed record InvocationResponse
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; init; } = [];

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; init; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; init; }
}

/// <summary>One function of the app, as the Functions host (or the local trigger host) invokes it.</summary>
public interface IFunction
{
    /// <summary>The function's name: its folder under function-definitions and the custom-handler route.</summary>
    string Name { get; }

    Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken ct);
}

/// <summary>A failure the host should not retry (bad input that will never succeed); the handler answers 200 with a log.</summary>
public sealed class PermanentInvocationException(string message) : Exception(message);
