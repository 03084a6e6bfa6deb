using PushGov.Domain.Drops;

namespace PushGov.Domain.Tests.Drops;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("０１２３４５６７８９", "0123456789")]
    [InlineData("ＡＢＣｘｙｚ", "ABCxyz")]
    [InlineData("＝ＳＵＭ（Ａ１）", "=SUM(A1)")]
    [InlineData("〒８１０－０００１", "〒810-0001")]
    public void Full_width_ascii_becomes_half_width(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("ﾔﾏﾀﾞ", "ヤマダ")]
    [InlineData("ﾀﾛｳ", "タロウ")]
    [InlineData("ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ", "ガギグゲゴザジズゼゾダヂヅデド")]
    [InlineData("ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ", "バビブベボ")]
    [InlineData("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ")]
    [InlineData("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン")]
    [InlineData("ｷｯﾁｮｰ", "キッチョー")]
    [InlineData("ｱﾞ", "ア゛")]
    [InlineData("ｶﾟ", "カ゜")]
    [InlineData("｢ｱ｣､ｲ｡", "「ア」、イ。")]
    public void Half_width_katakana_becomes_full_width_with_voiced_marks_combined(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("\u3000山田\u3000", "山田")]
    [InlineData("  山田 ", "山田")]
    [InlineData("\u3000 \t", "")]
    [InlineData("山田\u3000太郎", "山田\u3000太郎")]
    public void Leading_and_trailing_spaces_including_ideographic_space_are_trimmed(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("山田")]
    [InlineData("ヤマダ タロウ")]
    [InlineData("2026-11-22")]
    public void Text_that_needs_no_change_is_returned_as_the_same_instance(string input) =>
        Assert.Same(input, TextNormalizer.Normalize(input));

    [Fact]
    public void Long_text_beyond_the_stack_buffer_is_normalised_too()
    {
        var input = string.Concat(Enumerable.Repeat("ｶﾞ１", 400));
        Assert.Equal(string.Concat(Enumerable.Repeat("ガ1", 400)), TextNormalizer.Normalize(input));
    }
}
