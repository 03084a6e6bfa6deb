using System.Text.Json;
using PushGov.Domain.Serialization;

namespace PushGov.Functions.Api;

/// <summary>Errors as <c>application/problem+json</c> (RFC 9457) with a clear title and detail.</summary>
public static class Problems
{
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

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, PushGovJson.Options, ct);
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
            return (null, Results.Problem(title: "Payload too large", detail: "The body is larger than this endpoint accepts.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }
    }

    private static string Truncate(string id) => id.Length > 80 ? id[..80] + "…" : id;
}
