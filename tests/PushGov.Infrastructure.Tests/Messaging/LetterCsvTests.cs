using System.Text;
using PushGov.Infrastructure.Letters;

namespace PushGov.Infrastructure.Tests.Messaging;

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
            "m-a,〒812-0011,福岡市博多区,,,佐藤　花子　様,\"本文, 二行目\"\r\n" +
            "m-b,〒810-8620,\"'=HYPERLINK(\"\"http://x\"\")\",天神1-8-1,福岡市役所 3F,\"'+山田　様\",\"'@本文\"\r\n",
            csv);
    }
}
