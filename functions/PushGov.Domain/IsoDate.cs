namespace PushGov.Domain;

/// <summary>
/// A date as <c>yyyy-MM-dd</c>, written by hand: the custom-format path of <see cref="DateOnly.TryFormat(Span{char}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// costs more than what is done with the text (an event id's hash, a JSON line, each birth date of a drop).
/// </summary>
public static class IsoDate
{
    /// <summary>Characters (and UTF-8 bytes) in the text of a date.</summary>
    public const int Length = 10;

    /// <summary>Writes the date's <see cref="Length"/> ASCII characters as UTF-8 to the start of <paramref name="utf8"/>.</summary>
    public static void Write(DateOnly date, Span<byte> utf8)
    {
        var (year, month, day) = date;
        utf8[0] = (byte)('0' + (year / 1000));
        utf8[1] = (byte)('0' + (year / 100 % 10));
        utf8[2] = (byte)('0' + (year / 10 % 10));
        utf8[3] = (byte)('0' + (year % 10));
        utf8[4] = (byte)'-';
        utf8[5] = (byte)('0' + (month / 10));
        utf8[6] = (byte)('0' + (month % 10));
        utf8[7] = (byte)'-';
        utf8[8] = (byte)('0' + (day / 10));
        utf8[9] = (byte)('0' + (day % 10));
    }

    /// <summary>The date's text as a string.</summary>
    public static string Format(DateOnly date) => string.Create(Length, date, static (chars, d) =>
    {
        Span<byte> utf8 = stackalloc byte[Length];
        Write(d, utf8);
        for (var i = 0; i < Length; i++)
        {
            chars[i] = (char)utf8[i];
        }
    });
}
