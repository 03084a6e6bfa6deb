using PushGov.Domain.Messaging.Templates;

namespace PushGov.Domain.Tests.Messaging.Templates;

public class LanguageFallbackTests
{
    private static readonly string[] JaEasyEn = ["ja", "ja-x-easy", "en"];
    private static readonly string[] Welcome = ["ja", "ja-x-easy", "en", "zh-Hans", "ko", "vi", "pt"];

    [Theory]
    [InlineData("pt", "ja-x-easy")]
    [InlineData("vi", "ja-x-easy")]
    [InlineData("en", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("EN-us", "en")]
    [InlineData("ja-JP", "ja")]
    [InlineData("ja-x-easy", "ja-x-easy")]
    [InlineData(null, "ja")]
    [InlineData("", "ja")]
    public void A_service_without_the_residents_language_falls_back_to_easy_japanese_then_japanese(string? requested, string expected)
    {
        Assert.Equal(expected, LanguageFallback.Resolve(requested, JaEasyEn));
    }

    [Theory]
    [InlineData("zh-Hans-CN", "zh-Hans")]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("zh-TW", "ja-x-easy")]
    [InlineData("pt-BR", "pt")]
    [InlineData("ko-KR", "ko")]
    [InlineData("vi", "vi")]
    public void A_regional_tag_matches_its_base_language(string requested, string expected)
    {
        Assert.Equal(expected, LanguageFallback.Resolve(requested, Welcome));
    }

    [Fact]
    public void Without_easy_japanese_the_chain_ends_in_japanese()
    {
        Assert.Equal("ja", LanguageFallback.Resolve("pt", ["ja", "en"]));
        Assert.Equal(["zh-Hans-CN", "zh-Hans", "zh", "ja-x-easy", "ja"], LanguageFallback.Chain("zh-Hans-CN"));
    }
}
