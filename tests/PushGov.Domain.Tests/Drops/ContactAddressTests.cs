using PushGov.Domain.Drops;

namespace PushGov.Domain.Tests.Drops;

public class ContactAddressTests
{
    [Theory]
    [InlineData("090-1234-5678", "+819012345678")]
    [InlineData("09012345678", "+819012345678")]
    [InlineData("０８０－１２３４－５６７８", "+818012345678")]
    [InlineData("070 1234 5678", "+817012345678")]
    [InlineData("+819012345678", "+819012345678")]
    [InlineData("+81 90-1234-5678", "+819012345678")]
    public void Mobile_numbers_are_normalised_to_e164(string text, string e164)
    {
        Assert.True(ContactAddress.TryNormalizeMobile(text, out var normalized, out var error), error);
        Assert.Equal(e164, normalized);
    }

    [Fact]
    public void The_fast_path_for_japanese_mobiles_agrees_with_libphonenumber()
    {
        var random = new Random(1);
        for (var i = 0; i < 3_000; i++)
        {
            var prefix = random.Next(3) switch { 0 => "90", 1 => "80", _ => "70" };
            var subscriber = random.Next(1_000, 10_000).ToString(System.Globalization.CultureInfo.InvariantCulture) + random.Next(0, 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var text in new[] { $"+81{prefix}{subscriber}", $"0{prefix}-{subscriber[..4]}-{subscriber[4..]}", $"0{prefix}{subscriber}" })
            {
                Assert.True(ContactAddress.TryNormalizeMobile(text, out var fast, out _));
                Assert.True(ContactAddress.TryNormalizeMobileWithLibrary(text, out var library, out var error), $"{text}: {error}");
                Assert.Equal(library, fast);
            }
        }
    }

    [Theory]
    [InlineData("03-1234-5678", "not a mobile number (SMS needs one)")]
    [InlineData("12345", "not a valid phone number")]
    [InlineData("tel", "not a phone number")]
    public void Non_mobile_or_bad_numbers_are_refused(string text, string reason)
    {
        Assert.False(ContactAddress.TryNormalizeMobile(text, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("taro@example.jp", true)]
    [InlineData("taro.yamada+news@mail.example.jp", true)]
    [InlineData("taro@example", false)]
    [InlineData("taro@@example.jp", false)]
    [InlineData("taro@.example.jp", false)]
    [InlineData(".taro@example.jp", false)]
    [InlineData("taro..y@example.jp", false)]
    [InlineData("Taro <taro@example.jp>", false)]
    [InlineData("taro example.jp", false)]
    public void Email_syntax_is_checked(string text, bool valid) =>
        Assert.Equal(valid, ContactAddress.IsEmail(text));

    [Theory]
    [InlineData("ja", true)]
    [InlineData("ja-x-easy", true)]
    [InlineData("en", true)]
    [InlineData("zh-Hans", true)]
    [InlineData("zh-Hant-TW", true)]
    [InlineData("ko", true)]
    [InlineData("vi", true)]
    [InlineData("pt-BR", true)]
    [InlineData("es-419", true)]
    [InlineData("ja_JP", false)]
    [InlineData("日本語", false)]
    [InlineData("en US", false)]
    [InlineData("japanese", false)]
    [InlineData("x", false)]
    [InlineData("j", false)]
    [InlineData("ja-", false)]
    public void Language_tags_follow_bcp47(string text, bool valid) =>
        Assert.Equal(valid, ContactAddress.IsLanguageTag(text));

    [Theory]
    [InlineData("ZH-hans", "zh-Hans")]
    [InlineData("pt-br", "pt-BR")]
    [InlineData("JA-X-EASY", "ja-x-easy")]
    public void Language_tags_get_conventional_case(string text, string expected) =>
        Assert.Equal(expected, ContactAddress.CanonicalLanguageTag(text));
}
