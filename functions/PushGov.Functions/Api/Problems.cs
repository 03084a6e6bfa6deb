using System.Text.Json;
using PushGov.Domain.Serialization;
using PushGov.Functions.Contract;

namespace PushGov.Functions.Api;

/// <summary>Errors as <c>application/problem+json</c> (RFC 9457): the host's side of <see cref="ApiProblem"/>.</summary>
public static class Problems
{
    /// <summary>An id fit for a table key and a route (<see cref="ApiPatterns.Id"/>).</summary>
    public static bool IsSafeId(string? id) => ApiPatterns.IsId(id);

    public static IResult Result(ApiProblem problem) => problem.Errors is { } errors
        ? Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value), title: problem.Title, detail: problem.Detail, statusCode: problem.Status)
        : Results.Problem(title: problem.Title, detail: problem.Detail, statusCode: problem.Status);

    public static IResult NotFound(string what, string id) => Result(ApiProblem.NotFound(what, id));

    public static IResult Forbidden(string detail) => Result(ApiProblem.Forbidden(detail));

    public static IResult Conflict(string detail) => Result(ApiProblem.Conflict(detail));

    public static IResult Validation(params (string Field, string Message)[] errors) => Result(ApiProblem.Invalid(errors));

    /// <summary>The operation's query parameters, read against its description (<see cref="QueryParameters"/>).</summary>
    public static QueryParameters Query(HttpContext http, ApiOperation op) =>
        new(op, name => http.Request.Query.TryGetValue(name, out var v) ? [.. v] : []);

    /// <summary>Reads an optional JSON body: none is fine; malformed JSON or a wrong content type is a problem.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadOptionalJsonAsync<T>(HttpContext http, ApiOperation op, CancellationToken ct)
        where T : class
    {
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && !http.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (null, null);
        }

        return await ReadJsonAsync<T>(http, op, ct);
    }

    /// <summary>Reads the operation's JSON body: its media types (415 naming them), its size limit (413, counted while reading), then JSON (400 naming where).</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext http, ApiOperation op, CancellationToken ct)
        where T : class
    {
        var body = op.Body ?? throw new InvalidOperationException($"{op.Id} takes no body.");
        if (!body.Accepts(http.Request.ContentType))
        {
            return (null, Result(ApiProblem.UnsupportedMediaType(body, http.Request.ContentType)));
        }

        try
        {
            // Read at most the limit whatever the server's own limit, then parse.
            if (await BoundedBody.ReadAsync(http.Request.Body, http.Request.ContentLength, body.MaxBytes, ct) is not { } bytes)
            {
                return (null, Result(ApiProblem.TooLarge(body.MaxBytes)));
            }

            var value = JsonSerializer.Deserialize<T>(bytes, PushGovJson.Options);
            return value is null
                ? (null, Result(ApiProblem.Malformed("$", "The body is empty or null: send a JSON object.")))
                : (value, null);
        }
        catch (JsonException e)
        {
            var at = e.Path ?? "$";
            return (null, Result(ApiProblem.Malformed(at, $"The body is not valid JSON for this request (at {at}, line {e.LineNumber + 1}).")));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Result(ApiProblem.TooLarge(body.MaxBytes)));
        }
    }
}
