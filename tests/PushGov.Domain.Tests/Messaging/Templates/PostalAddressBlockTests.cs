using PushGov.Domain.Messaging.Templates;

namespace PushGov.Domain.Tests.Messaging.Templates;

public class PostalAddressBlockTests
{
    [Theory]
    [InlineData("8108620")]
    [InlineData("810-8620")]
    [InlineData("８１０－８６２０")]
    public void Address_block_is_postal_code_then_address_then_family_and_given_name_with_sama(string postalCode)
    {
        var block = PostalAddressBlock.Format(postalCode, "福岡県福岡市中央区天神1-8-1", "山田", "太郎");

        Assert.Equal("〒810-8620\n福岡県福岡市中央区天神1-8-1\n山田　太郎　様", block);
    }

    [Fact]
    public void A_long_address_wraps_at_a_space_so_the_building_name_stays_whole()
    {
        var block = PostalAddressBlock.Format("1000001", "東京都千代田区千代田一丁目一番一号 パークサイドマンション千代田1205号室", "Silva", "Ana");

        Assert.Equal("〒100-0001\n東京都千代田区千代田一丁目一番一号\nパークサイドマンション千代田1205号室\nSilva　Ana　様", block);
    }

    [Fact]
    public void A_postal_code_without_seven_digits_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<FormatException>(() => PostalAddressBlock.Format("81086", "福岡市", "山田", "太郎"));

        Assert.DoesNotContain("81086", error.Message, StringComparison.Ordinal);
    }
}
