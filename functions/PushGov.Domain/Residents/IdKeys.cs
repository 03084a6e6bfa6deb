namespace PushGov.Domain.Residents;

/// <summary>
/// Ids (宛名番号, 世帯番号) as 64-bit keys, so that a large view holds no string per id: an id of 1 to 16 ASCII digits is
/// its number and its length (leading zeros kept), any other id its place in a pool of the ids seen. Keys are only
/// meaningful to the instance that made them.
/// </summary>
internal sealed class IdKeys
{
    private const int MaxDigits = 16;
    private const int LengthShift = 56;
    private const long PooledFlag = long.MinValue;
    private const long ValueMask = (1L << LengthShift) - 1;

    private readonly StringPool pool = new();

    /// <summary>The id's key; an id that is not numeric joins the pool.</summary>
    public long KeyOf(string id) => TryParse(id, out var key) ? key : PooledFlag | (uint)pool.Add(id);

    /// <summary>The id's key when this instance has made it (a numeric id always has one).</summary>
    public bool TryGetKey(string id, out long key)
    {
        if (TryParse(id, out key))
        {
            return true;
        }

        var i = pool.IndexOf(id);
        key = PooledFlag | (uint)i;
        return i >= 0;
    }

    /// <summary>The id the key stands for (a new string for a numeric id).</summary>
    public string IdOf(long key)
    {
        if (key < 0)
        {
            return pool[(int)(key & ValueMask)];
        }

        var length = (int)(key >> LengthShift);
        return string.Create(length, key & ValueMask, static (chars, value) =>
        {
            for (var i = chars.Length - 1; i >= 0; i--)
            {
                chars[i] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
        });
    }

    private static bool TryParse(string id, out long key)
    {
        key = 0;
        if (id.Length is 0 or > MaxDigits)
        {
            return false;
        }

        long value = 0;
        foreach (var c in id)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        key = ((long)id.Length << LengthShift) | value;
        return true;
    }
}

/// <summary>Strings that repeat (続柄, nationality, a date as the registry wrote it) kept once each, by a small index.</summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, int> indexes = new(StringComparer.Ordinal);
    private readonly List<string> strings = [];

    public string this[int index] => strings[index];

    /// <summary>The string's index, added when new.</summary>
    public int Add(string value)
    {
        ref var index = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(indexes, value, out var existed);
        if (!existed)
        {
            index = strings.Count;
            strings.Add(value);
        }

        return index;
    }

    /// <summary>The string's index, or -1 when the pool does not hold it.</summary>
    public int IndexOf(string value) => indexes.TryGetValue(value, out var index) ? index : -1;
}

/// <summary>
/// Finds entries of an array by their 64-bit key, which the owner keeps in an array of its own (0 for an entry not in
/// use): an open-addressing table of entry indexes, 4 to 8 bytes an entry, nothing for the garbage collector to trace (a
/// <see cref="Dictionary{TKey, TValue}"/> costs about 28 to 56 bytes an entry and holds both its old and new arrays
/// while it grows).
/// </summary>
internal sealed class KeyIndex
{
    private const int Removed = -1;

    private int[] slots = new int[16]; // entry index + 1; 0 is an empty slot, -1 a removed one
    private int shift = 64 - 4;
    private int used; // slots not empty, removed ones included

    /// <summary>The index of the entry whose key is <paramref name="key"/>, or -1.</summary>
    public int Find(long key, long[] keys)
    {
        var mask = slots.Length - 1;
        for (var s = Home(key); ; s = (s + 1) & mask)
        {
            var entry = slots[s];
            if (entry == 0)
            {
                return -1;
            }

            if (entry > 0 && keys[entry - 1] == key)
            {
                return entry - 1;
            }
        }
    }

    /// <summary>Adds entry <paramref name="index"/>, whose key the owner has set in <c>keys[index]</c> and the table does not hold yet.</summary>
    public void Add(int index, long[] keys)
    {
        if ((used + 1) * 4L > slots.Length * 3L)
        {
            Rebuild(keys); // which takes the new entry too
            return;
        }

        var mask = slots.Length - 1;
        var s = Home(keys[index]);
        while (slots[s] > 0)
        {
            s = (s + 1) & mask;
        }

        if (slots[s] == 0)
        {
            used++;
        }

        slots[s] = index + 1;
    }

    /// <summary>Removes entry <paramref name="index"/> (whose key is still <c>keys[index]</c>); the owner then frees it.</summary>
    public void Remove(int index, long[] keys)
    {
        var mask = slots.Length - 1;
        var s = Home(keys[index]);
        while (slots[s] != index + 1)
        {
            s = (s + 1) & mask;
        }

        slots[s] = Removed;
    }

    /// <summary>A table for the entries in use, twice as large when they fill more than half of this one.</summary>
    private void Rebuild(long[] keys)
    {
        var live = 0;
        foreach (var key in keys)
        {
            live += key != 0 ? 1 : 0;
        }

        if (live * 2L >= slots.Length)
        {
            slots = new int[slots.Length * 2];
            shift--;
        }
        else
        {
            Array.Clear(slots);
        }

        used = 0;
        var mask = slots.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != 0)
            {
                var s = Home(keys[i]);
                while (slots[s] != 0)
                {
                    s = (s + 1) & mask;
                }

                slots[s] = i + 1;
                used++;
            }
        }
    }

    /// <summary>Fibonacci hashing: the key's slot from the high bits of its product with 2^64 / φ.</summary>
    private int Home(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> shift);
}
