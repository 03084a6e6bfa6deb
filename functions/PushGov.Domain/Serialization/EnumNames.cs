namespace PushGov.Domain.Serialization;

/// <summary>
/// Enums read from outside (requests, tokens): only a defined name, exactly as written (the API documents each list).
/// Unlike <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/>, numbers ("999", "2"), comma lists ("A,B"),
/// other cases and padded text are refused, so what is stored is always one of the names.
/// </summary>
public static class EnumNames
{
    /// <summary>Parses <paramref name="text"/> against the names <paramref name="name"/> gives (default: the C# names).</summary>
    public static bool TryParse<T>(string? text, out T value, Func<T, string>? name = null)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(name is null ? candidate.ToString() : name(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The accepted names, in declaration order.</summary>
    public static IReadOnlyList<string> Of<T>(Func<T, string>? name = null)
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(v => name is null ? v.ToString() : name(v))];

    /// <summary>The API's name of a channel: lowercase (sms, email, post).</summary>
    public static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
