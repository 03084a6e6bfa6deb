using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;

namespace PushGov.Domain.Residents;

/// <summary>One sentence for a resident, in the three languages of the case page: 日本語, やさしい日本語 and English.</summary>
public sealed record PlainText(string Ja, string Easy, string En)
{
    /// <summary>The text in a language tag: <c>ja-x-easy</c> (やさしい日本語), <c>en…</c>, anything else Japanese.</summary>
    public string In(string language) => ResidentLanguages.Of(language) switch
    {
        ResidentLanguages.Easy => Easy,
        ResidentLanguages.English => En,
        _ => Ja,
    };
}

/// <summary>The languages of the residents' pages, and how a resident's language tag maps to one of them.</summary>
public static class ResidentLanguages
{
    public const string Japanese = "ja";
    public const string Easy = "ja-x-easy";
    public const string English = "en";

    /// <summary>The page languages, in the order a switch lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Japanese, Easy, English];

    /// <summary>ja-x-easy stays; any Japanese tag is ja; every other language reads the English page (the nearest we have).</summary>
    public static string Of(string? tag) =>
        tag is null ? Japanese
        : tag.Equals(Easy, StringComparison.OrdinalIgnoreCase) ? Easy
        : tag.Equals("ja", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("ja-", StringComparison.OrdinalIgnoreCase) ? Japanese
        : English;
}

/// <summary>
/// Why a resident is offered a service, in plain words: the life event the case is about, then each condition of the
/// rule that held, said without the values the trace records (which may name other residents). Steps that only steer the
/// evaluation (all, any, not, parts, recipients, deadline, amount) and conditions that did not hold are left out.
/// </summary>
public static class ResidentReasons
{
    public static IReadOnlyList<PlainText> Explain(LifeEventKind kind, DateOnly eventDate, ServiceMatch match)
    {
        var list = new List<PlainText> { Event(kind, eventDate) };
        foreach (var step in match.Reasons)
        {
            if (step.Holds && !step.Detail.StartsWith("unknown:", StringComparison.Ordinal) && Condition(step.Condition) is { } text && !list.Contains(text))
            {
                list.Add(text);
            }
        }

        return list;
    }

    /// <summary>The life event in words (Japanese, easy Japanese, English), e.g. 出生 / うまれた こと / a birth.</summary>
    public static PlainText EventName(LifeEventKind kind) =>
        new(LifeEventNames.In(kind, ResidentLanguages.Japanese), LifeEventNames.In(kind, ResidentLanguages.Easy), LifeEventNames.In(kind, ResidentLanguages.English));

    private static PlainText Event(LifeEventKind kind, DateOnly day)
    {
        var name = EventName(kind);
        var (ja, en) = (Drops.JapaneseDate.FormatWareki(day), day.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture));
        return new($"{ja}の{name.Ja}が記録されました。", $"{ja}に {name.Easy}が きろく されました。", $"{char.ToUpperInvariant(name.En[0])}{name.En[1..]} was recorded on {en}.");
    }

    private static PlainText? Condition(string label) => label switch
    {
        _ when label.StartsWith("age(", StringComparison.Ordinal) => new("年齢が対象の範囲です。", "としが たいしょうの はんいです。", "The age is within the range the rule sets."),
        _ when label.StartsWith("relationship(", StringComparison.Ordinal) => new("世帯の中の続柄が対象です。", "かぞくの なかでの たちばが たいしょうです。", "The family relationship is one the rule covers."),
        _ when label.StartsWith("children up to", StringComparison.Ordinal) => new("対象の年齢の子どもがいる世帯です。", "たいしょうの としの こどもが いる かぞくです。", "The household has a child of the ages the rule covers."),
        _ when label.StartsWith("child ordinal(", StringComparison.Ordinal) => new("子どもの人数（何人目か）が対象です。", "こどもの かず（なんにんめか）が たいしょうです。", "The number of children (which child this is) is one the rule covers."),
        _ when label.StartsWith("household size", StringComparison.Ordinal) => new("世帯の人数が対象です。", "かぞくの にんずうが たいしょうです。", "The number of people in the household is one the rule covers."),
        _ when label.StartsWith("income(", StringComparison.Ordinal) => new("所得が基準額の範囲です。", "しょとく（みいり）が きじゅんの なかです。", "The income is within the limit."),
        _ when label.StartsWith("non-taxable(", StringComparison.Ordinal) => new("住民税が非課税の世帯です。", "じゅうみんぜいが かからない かぞくです。", "The household is exempt from resident tax."),
        _ when label.StartsWith("damage in", StringComparison.Ordinal) => new("罹災証明の被害の程度が対象です。", "さいがいの ひがいの おおきさが たいしょうです。", "The damage on the disaster certificate is covered."),
        _ when label == "moved in" => new("転入した日が対象の期間です。", "ひっこして きた ひが たいしょうの きかんです。", "The day of moving in is within the period the rule covers."),
        _ when label == "nationality" => new("国籍が対象です。", "こくせきが たいしょうです。", "The nationality is one the rule covers."),
        _ when label == "single-parent household" => new("ひとり親の世帯です。", "ひとりおやの かぞくです。", "It is a single-parent household."),
        _ when label.Contains(" up to 31 March after ", StringComparison.Ordinal) => new("年度末までの年齢の条件に当てはまります。", "としの じょうけんに あって います。", "The age is within the school-year limit the rule sets."),
        _ when label.StartsWith("assumed: ", StringComparison.Ordinal) => new($"次の場合に限ります：{label[9..]}", $"つぎの ときだけ です：{label[9..]}", $"Only if this applies: {label[9..]}"),
        _ => null,
    };
}
