namespace PushGov.Infrastructure.Notifications.Providers.Acs;

/// <summary>
/// An ACS connection string, <c>endpoint=https://contoso.communication.azure.com/;accesskey=BASE64</c>
/// (keys in any case and order; values may contain '=', as base64 keys do).
/// </summary>
public sealed record AcsConnectionString(Uri Endpoint, string AccessKey)
{
    public static AcsConnectionString Parse(string connectionString)
    {
        if (!TryParse(connectionString, out var parsed, out var error))
        {
            throw new FormatException($"Invalid ACS connection string: {error}");
        }

        return parsed;
    }

    public static bool TryParse(string? connectionString, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AcsConnectionString? parsed, out string error)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = "empty";
            return false;
        }

        string? endpoint = null;
        string? key = null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = "a part has no 'name=value' form";
                return false;
            }

            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (name.Equals("endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (name.Equals("accesskey", StringComparison.OrdinalIgnoreCase))
            {
                key = value;
            }
        }

        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            error = "no absolute http(s) 'endpoint'";
            return false;
        }

        if (string.IsNullOrEmpty(key) || !IsBase64(key))
        {
            error = "no base64 'accesskey'";
            return false;
        }

        parsed = new AcsConnectionString(AcsOptions.NormalizeEndpoint(uri), key);
        error = string.Empty;
        return true;
    }

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"endpoint={Endpoint};accesskey=(redacted)";

    private static bool IsBase64(string value)
    {
        Span<byte> buffer = stackalloc byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }
}
