using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace PushGov.Domain.Detection;

/// <summary>
/// Stable life-event ids: <c>{KIND}-{20 hex digits}</c>, the hex being the first 80 bits of XXH3-128
/// (seed 0, canonical big-endian output) over the UTF-8 of <c>tenant|KIND|subject|yyyy-MM-dd|recordId</c>.
/// No clock and no random number: detecting the same fact again gives the same id. The subject is the
/// 宛名番号 (or, for a fact about two people such as a marriage, both ids joined in ordinal order with
/// <c>+</c>; for a household fact, <c>household:</c> and the 世帯番号).
/// XXH3-128 is not a cryptographic hash; an id only needs to be stable and collision-free among one
/// tenant's events (80 bits: a collision among 10 million events has odds of about 4 in 10^11).
/// </summary>
public static class EventIds
{
    private static readonly string[] KindNames = Enum.GetNames<LifeEventKind>();

    public static string For(string tenant, LifeEventKind kind, string subject, DateOnly date, string? recordId) =>
        Format(kind, Hash(tenant, kind, subject, date, recordId));

    /// <summary>The 128-bit hash behind an id; <see cref="EmittedEvents"/> remembers these.</summary>
    public static UInt128 Hash(string tenant, LifeEventKind kind, string subject, DateOnly date, string? recordId)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(subject);
        var kindName = KindNames[(int)kind];
        recordId ??= string.Empty;
        var max = Encoding.UTF8.GetMaxByteCount(tenant.Length + kindName.Length + subject.Length + recordId.Length) + 16;
        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var n = Encoding.UTF8.GetBytes(tenant, buffer);
        buffer[n++] = (byte)'|';
        n += Encoding.UTF8.GetBytes(kindName, buffer[n..]);
        buffer[n++] = (byte)'|';
        n += Encoding.UTF8.GetBytes(subject, buffer[n..]);
        buffer[n++] = (byte)'|';
        IsoDate.Write(date, buffer[n..]);
        n += IsoDate.Length;
        buffer[n++] = (byte)'|';
        n += Encoding.UTF8.GetBytes(recordId, buffer[n..]);

        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(buffer[..n], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    public static string Format(LifeEventKind kind, UInt128 hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, hash);
        return string.Concat(KindNames[(int)kind], "-", Convert.ToHexStringLower(bytes[..10]));
    }

    /// <summary>The subject of a fact about two residents: both ids in ordinal order, joined with <c>+</c>.</summary>
    public static string PairSubject(string a, string b) =>
        string.CompareOrdinal(a, b) <= 0 ? string.Concat(a, "+", b) : string.Concat(b, "+", a);

    /// <summary>The subject of a fact about a household.</summary>
    public static string HouseholdSubject(string householdId) => "household:" + householdId;
}

/// <summary>
/// The events already emitted, by id hash, so that applying the same row (or sweeping the same day) again
/// yields no new event; share one between a detector and a sweep. An open-addressing table of the hashes (16 to 32
/// bytes an event, nothing for the garbage collector to trace), the zero hash held apart as the table's empty slot.
/// </summary>
public sealed class EmittedEvents
{
    private UInt128[] slots = new UInt128[16];
    private int shift = 64 - 4;
    private int stored;
    private bool zero;

    public int Count => stored + (zero ? 1 : 0);

    /// <summary>True when the event was not emitted before (and is now remembered).</summary>
    public bool TryAdd(UInt128 hash)
    {
        if (hash == UInt128.Zero)
        {
            var added = !zero;
            zero = true;
            return added;
        }

        var s = Find(slots, shift, hash);
        if (slots[s] == hash)
        {
            return false;
        }

        if ((stored + 1) * 4L > slots.Length * 3L)
        {
            Grow();
            s = Find(slots, shift, hash);
        }

        slots[s] = hash;
        stored++;
        return true;
    }

    public bool Contains(UInt128 hash) => hash == UInt128.Zero ? zero : slots[Find(slots, shift, hash)] == hash;

    private void Grow()
    {
        var bigger = new UInt128[slots.Length * 2];
        foreach (var hash in slots)
        {
            if (hash != UInt128.Zero)
            {
                bigger[Find(bigger, shift - 1, hash)] = hash;
            }
        }

        slots = bigger;
        shift--;
    }

    /// <summary>The slot that holds the hash, or the empty slot where it goes (linear probing from its high bits).</summary>
    private static int Find(UInt128[] slots, int shift, UInt128 hash)
    {
        var mask = slots.Length - 1;
        var s = (int)((ulong)(hash >> 64) >> shift);
        while (slots[s] != UInt128.Zero && slots[s] != hash)
        {
            s = (s + 1) & mask;
        }

        return s;
    }
}
