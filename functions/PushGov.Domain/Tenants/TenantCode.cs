using System.Diagnostics.CodeAnalysis;

namespace PushGov.Domain.Tenants;

/// <summary>
/// A municipality's 6-digit local government code (全国地方公共団体コード), e.g. <c>401307</c> for 福岡市.
/// The sixth digit is the JIS X 0402 check digit: the first five digits weighted 6,5,4,3,2, summed,
/// and the last digit of 11 minus the sum modulo 11.
/// </summary>
public readonly record struct TenantCode
{
    private TenantCode(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    public static bool TryParse([NotNullWhen(true)] string? text, out TenantCode code)
    {
        code = default;
        if (text is not { Length: 6 } || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        int[] weights = [6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += (text[i] - '0') * weights[i];
        }

        var check = (11 - (sum % 11)) % 10;
        if (text[5] - '0' != check)
        {
            return false;
        }

        code = new TenantCode(text);
        return true;
    }

    public static TenantCode Parse(string text) =>
        TryParse(text, out var code)
            ? code
            : throw new FormatException("A tenant is a 6-digit local government code (全国地方公共団体コード) with a valid check digit.");
}
