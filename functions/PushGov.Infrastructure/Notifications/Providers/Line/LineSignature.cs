using System.Security.Cryptography;
using System.Text;

namespace PushGov.Infrastructure.Notifications.Providers.Line;

/// <summary>
/// The <c>X-Line-Signature</c> of a webhook: base64 of HMAC-SHA256 over the raw request body with the channel secret.
/// Compared in constant time; a missing or malformed header is simply not valid.
/// </summary>
public static class LineSignature
{
    public const string HeaderName = "X-Line-Signature";

    public static string Compute(string channelSecret, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelSecret);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), body));
    }

    public static bool IsValid(string channelSecret, ReadOnlySpan<byte> body, string? header)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelSecret);
        Span<byte> given = stackalloc byte[32];
        if (string.IsNullOrWhiteSpace(header) || !Convert.TryFromBase64String(header.Trim(), given, out var written) || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
