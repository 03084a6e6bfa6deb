using PushGov.Cli.Commands;
using PushGov.Domain.Residents;

namespace PushGov.Cli.Tests;

public sealed class NotificationsCommandTests
{
    [Fact]
    public void The_residents_case_link_is_found_whole_in_a_message_and_nothing_else_is_taken_for_one()
    {
        var link = new ResidentLinkSigner("cli-tests-resident-link-key-0123456789abcdef")
            .CaseUrl(new Uri("https://portal.example.jp/"), "401307", "BIRTH-0123456789abcdef0123", "100000101", new DateOnly(2027, 1, 31))
            .AbsoluteUri;
        var text = $"福岡市からのお知らせです。\n詳しくはこちら：{link}\n配信停止：https://pushgov.example.jp/api/unsubscribe?t=abc";

        Assert.Equal(link, NotificationsCommand.ResidentLinkIn(text));
        Assert.Null(NotificationsCommand.ResidentLinkIn("配信停止：https://pushgov.example.jp/api/unsubscribe?t=abc、窓口：https://www.city.fukuoka.lg.jp/r/"));
    }
}
