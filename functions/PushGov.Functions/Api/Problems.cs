using System.Text.Json;
using PushGov.Domain.Serialization;

namespace PushGov.Functions.Api;

/// <summary>Errors as <c>application/problem+json</c> (RFC 9457) with a clear title and detail.</summary>
public static partial class Problems
{
    /// <summary>The largest JSON body a JSON route reads (drops are streamed and have their own limit).</summary>
    public const int MaxJsonBytes = 64 * 1024;

    /// <summary>An id fit for a table key and a route: letters, digits, '-', '_', '.', ':' (1–128; no '/', '|', controls).</summary>
    public static bool IsSafeId(string? id) => id is not null && SafeId().IsMatch(id);

    public static IResult TooLarge(long limit) =>
        Results.Problem(title: "Payload too large", detail: $"This endpoint accepts a body of at most {limit / 1024} KiB.", statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult NotFound(string what, string id) =>
        Results.Problem(title: $"No such {what}", detail: $"There is no {what} '{Truncate(id)}' for this tenant.", statusCode: StatusCodes.Status404NotFound);

    public static IResult Forbidden(string detail) =>
        Results.Problem(title: "Forbidden", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static IResult Conflict(string detail) =>
        Results.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static IResult Validation(params (string Field, string Message)[] errors) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: "The request is not valid",
            detail: string.Join(" ", errors.Select(e => e.Message)));

    /// <summary>Reads an optional JSON body: none is fine; malformed JSON or a wrong content type is a problem.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadOptionalJsonAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && !http.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (null, null);
        }

        return await ReadJsonAsync<T>(http, ct);
    }

    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, Results.Problem(title: "Unsupported media type", detail: "Send the body as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        if (http.Request.ContentLength is > MaxJsonBytes)
        {
            return (null, TooLarge(MaxJsonBytes));
        }

        try
        {
            // Read at most the limit (plus one byte to notice more) whatever the server's own limit, then parse.
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxJsonBytes)
                {
                    return (null, TooLarge(MaxJsonBytes));
                }
            }

            buffer.Position = 0;
            var value = JsonSerializer.Deserialize<T>(buffer, PushGovJson.Options);
            return value is null
                ? (null, Results.Problem(title: "Malformed JSON", detail: "The body is empty or null.", statusCode: StatusCodes.Status400BadRequest))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Results.Problem(title: "Malformed JSON", detail: $"The body is not valid JSON for this request (at {e.Path ?? "$"}, line {e.LineNumber + 1}).", statusCode: StatusCodes.Status400BadRequest));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(MaxJsonBytes));
        }
    }

    private static string Truncate(string id) => id.Length > 80 ? id[..80] + "…" : id;

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SafeId();
}
