using System.Security.Cryptography;
using System.Text;

namespace PushGov.Infrastructure.Notifications.Providers;

/// <summary>
/// GUIDs derived from an idempotency key: the same key (and purpose) always gives the same GUID, so a repeated send
/// carries the same ACS repeatability id / Operation-Id and the provider recognises it. SHA-256 of
/// "pushgov/{purpose}/{key}", first 16 bytes, stamped as an RFC 9562 version 8 (custom) UUID.
/// </summary>
public static class DeterministicIds
{
    public static Guid FromKey(string purpose, string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"pushgov/{purpose}/{idempotencyKey}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
