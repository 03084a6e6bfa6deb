using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Residents;

public sealed class DamageLevelsTests
{
    [Theory]
    [InlineData("全壊", DamageLevel.Total)]
    [InlineData("大規模半壊", DamageLevel.LargeScaleHalf)]
    [InlineData("中規模半壊", DamageLevel.MediumScaleHalf)]
    [InlineData("半壊", DamageLevel.Half)]
    [InlineData("準半壊", DamageLevel.QuasiHalf)]
    [InlineData("一部損壊", DamageLevel.Partial)]
    [InlineData("largescalehalf", DamageLevel.LargeScaleHalf)]
    public void Japanese_names_and_english_names_in_any_case_read_as_the_level(string text, DamageLevel expected)
    {
        Assert.True(DamageLevels.TryParse(text, out var level));
        Assert.Equal(expected, level);
    }

    [Fact]
    public void Every_level_has_a_japanese_name_that_reads_back_and_the_list_names_them_most_severe_first()
    {
        Assert.All(Enum.GetValues<DamageLevel>(), l =>
        {
            Assert.True(DamageLevels.TryParse(DamageLevels.Japanese(l), out var back));
            Assert.Equal(l, back);
        });
        Assert.Equal("全壊, 大規模半壊, 中規模半壊, 半壊, 準半壊 or 一部損壊", DamageLevels.Listed);
    }

    [Fact]
    public void Anything_else_is_not_a_damage_level() => Assert.False(DamageLevels.TryParse("ひどい", out _));
}
