using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using PushGov.Domain.Cases;

namespace PushGov.Domain.Residents;

/// <summary>What checking a link found. Every way a link can be wrong is one answer to the resident (<see cref="Valid"/> or not).</summary>
public enum ResidentLinkStatus
{
    Valid,

    /// <summary>Not a link this key made: forged, altered, truncated, of another case or tenant, or not a token at all.</summary>
    Invalid,

    /// <summary>Signed correctly, but its last day (Asia/Tokyo) has passed.</summary>
    Expired,
}

/// <summary>A checked link: the resident's tag (see <see cref="ResidentLinkSigner.ResidentTag"/>) and the link's last day.</summary>
public readonly record struct ResidentLinkCheck(ResidentLinkStatus Status, string? ResidentTag, DateOnly? LastDay)
{
    public bool IsValid => Status == ResidentLinkStatus.Valid;
}

/// <summary>
/// The signed link a message gives a resident to their case page: <c>{portal}/r/{tenant}/{caseId}/{token}</c>.
/// <para>
/// The token is 21 bytes in base64url (28 characters): a version byte (1), the link's last day (days since
/// 2000-01-01, big-endian 16 bits), the resident's tag (6 bytes) and a MAC (the first 12 bytes of
/// HMAC-SHA256 under the key over a purpose string, the tenant, the case id and the first 9 bytes). The resident's tag is
/// the first 6 bytes of an HMAC of the tenant, case and 宛名番号 under the same key: it tells the residents of one case
/// apart without naming any of them (no personal data, not reversible without the key). Changing any byte of the token,
/// the tenant or the case id fails the MAC; 96 bits of MAC cannot be guessed. Revocation is kept apart (a list in
/// storage, by case and tag): this class only signs and checks.
/// </para>
/// </summary>
public sealed class ResidentLinkSigner
{
    /// <summary>The shortest key accepted, in characters of the setting.</summary>
    public const int MinKeyLength = 32;

    public const byte Version = 1;

    /// <summary>Base64url characters of a token.</summary>
    public const int TokenLength = 28;

    private const int PayloadBytes = 9;
    private const int TagBytes = 6;
    private const int MacBytes = 12;
    private const int TokenBytes = PayloadBytes + MacBytes;

    private static readonly DateOnly Epoch = new(2000, 1, 1);

    private readonly byte[] key;

    public ResidentLinkSigner(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length < MinKeyLength)
        {
            throw new ArgumentException($"The resident link key must have at least {MinKeyLength} characters.", nameof(key));
        }

