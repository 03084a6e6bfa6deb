using PushGov.Domain.Messaging.Templates;

namespace PushGov.Domain.Tests.Messaging.Templates;

public class SmsFragmentsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(1530, 10)]
    public void Gsm_text_fits_160_septets_in_one_message_and_153_per_part(int length, int parts)
    {
        var count = SmsFragments.Count(new string('a', length));

        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, length, parts), count);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    [InlineData(670, 10)]
    [InlineData(671, 11)]
    public void Kana_fit_70_characters_in_one_message_and_67_per_part(int length, int parts)
    {
        var count = SmsFragments.Count(new string('あ', length));

        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, length, parts), count);
    }

    [Fact]
    public void Euro_sign_is_gsm_and_costs_two_septets()
    {
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 2, 1), SmsFragments.Count("€"));
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 160, 1), SmsFragments.Count(new string('€', 80)));
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 162, 2), SmsFragments.Count(new string('€', 81)));
    }

    [Fact]
    public void Extension_characters_all_cost_two_septets()
    {
        Assert.Equal(20, SmsFragments.Count("^{}\\[~]|€\f").Units);
    }

    [Fact]
    public void Yen_sign_and_accented_letters_of_the_gsm_alphabet_stay_gsm()
    {
        var count = SmsFragments.Count("¥15,000 é à Ñ ü @ £ Δ");

        Assert.Equal(SmsEncoding.Gsm7, count.Encoding);
        Assert.Equal(21, count.Units);
    }

    [Fact]
    public void One_japanese_character_makes_the_whole_message_ucs2()
    {
        var count = SmsFragments.Count(new string('a', 100) + "円");

        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 101, 2), count);
    }

    [Fact]
    public void An_escape_sequence_is_not_split_across_parts()
    {
        // 306 septets would be 2 parts, but the € at septets 153–154 moves to the second part.
        var text = new string('a', 152) + "€" + new string('a', 152);

        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 306, 3), SmsFragments.Count(text));
    }

    [Fact]
    public void A_surrogate_pair_counts_two_units_and_is_not_split_across_parts()
    {
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 70, 1), SmsFragments.Count(string.Concat(Enumerable.Repeat("😀", 35))));

        var text = new string('あ', 66) + "😀" + new string('あ', 66);
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 134, 3), SmsFragments.Count(text));
    }
}
