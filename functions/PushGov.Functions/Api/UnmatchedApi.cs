using System.Text.RegularExpressions;
using PushGov.Functions.Contract;

namespace PushGov.Functions.Api;

/// <summary>
/// The answer to a request no operation takes, as problem+json like every other error: 405 with <c>Allow</c> when the
/// path is an operation's with another method, else 404 (naming nothing of any tenant). It is the one HTTP function
/// that is not an operation of <see cref="ApiContract"/>: a catch-all route, which routing tries after every other route
/// (the Functions host and the local host alike), for every method.
/// </summary>
public static class UnmatchedApi
{
    private static readonly IReadOnlyList<(Regex Path, string Method)> Routes =
        [.. ApiContract.All.Select(op => (new Regex("^" + Regex.Replace(Regex.Escape(op.Route), @"\\\{[^/]*?}", "[^/]+") + "/?$", RegexOptions.CultureInvariant), op.Method))];

    /// <summary>The methods the operations on <paramref name="path"/> take (empty: no operation has this path).</summary>
    public static IReadOnlyList<string> MethodsOf(string path) =>
        [.. Routes.Where(r => r.Path.IsMatch(path)).Select(r => r.Method).Distinct(StringComparer.Ordinal)];

    internal static IResult Answer(HttpContext http)
    {
        var allowed = MethodsOf(http.Request.Path.Value ?? "/");
        if (allowed.Count == 0)
        {
            return Problems.Result(new ApiProblem(StatusCodes.Status404NotFound, "Not found", "There is no such resource. The routes are listed at /api/openapi.json."));
        }

        http.Response.Headers.Allow = string.Join(", ", allowed);
        var method = http.Request.Method.Length > 20 ? http.Request.Method[..20] + "…" : http.Request.Method;
        return Problems.Result(new ApiProblem(StatusCodes.Status405MethodNotAllowed, "Method not allowed", $"This route does not take {method}; it takes {string.Join(", ", allowed)}."));
    }
}

/// <summary>The catch-all HTTP function (every method, any path under the route prefix).</summary>
public sealed class UnmatchedFunctions
{
    public const string Name = "Unmatched";

    [Function(Name)]
    public IResult Unmatched([HttpTrigger(AuthorizationLevel.Anonymous, Route = "{*path}")] HttpRequest req) => UnmatchedApi.Answer(req.HttpContext);
}
