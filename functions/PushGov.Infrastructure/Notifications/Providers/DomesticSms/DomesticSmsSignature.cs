using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PushGov.Infrastructure.Notifications.Providers.DomesticSms;

/// <summary>Why a signature was refused (or that it was not).</summary>
public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Mismatch,
    Stale,
}

/// <summary>
/// The signature of PushGov's domestic SMS provider contract, both ways (our requests to the provider and its delivery
/// callbacks to us): header <c>X-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> where
/// <c>hex = lowercase hex(HMAC-SHA256(UTF-8 secret, t + "." + raw body))</c>. A receiver recomputes it over the raw
/// bytes it got and refuses timestamps more than <see cref="DefaultTolerance"/> from its clock (replays).
/// Several <c>v1=</c> entries may be present while a secret is being rotated; one matching is enough.
/// </summary>
public static class DomesticSmsSignature
{
    public const string HeaderName = "X-Signature";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }

    /// <summary>The header value for a body signed now.</summary>
    public static string Header(string secret, DateTimeOffset now, ReadOnlySpan<byte> body)
    {
        var t = now.ToUnixTimeSeconds();
        return $"t={t.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, t, body)}";
    }

    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now) =>
        Verify(header, body, secret, now, DefaultTolerance);

    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        long? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return SignatureCheck.Malformed;
            }

            var name = part[..eq];
            var value = part[(eq + 1)..];
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (name == "v1")
            {
                candidates.Add(value);
            }
        }

        if (timestamp is null || candidates.Count == 0)
        {
            return SignatureCheck.Malformed;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp.Value);
        if (age.Duration() > tolerance)
        {
            return SignatureCheck.Stale;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp.Value, body));
        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate.ToLowerInvariant())))
            {
                return SignatureCheck.Valid;
            }
        }

        return SignatureCheck.Mismatch;
    }
}
