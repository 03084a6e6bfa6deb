using System.Globalization;
using PushGov.Domain.Serialization;

namespace PushGov.Functions.Contract;

/// <summary>
/// Reads an operation's query parameters against its description (type, bounds, enum, pattern, length), whatever the
/// host: the caller gives a lookup of the raw values. Every problem is collected under the parameter's name, so the 400
/// names what was wrong; a parameter given twice is an error too.
/// </summary>
public sealed class QueryParameters(ApiOperation operation, Func<string, IReadOnlyList<string?>> values)
{
    private readonly List<(string Field, string Message)> _errors = [];

    public IReadOnlyList<(string Field, string Message)> Errors => _errors;

    /// <summary>The 400 for what was wrong, or null when everything read.</summary>
    public ApiProblem? Problem => _errors.Count > 0 ? ApiProblem.Invalid([.. _errors]) : null;

    public void Fail(string field, string message) => _errors.Add((field, message));

    public string? Text(string name)
    {
        var p = operation.Parameter(name);
        var raw = Raw(p);
        if (raw is null)
        {
            return null;
        }

        var s = p.Schema;
        if (s.Enum is { } allowed && !allowed.Contains(raw, StringComparer.Ordinal))
        {
            return Error(p, $"One of: {string.Join(", ", allowed)}.");
        }

        if ((s.MinLength is { } min && raw.Length < min) || (s.MaxLength is { } max && raw.Length > max))
        {
            return Error(p, $"{s.MinLength ?? 0} to {s.MaxLength} characters.");
        }

        if (s.Pattern is { } pattern && !ApiPatterns.Compile(pattern).IsMatch(raw))
        {
            return Error(p, $"Must match {pattern}.");
        }

        if (raw.Any(char.IsControl))
        {
            return Error(p, "No control characters.");
        }

        return raw;
    }

    public int? Int(string name)
    {
        var p = operation.Parameter(name);
        var raw = Raw(p);
        if (raw is null)
        {
            return null;
        }

        var (min, max) = (p.Schema.Minimum ?? int.MinValue, p.Schema.Maximum ?? int.MaxValue);
        return int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : ErrorValue<int>(p, $"An integer from {min} to {max}.");
    }

    public bool? Bool(string name)
    {
        var p = operation.Parameter(name);
        return Raw(p) switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => ErrorValue<bool>(p, "true or false."),
        };
    }

    /// <summary>A <c>date</c> (yyyy-MM-dd).</summary>
    public DateOnly? Date(string name)
    {
        var p = operation.Parameter(name);
        var raw = Raw(p);
        return raw is null ? null
            : DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : ErrorValue<DateOnly>(p, "A date such as 2026-11-22.");
    }

    /// <summary>A <c>date-time</c> (RFC 3339, e.g. 2026-11-22T09:00:00+09:00; without an offset: UTC).</summary>
    public DateTimeOffset? DateTime(string name)
    {
        var p = operation.Parameter(name);
        var raw = Raw(p);
        return raw is null ? null
            : raw.Length <= 40 && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d
            : ErrorValue<DateTimeOffset>(p, "A date and time such as 2026-11-22T09:00:00+09:00.");
    }

    /// <summary>One of the enum's names as the parameter's description lists them.</summary>
    public T? Enum<T>(string name, Func<T, string>? naming = null)
        where T : struct, Enum =>
        Text(name) is { } text ? (EnumNames.TryParse<T>(text, out var value, naming) ? value : ErrorValue<T>(operation.Parameter(name), $"Not a {typeof(T).Name}.")) : null;

    private string? Raw(ApiParameter p)
    {
        var given = values(p.Name);
        if (given.Count > 1)
        {
            Error(p, "Give it once.");
            return null;
        }

        return given.Count == 1 ? given[0] ?? string.Empty : null;
    }

    private string? Error(ApiParameter p, string message)
    {
        _errors.Add((p.Name, $"{p.Name}: {message}"));
        return null;
    }

    private T? ErrorValue<T>(ApiParameter p, string message)
        where T : struct
    {
        Error(p, message);
        return null;
    }
}
