using System.Text;
using PushGov.Infrastructure.Notifications.Providers.Letters;

namespace PushGov.Infrastructure.Tests.Notifications.Providers.Letters;

public sealed class LetterCsvTests
{
    [Fact]
    public void Free_text_that_looks_like_a_formula_is_neutralised_and_rows_are_ordered_by_message_id()
    {
        var letters = new[]
        {
            new LetterDocument("401307", "m-b", "810-8620", ["=HYPERLINK(\"http://x\")", "天神1-8-1", "福岡市役所", "3F"], "+山田　様", "@本文", "ja", "t/1", new DateOnly(2026, 11, 24)),
            new LetterDocument("401307", "m-a", "812-0011", ["福岡市博多区"], "佐藤　花子　様", "本文, 二行目", "ja", "t/1", new DateOnly(2026, 11, 24)),
        };

        var csv = Encoding.UTF8.GetString(LetterBatch.ToCsv(letters));

        Assert.Equal(
            "\uFEFF" + LetterBatch.Header + "\r\n" +
            "m-a,〒812-0011,福岡市博多区,,,佐藤　花子　様,\"本文, 二行目\",\r\n" +
            "m-b,〒810-8620,\"'=HYPERLINK(\"\"http://x\"\")\",天神1-8-1,福岡市役所 3F,\"'+山田　様\",\"'@本文\",\r\n",
            csv);
    }

    [Fact]
    public void An_unmapped_gaiji_is_printed_as_geta_and_named_by_its_code_while_ivs_and_surrogate_pairs_stay_intact()
    {
        // \uE000 is CP932 0xF040 (an unmapped 外字), \uE001 is 0xF041; 葛󠄀 is U+845B U+E0100, 𠮷 is U+20BB7, か゚ has a combining mark.
        var letters = new[]
        {
            new LetterDocument("401307", "m-1", "810-8620", ["福岡市中央区\uE001町1-1"], "\uE000田　葛\U000E0100子　様", "\uE000田　葛\U000E0100子　様\n𠮷野か\u309Aさん", "ja", "t/1", new DateOnly(2026, 11, 24)),
        };

        var csv = Encoding.UTF8.GetString(LetterBatch.ToCsv(letters));

        Assert.Equal(
            "\uFEFF" + LetterBatch.Header + "\r\n" +
            "m-1,〒810-8620,福岡市中央区〓町1-1,,,〓田　葛\U000E0100子　様,\"〓田　葛\U000E0100子　様\r\n𠮷野か\u309Aさん\",address_1[7]=F041 name[1]=F040 body[1]=F040\r\n",
            csv);
    }
}
