using System.Text;
using System.Text.Json;
using PushGov.Domain.Residents;
using PushGov.Tooling.Match;
using static PushGov.Domain.Detection.LifeEventKind;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

public class MatchOutputTests
{
    [Fact]
    public void Each_match_is_one_json_line_with_the_event_service_recipients_deadline_amount_and_reasons()
    {
        var s = Family(P("B", Relationships.Child, D(2026, 11, 20)));
        var e = Ev(BIRTH, "B", D(2026, 11, 20));
        var matches = Match(e, s);
        using var buffer = new MemoryStream();
        using (var output = new MatchOutput(buffer))
        {
            output.Write(e, matches);
            Assert.Equal(matches.Count, output.Lines);
        }

        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["jidou-teate", "shussan-ikuji-ichijikin", "kodomo-iryouhi", "kokuho-shikaku"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("serviceId").GetString()));

        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("BIRTH-B-20261120", root.GetProperty("eventId").GetString());
        Assert.Equal("BIRTH", root.GetProperty("kind").GetString());
        Assert.Equal("B", root.GetProperty("residentId").GetString());
        Assert.Equal("H1", root.GetProperty("householdId").GetString());
        Assert.Equal(["F"], root.GetProperty("recipientIds").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal("2026-12-05", root.GetProperty("deadline").GetString());
        Assert.Equal(15000, root.GetProperty("amountYen").GetInt64());
        Assert.True(root.GetProperty("needsClaim").GetBoolean());
        Assert.False(root.GetProperty("usesTaxData").GetBoolean());
        Assert.Equal("2024-10-01", root.GetProperty("ruleVersion").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("part").ValueKind);
        Assert.Contains(root.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("condition").GetString() == "deadline +15d" && r.GetProperty("holds").GetBoolean());

        using var kodomo = JsonDocument.Parse(lines[2]);
        Assert.Equal(JsonValueKind.Null, kodomo.RootElement.GetProperty("deadline").ValueKind);
        Assert.Equal(JsonValueKind.Null, kodomo.RootElement.GetProperty("amountYen").ValueKind);
        Assert.DoesNotContain("山田", Encoding.UTF8.GetString(buffer.ToArray()), StringComparison.Ordinal);
    }
}
