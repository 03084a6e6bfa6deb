using System.Security.Cryptography;
using System.Text;

namespace PushGov.Functions.Contract;

/// <summary>
/// Continuation tokens the API hands out: the store's own token, wrapped with an HMAC over the listing it belongs to
/// (tenant, route and filters). A token the API did not give for this listing — garbage, edited, another tenant's or
/// another filter's — does not open: the handler answers 400 naming <c>continuationToken</c> instead of silently
/// starting over or returning an empty page.
/// </summary>
public sealed class ContinuationTokens
{
    public const string Parameter = "continuationToken";

    private readonly byte[] _key;

    /// <summary>The key is derived from a server secret (the API key pepper) so tokens survive restarts and scale-out.</summary>
    public ContinuationTokens(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), "pushgov continuation tokens v1"u8);
    }

    /// <summary>The token to hand out for <paramref name="inner"/> (null stays null: the last page).</summary>
    public string? Seal(string scope, string? inner) =>
        inner is null ? null : $"{Base64Url(Encoding.UTF8.GetBytes(inner))}.{Base64Url(Mac(scope, inner))}";

    /// <summary>The store's token inside <paramref name="token"/>, or false when this API did not give it for <paramref name="scope"/>.</summary>
    public bool TryOpen(string scope, string token, out string inner)
    {
        inner = string.Empty;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length > 4000 || dot <= 0 || FromBase64Url(token[..dot]) is not { } payload || FromBase64Url(token[(dot + 1)..]) is not { } mac)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(scope, text)))
        {
            return false;
        }

        inner = text;
        return true;
    }

    /// <summary>The 400 for a token that does not open.</summary>
    public static ApiProblem Invalid() =>
        ApiProblem.Invalid((Parameter, "continuationToken: not one this API gave for this listing (pass the previous page's token unchanged, with the same filters)."));

    private byte[] Mac(string scope, string inner) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(scope + "\n" + inner))[..16];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length == 0 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return null;
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