        this.key = Encoding.UTF8.GetBytes(key);
    }

    /// <summary>The setting the key is read from (<c>PushGov__ResidentLinks__Key</c> in the environment; a Key Vault reference in Azure).</summary>
    public const string Setting = "PushGov:ResidentLinks:Key";

    /// <summary>The signer of the key in <see cref="Setting"/>; missing, too short or an unresolved Key Vault reference: the app must not start.</summary>
    public static ResidentLinkSigner FromSetting(string? value) =>
        value is { Length: >= MinKeyLength } key && !key.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase)
            ? new ResidentLinkSigner(key)
            : throw new InvalidOperationException($"{Setting} must be set (at least {MinKeyLength} characters; in Azure a resolved Key Vault reference): it signs the links to residents' case pages.");

    /// <summary>The first day a link can no longer be given (the last day must fit 16 bits of days after 2000-01-01).</summary>
    public static DateOnly MaxLastDay { get; } = Epoch.AddDays(ushort.MaxValue);

    /// <summary>
    /// The last day a case's links work: the latest deadline of what the case offers plus <paramref name="daysAfterDeadline"/>;
    /// a case without any deadline: its event date plus a year, plus those days.
    /// </summary>
    public static DateOnly LastDayFor(CaseData c, int daysAfterDeadline)
    {
        var latest = c.Matches.Select(m => m.Deadline).Where(d => d is not null).Max() ?? c.Event.EventDate.AddYears(1);
        var last = latest.AddDays(daysAfterDeadline);
        return last < MaxLastDay ? last : MaxLastDay.AddDays(-1);
    }

    /// <summary>The resident's pseudonym within one case: 12 hex digits, derived with the key.</summary>
    public string ResidentTag(string tenant, string caseId, string residentId) =>
        Convert.ToHexStringLower(Mac("pushgov/resident-tag/v1", tenant, caseId, Encoding.UTF8.GetBytes(residentId))[..TagBytes]);

    /// <summary>A token for this resident and case, valid through <paramref name="lastDay"/> (Asia/Tokyo).</summary>
    public string Sign(string tenant, string caseId, string residentId, DateOnly lastDay)
    {
        if (lastDay < Epoch || lastDay >= MaxLastDay)
        {
            throw new ArgumentOutOfRangeException(nameof(lastDay), lastDay, $"A link's last day is from {Epoch:yyyy-MM-dd} to before {MaxLastDay:yyyy-MM-dd}.");
        }

        Span<byte> token = stackalloc byte[TokenBytes];
        token[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(token[1..3], (ushort)(lastDay.DayNumber - Epoch.DayNumber));
        Convert.FromHexString(ResidentTag(tenant, caseId, residentId), token[3..PayloadBytes], out _, out _);
        Mac("pushgov/resident-link/v1", tenant, caseId, token[..PayloadBytes]).AsSpan(0, MacBytes).CopyTo(token[PayloadBytes..]);
        return Base64UrlEncode(token);
    }

    /// <summary>The case page a message links to.</summary>
    public Uri CaseUrl(Uri portalBase, string tenant, string caseId, string residentId, DateOnly lastDay)
    {
        var root = new Uri(portalBase.AbsoluteUri.TrimEnd('/') + "/");
        return new Uri(root, $"r/{Uri.EscapeDataString(tenant)}/{Uri.EscapeDataString(caseId)}/{Sign(tenant, caseId, residentId, lastDay)}");
    }

    /// <summary>Checks a token for this tenant and case on <paramref name="today"/> (Asia/Tokyo).</summary>
    public ResidentLinkCheck Check(string tenant, string caseId, string? token, DateOnly today)
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        if (token is not { Length: TokenLength } || !TryBase64UrlDecode(token, bytes) || bytes[0] != Version)
        {
            return new(ResidentLinkStatus.Invalid, null, null);
        }

        var expected = Mac("pushgov/resident-link/v1", tenant, caseId, bytes[..PayloadBytes]);
        if (!CryptographicOperations.FixedTimeEquals(expected.AsSpan(0, MacBytes), bytes[PayloadBytes..]))
        {
            return new(ResidentLinkStatus.Invalid, null, null);
        }

        var lastDay = Epoch.AddDays(BinaryPrimitives.ReadUInt16BigEndian(bytes[1..3]));
        var tag = Convert.ToHexStringLower(bytes[3..PayloadBytes]);
        return new(today > lastDay ? ResidentLinkStatus.Expired : ResidentLinkStatus.Valid, tag, lastDay);
    }

    private byte[] Mac(string purpose, string tenant, string caseId, ReadOnlySpan<byte> data)
    {
        // Length-prefixed fields: no two different (tenant, case, data) can write the same input.
        var head = Encoding.UTF8.GetBytes($"{purpose}\n{tenant.Length}:{tenant}\n{caseId.Length}:{caseId}\n{data.Length}:");
        var input = new byte[head.Length + data.Length];
        head.CopyTo(input, 0);
        data.CopyTo(input.AsSpan(head.Length));
        return HMACSHA256.HashData(key, input);
    }

    private static string Base64UrlEncode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64UrlDecode(string text, Span<byte> into)
    {
        foreach (var ch in text)
        {
            if (!char.IsAsciiLetterOrDigit(ch) && ch is not '-' and not '_')
            {
                return false;
            }
        }

        // 28 characters are exactly 21 bytes: no padding, and the last character carries no spare bits.
        var standard = text.Replace('-', '+').Replace('_', '/');
        return Convert.TryFromBase64String(standard, into, out var written) && written == TokenBytes;
    }
}
