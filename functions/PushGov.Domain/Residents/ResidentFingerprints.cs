using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace PushGov.Domain.Residents;

/// <summary>
/// A compact 64-bit fingerprint of the person fields a <c>residents</c> snapshot carries, to tell a changed
/// resident from an unchanged one without keeping the previous snapshot. XXH3-64 (seed 0) over the UTF-8
/// of each field, length-prefixed, in a fixed order; stable across processes and machines, so it can be
/// persisted. The status fields (<see cref="Person.Status"/>, <see cref="Person.StatusDate"/>,
/// <see cref="Person.MovedInDate"/>) are not part of a snapshot row and not part of the fingerprint.
/// </summary>
public static class ResidentFingerprint
{
    public static ulong Of(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var hash = new XxHash3();
        Span<byte> scratch = stackalloc byte[256];
        Append(hash, person.ResidentId, scratch);
        Append(hash, person.HouseholdId, scratch);
        Append(hash, person.FamilyName, scratch);
        Append(hash, person.GivenName, scratch);
        Append(hash, person.FamilyNameKana, scratch);
        Append(hash, person.GivenNameKana, scratch);
        Append(hash, person.BirthDate.Precision.ToString(), scratch);
        Append(hash, person.BirthDate.Original, scratch);
        Append(hash, ((int)person.Sex).ToString(System.Globalization.CultureInfo.InvariantCulture), scratch);
        Append(hash, person.Relationship, scratch);
        Append(hash, person.PostalCode, scratch);
        Append(hash, person.Address, scratch);
        Append(hash, person.Nationality, scratch);
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>The 64-bit hash of a 宛名番号 that orders <see cref="ResidentFingerprints"/>.</summary>
    public static ulong IdHash(string residentId)
    {
        var max = Encoding.UTF8.GetMaxByteCount(residentId.Length);
        byte[]? rented = null;
        var buffer = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var n = Encoding.UTF8.GetBytes(residentId, buffer);
        var h = XxHash3.HashToUInt64(buffer[..n]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return h;
    }

    private static void Append(XxHash3 hash, string? value, Span<byte> scratch)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, -1);
            hash.Append(length);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = max <= scratch.Length ? scratch : (rented = ArrayPool<byte>.Shared.Rent(max));
        var n = Encoding.UTF8.GetBytes(value, buffer);
        BinaryPrimitives.WriteInt32LittleEndian(length, n);
        hash.Append(length);
        hash.Append(buffer[..n]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>
/// The fingerprints of every resident of one snapshot, held compactly: parallel arrays sorted by
/// (hash of 宛名番号, 宛名番号), with the ids' UTF-8 bytes in one buffer. About 20 bytes plus the id's
/// length per resident (3.8 M residents with 15-digit ids: about 130 MB), no object per resident.
/// <para>
/// Persisted as one binary blob (<see cref="WriteTo"/>, <see cref="ReadFrom"/>), little-endian:
/// magic <c>PGFP</c>, int32 version (1), int32 count, int32 id byte length, then count × uint64 id hashes,
/// count × uint64 fingerprints, (count + 1) × int32 offsets into the id bytes, and the id bytes.
/// </para>
/// </summary>
public sealed class ResidentFingerprints
{
    private const int Version = 1;
    private static ReadOnlySpan<byte> Magic => "PGFP"u8;

    private readonly ulong[] idHashes;
    private readonly ulong[] fingerprints;
    private readonly int[] offsets;
    private readonly byte[] ids;

    private ResidentFingerprints(ulong[] idHashes, ulong[] fingerprints, int[] offsets, byte[] ids)
    {
        this.idHashes = idHashes;
        this.fingerprints = fingerprints;
        this.offsets = offsets;
        this.ids = ids;
    }

    public static ResidentFingerprints Empty { get; } = new([], [], [0], []);

    public int Count => idHashes.Length;

    /// <summary>The 宛名番号 at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    public string ResidentIdAt(int index) => Encoding.UTF8.GetString(ids, offsets[index], offsets[index + 1] - offsets[index]);

    public ulong FingerprintAt(int index) => fingerprints[index];

    /// <summary>The index of the resident, or -1.</summary>
    public int IndexOf(string residentId) => IndexOf(residentId, ResidentFingerprint.IdHash(residentId));

    internal int IndexOf(string residentId, ulong hash)
    {
        var i = Array.BinarySearch(idHashes, hash);
        if (i < 0)
        {
            return -1;
        }

        // Step back to the first entry with this hash, then compare the ids (64-bit hashes of 3.8 M ids
        // collide with a probability of about 4 in 10 million; equal hashes must not mix residents up).
        while (i > 0 && idHashes[i - 1] == hash)
        {
            i--;
        }

        Span<byte> buffer = stackalloc byte[256];
        var max = Encoding.UTF8.GetMaxByteCount(residentId.Length);
        var key = max <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(residentId, buffer)] : Encoding.UTF8.GetBytes(residentId);
        for (; i < idHashes.Length && idHashes[i] == hash; i++)
        {
            if (ids.AsSpan(offsets[i], offsets[i + 1] - offsets[i]).SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }

    public bool TryGet(string residentId, out ulong fingerprint)
    {
        var i = IndexOf(residentId);
        fingerprint = i >= 0 ? fingerprints[i] : 0;
        return i >= 0;
    }

    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[16];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], ids.Length);
        stream.Write(header);
        WriteLittleEndian(stream, idHashes);
        WriteLittleEndian(stream, fingerprints);
        WriteLittleEndian(stream, offsets);
        stream.Write(ids);
    }

    public byte[] Serialize()
    {
        using var stream = new MemoryStream(16 + (Count * 20) + 4 + ids.Length);
        WriteTo(stream);
        return stream.ToArray();
    }

    public static ResidentFingerprints Deserialize(ReadOnlySpan<byte> data)
    {
        using var stream = new MemoryStream(data.ToArray(), writable: false);
        return ReadFrom(stream);
    }

    /// <exception cref="InvalidDataException">When the data is not a fingerprint blob of a known version, or is cut short or inconsistent.</exception>
    public static ResidentFingerprints ReadFrom(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[16];
        stream.ReadExactly(header);
        if (!header[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(header[4..]) != Version)
        {
            throw new InvalidDataException("Not a resident fingerprint blob of version 1.");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var idLength = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (count < 0 || idLength < 0)
        {
            throw new InvalidDataException("The fingerprint blob's header is corrupt.");
        }

        try
        {
            var hashes = ReadLittleEndian<ulong>(stream, count);
            var prints = ReadLittleEndian<ulong>(stream, count);
            var offs = ReadLittleEndian<int>(stream, count + 1);
            var idBytes = new byte[idLength];
            stream.ReadExactly(idBytes);
            if (offs[0] != 0 || offs[count] != idLength)
            {
                throw new InvalidDataException("The fingerprint blob's offsets are corrupt.");
            }

            for (var i = 0; i < count; i++)
            {
                if (offs[i + 1] < offs[i] || (i > 0 && hashes[i] < hashes[i - 1]))
                {
                    throw new InvalidDataException("The fingerprint blob is not sorted.");
                }
            }

            return new ResidentFingerprints(hashes, prints, offs, idBytes);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The fingerprint blob is cut short.", e);
        }
    }

    private static void WriteLittleEndian<T>(Stream stream, T[] values)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Fingerprint blobs are written on little-endian machines only.");
        }

        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static T[] ReadLittleEndian<T>(Stream stream, int count)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Fingerprint blobs are read on little-endian machines only.");
        }

        var values = new T[count];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Collects (宛名番号, fingerprint) pairs in any order; <see cref="Build"/> sorts them and keeps the last pair added per id.</summary>
    public sealed class Builder
    {
        private ulong[] hashes;
        private ulong[] prints;
        private int[] starts;
        private byte[] idBytes;
        private int idLength;

        public Builder(int capacity = 0)
        {
            capacity = Math.Max(capacity, 16);
            hashes = new ulong[capacity];
            prints = new ulong[capacity];
            starts = new int[capacity];
            idBytes = new byte[capacity * 16];
        }

        public int Count { get; private set; }

        public void Add(string residentId, ulong fingerprint) => Add(residentId, ResidentFingerprint.IdHash(residentId), fingerprint);

        internal void Add(string residentId, ulong idHash, ulong fingerprint)
        {
            ArgumentNullException.ThrowIfNull(residentId);
            if (Count == hashes.Length)
            {
                var size = hashes.Length * 2;
                Array.Resize(ref hashes, size);
                Array.Resize(ref prints, size);
                Array.Resize(ref starts, size);
            }

            var max = Encoding.UTF8.GetMaxByteCount(residentId.Length);
            if (idLength + max > idBytes.Length)
            {
                Array.Resize(ref idBytes, Math.Max(idBytes.Length * 2, idLength + max));
            }

            starts[Count] = idLength;
            idLength += Encoding.UTF8.GetBytes(residentId, idBytes.AsSpan(idLength));
            hashes[Count] = idHash;
            prints[Count] = fingerprint;
            Count++;
        }

        public ResidentFingerprints Build()
        {
            var n = Count;
            var keys = hashes.AsSpan(0, n).ToArray();
            var order = new int[n];
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }

            // Primitive-key sort (fast), then order each run of equal hashes (rare: the same id added twice,
            // or a true collision) by id bytes and insertion order, so a later pair for an id comes last.
            Array.Sort(keys, order);
            for (var runStart = 0; runStart < n;)
            {
                var runEnd = runStart + 1;
                while (runEnd < n && keys[runEnd] == keys[runStart])
                {
                    runEnd++;
                }

                if (runEnd - runStart > 1)
                {
                    Array.Sort(order, runStart, runEnd - runStart, Comparer<int>.Create((a, b) =>
                    {
                        var c = Id(a).SequenceCompareTo(Id(b));
                        return c != 0 ? c : a.CompareTo(b);
                    }));
                }

                runStart = runEnd;
            }

            var outPrints = new ulong[n];
            var outOffsets = new int[n + 1];
            var outIds = new byte[idLength];
            var m = 0;
            var written = 0;
            for (var k = 0; k < n; k++)
            {
                var i = order[k];
                if (k + 1 < n && keys[k + 1] == keys[k] && Id(order[k + 1]).SequenceEqual(Id(i)))
                {
                    continue; // a later pair for the same id wins
                }

                keys[m] = keys[k];
                outPrints[m] = prints[i];
                var id = Id(i);
                id.CopyTo(outIds.AsSpan(written));
                written += id.Length;
                m++;
                outOffsets[m] = written;
            }

            return m == n
                ? new ResidentFingerprints(keys, outPrints, outOffsets, written == outIds.Length ? outIds : outIds[..written])
                : new ResidentFingerprints(keys[..m], outPrints[..m], outOffsets[..(m + 1)], outIds[..written]);
        }

        private ReadOnlySpan<byte> Id(int i) => idBytes.AsSpan(starts[i], (i + 1 < Count ? starts[i + 1] : idLength) - starts[i]);
    }
}
