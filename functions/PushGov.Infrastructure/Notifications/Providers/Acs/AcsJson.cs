using System.Text.Json;
using System.Text.Json.Serialization;

namespace PushGov.Infrastructure.Notifications.Providers.Acs;

/// <summary>JSON as the ACS REST APIs write it: camelCase, nulls left out, names read without regard to case.</summary>
internal static class AcsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The <c>error.message</c> (or <c>error.code</c>) of an ACS error body, if there is one.</summary>
    public static string? ErrorText(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            var error = JsonSerializer.Deserialize<ErrorBody>(body, Options)?.Error;
            return error is null ? null : $"{error.Code}: {error.Message}".Trim(' ', ':');
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal sealed record ErrorBody(ErrorDetail? Error);

    internal sealed record ErrorDetail(string? Code, string? Message);
}
