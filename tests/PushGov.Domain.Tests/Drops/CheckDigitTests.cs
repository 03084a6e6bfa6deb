using PushGov.Domain.Drops;

namespace PushGov.Domain.Tests.Drops;

public class CheckDigitTests
{
    // 123456789: 9×2 + 8×3 + 7×4 + 6×5 + 5×6 + 4×7 + 3×2 + 2×3 + 1×4 = 174; 174 mod 11 = 9; 11 − 9 = 2.
    [Theory]
    [InlineData("123456789", 2)]
    [InlineData("5", 1)] // 10 mod 11 = 10 → 1
    [InlineData("6", 0)] // 12 mod 11 = 1 → 10 → 0
    [InlineData("0", 0)] // 0 → 11 → 0
    [InlineData("1000000", 9)] // weights repeat: the 7th digit from the right has weight 2 again → 11 − 2 = 9
    [InlineData("0000001", 9)] // the rightmost body digit has weight 2
    [InlineData("0000010", 8)] // the next has weight 3
    public void Compute_gives_the_modulus_11_digit_with_weights_2_to_7_from_the_right(string body, int expected) =>
        Assert.Equal(expected, CheckDigit.Compute(body));

    [Theory]
    [InlineData("1234567892", true)]
    [InlineData("1234567893", false)]
    [InlineData("12345678A2", false)]
    [InlineData("2", false)]
    [InlineData("", false)]
    [InlineData("60", true)]
    public void IsValid_checks_the_last_digit_against_the_body(string number, bool valid) =>
        Assert.Equal(valid, CheckDigit.IsValid(number));

    [Fact]
    public void Append_then_IsValid_round_trips_for_many_bodies()
    {
        for (var i = 100000; i < 101000; i++)
        {
            Assert.True(CheckDigit.IsValid(CheckDigit.Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
    }
}
