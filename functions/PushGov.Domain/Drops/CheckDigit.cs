namespace PushGov.Domain.Drops;

/// <summary>
/// The check digit that ends 宛名番号 (ResidentId) and 世帯番号 (HouseholdId) in the standard: modulus 11, weights
/// 2 to 7 repeating from the rightmost body digit; the digit is 11 minus the remainder, and 0 where that gives 10 or 11.
/// </summary>
public static class CheckDigit
{
    /// <summary>The check digit for <paramref name="body"/> (ASCII digits, without the check digit).</summary>
    public static int Compute(ReadOnlySpan<char> body)
    {
        if (body.IsEmpty || !TextNormalizer.IsAsciiDigits(body))
        {
            throw new ArgumentException("The body of a number with a check digit is one or more ASCII digits.", nameof(body));
        }

        var sum = 0;
        var weight = 2;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            sum += (body[i] - '0') * weight;
            weight = weight == 7 ? 2 : weight + 1;
        }

        var digit = 11 - (sum % 11);
        return digit >= 10 ? 0 : digit;
    }

    /// <summary>The check digit for <paramref name="body"/>.</summary>
    public static int Compute(string body) => Compute(body.AsSpan());

    /// <summary><paramref name="body"/> followed by its check digit.</summary>
    public static string Append(string body) => body + (char)('0' + Compute(body));

    /// <summary>True when <paramref name="number"/> is ASCII digits whose last digit is the check digit of the others.</summary>
    public static bool IsValid(ReadOnlySpan<char> number) =>
        number.Length >= 2 && TextNormalizer.IsAsciiDigits(number) && number[^1] - '0' == Compute(number[..^1]);

    /// <summary>True when <paramref name="number"/> is ASCII digits whose last digit is the check digit of the others.</summary>
    public static bool IsValid(string? number) => number is not null && IsValid(number.AsSpan());
}
