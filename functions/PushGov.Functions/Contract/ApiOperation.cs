using System.Text.RegularExpressions;

namespace PushGov.Functions.Contract;

/// <summary>
/// One operation of the HTTP API as the contract describes it, independent of the host that serves it (today ASP.NET
/// Core routes, tomorrow HTTP-triggered functions): route, who may call it, what it reads and every answer it gives.
/// The handlers read their limits, media types and permission from here, and <see cref="OpenApiDocument"/> writes
/// <c>/api/openapi.json</c> from it, so the document and the code share one source.
/// </summary>
public sealed record ApiOperation(string Id, string Method, string Route, string Tag, string Summary)
{
    /// <summary>The permission a tenant credential needs (see <see cref="ApiPermissions"/>); null: not a tenant route.</summary>
    public ApiPermission? Permission { get; init; }

    /// <summary>The audit action written for every request that reaches the handler; null: not audited.</summary>
    public string? Audit { get; init; }

    /// <summary>Names of the security schemes, any one of which authenticates (empty: anonymous).</summary>
    public IReadOnlyList<string> Security { get; init; } = [];

    public string? Description { get; init; }

    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    public ApiBody? Body { get; init; }

    public IReadOnlyList<ApiResponse> Responses { get; init; } = [];

    public ApiParameter Parameter(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"{Id} has no parameter '{name}'.", nameof(name));

    public ApiResponse? Response(int status) => Responses.FirstOrDefault(r => r.Status == status);
}

public enum ParameterIn
{
    Path,
    Query,
}

/// <summary>A parameter's value constraints, as the handler checks them and the document shows them.</summary>
public sealed record ValueSchema(string Type)
{
    public string? Format { get; init; }

    public long? Minimum { get; init; }

    public long? Maximum { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>An ECMAScript pattern anchored with <c>^…$</c> (the handler matches it with <c>\z</c>, see <see cref="ApiPatterns.Compile"/>).</summary>
    public string? Pattern { get; init; }

    public IReadOnlyList<string>? Enum { get; init; }

    public long? Default { get; init; }
}

public sealed record ApiParameter(string Name, ParameterIn In, ValueSchema Schema, string Description)
{
    /// <summary>Path parameters are always required; query parameters are optional unless said.</summary>
    public bool Required { get; init; } = In == ParameterIn.Path;
}

/// <summary>
/// The request body: the media types accepted (one list: the handler answers 415 naming them), its schema (a C# type
/// exported as JSON Schema; null with <see cref="Binary"/> for a stream) and its size limit.
/// </summary>
public sealed record ApiBody(IReadOnlyList<string> MediaTypes, Type? Schema, bool Required, long MaxBytes, string Description)
{
    public bool Binary { get; init; }

    /// <summary>True when <paramref name="contentType"/> (parameters such as charset ignored) is one of <see cref="MediaTypes"/>.</summary>
    public bool Accepts(string? contentType) => MediaType.Accepts(MediaTypes, contentType);
}

/// <summary>One answer: status, what it means, its media type and schema (problem+json for every error).</summary>
public sealed record ApiResponse(int Status, string Description, string? MediaType = MediaType.ProblemJson, Type? Schema = null);

/// <summary>Media types the API speaks.</summary>
public static class MediaType
{
    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";
    public const string Csv = "text/csv";
    public const string OctetStream = "application/octet-stream";
    public const string Html = "text/html";
    public const string Form = "application/x-www-form-urlencoded";
    public const string Multipart = "multipart/form-data";

    public static bool Accepts(IReadOnlyList<string> accepted, string? contentType)
    {
        var type = contentType?.Split(';')[0].Trim();
        return !string.IsNullOrEmpty(type) && accepted.Contains(type, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The 415 detail: which types this route takes.</summary>
    public static string Unsupported(IReadOnlyList<string> accepted, string? given) =>
        $"This route takes {string.Join(" or ", accepted)}; the request's Content-Type is {(string.IsNullOrWhiteSpace(given) ? "missing" : $"'{Short(given)}'")}.";

    private static string Short(string s) => s.Length > 60 ? s[..60] + "…" : s;
}

/// <summary>The patterns of ids and names in routes, one source for the handlers and the document.</summary>
public static class ApiPatterns
{
    /// <summary>A tenant: the 6-digit local government code (its check digit is checked against the credential).</summary>
    public const string Tenant = "^[0-9]{6}$";

    /// <summary>Case, resident and message ids: letters, digits and <c>-_.:</c>, 1–128, starting with a letter or digit.</summary>
    public const string Id = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

    /// <summary>A drop's file name: 1–100 letters, digits, <c>-_.</c>, ending in <c>.csv</c>.</summary>
    public const string DropName = "^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\\.csv$";

    private static readonly Regex IdRegex = Compile(Id);

    /// <summary>The pattern for .NET: <c>$</c> becomes <c>\z</c> (in .NET <c>$</c> also matches before a final newline).</summary>
    public static Regex Compile(string pattern) =>
        new(pattern.EndsWith('$') ? pattern[..^1] + "\\z" : pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static bool IsId(string? id) => id is not null && IdRegex.IsMatch(id);
}
