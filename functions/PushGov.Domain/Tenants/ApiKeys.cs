using System.Security.Cryptography;
using System.Text;

namespace PushGov.Domain.Tenants;

/// <summary>What a key may do.</summary>
public enum ApiRole
{
    /// <summary>A residents' portal: preferences and "I applied" for the residents it serves.</summary>
    ResidentPortal,

    /// <summary>Municipal staff: case lists, case detail (audited), actions, drops.</summary>
    Staff,

    /// <summary>A tenant administrator: everything staff can, plus the audit log and keys.</summary>
    Admin,

    /// <summary>Like staff, but every message of what it starts goes to the development sink only (GOV.UK Notify's test keys).</summary>
    Test,
}

/// <summary>
/// API keys: <c>pg_{tenant}_{keyId}_{secret}</c>. The key is shown once; only an HMAC-SHA256 of the secret under a
/// server-side pepper is stored, so a leaked table does not leak keys.
/// </summary>
public static class ApiKeyFormat
{
    public sealed record Parsed(string Tenant, string KeyId, string Secret);

    public static string New(string tenant, string keyId, byte[] secret) =>
        $"pg_{tenant}_{keyId}_{Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

    public static Parsed? Parse(string? key)
    {
        if (key is null || key.Length > 200 || !key.StartsWith("pg_", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = key.Split('_', 4);
        return parts.Length == 4 && TenantCode.TryParse(parts[1], out _) && parts[2].Length is > 0 and <= 32 && parts[2].All(char.IsAsciiLetterOrDigit) && parts[3].Length >= 20
            ? new Parsed(parts[1], parts[2], parts[3])
            : null;
    }

    public static string Hash(string secret, string pepper) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(pepper), Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string pepper, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret, pepper)), Encoding.ASCII.GetBytes(storedHash));
}
