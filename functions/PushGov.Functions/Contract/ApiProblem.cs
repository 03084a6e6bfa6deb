namespace PushGov.Functions.Contract;

/// <summary>
/// An error as the API answers it (application/problem+json, RFC 9457), independent of the host: a title, the status,
/// a detail, and for invalid input <see cref="Errors"/> naming each parameter or field that was wrong.
/// </summary>
public sealed record ApiProblem(int Status, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static ApiProblem Invalid(params (string Field, string Message)[] errors) =>
        new(400, "The request is not valid", string.Join(" ", errors.Select(e => e.Message)), errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    public static ApiProblem Malformed(string field, string detail) => new(400, "Malformed request", detail, new Dictionary<string, string[]> { [field] = [detail] });

    public static ApiProblem NotFound(string what, string id) => new(404, $"No such {what}", $"There is no {what} '{Truncate(id)}' for this tenant.");

    public static ApiProblem Unauthorized(string detail) => new(401, "Unauthorized", detail);

    public static ApiProblem Forbidden(string detail) => new(403, "Forbidden", detail);

    public static ApiProblem Conflict(string detail) => new(409, "Conflict", detail);

    public static ApiProblem Internal() => new(500, "Internal server error", "Something went wrong on our side; it has been logged.");

    public static ApiProblem TooLarge(long limit) =>
        new(413, "Payload too large", $"This endpoint accepts a body of at most {(limit >= 1024 * 1024 ? $"{limit / (1024 * 1024)} MiB" : $"{limit / 1024} KiB")}.");

    public static ApiProblem UnsupportedMediaType(ApiBody body, string? given) => new(415, "Unsupported media type", MediaType.Unsupported(body.MediaTypes, given));

    public static string Truncate(string id) => id.Length > 80 ? id[..80] + "…" : id;
}
