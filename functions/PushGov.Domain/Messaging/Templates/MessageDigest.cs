using PushGov.Domain.Detection;

namespace PushGov.Domain.Messaging.Templates;

/// <summary>One service of a message that covers several: its name in the message's language and its deadline (null: none).</summary>
public sealed record DigestItem(string ServiceName, DateOnly? Deadline);

/// <summary>The opening of a message that covers several services: its subject, and the short list the body starts with.</summary>
/// <param name="Language">The language the opening is written in (the resident's, after the fallback chain).</param>
public sealed record Digest(string Subject, string Text, string Html, string Language);

/// <summary>
/// What a resident reads first when one e-mail covers several services (a birth: 児童手当, 出産育児一時金, 子ども医療費助成,
/// 国保): a subject that names the life event and the earliest deadline, not only the first service, and a short list of
/// the services with their deadlines, most urgent first, before each service's details. Japanese and やさしい日本語 give a
/// deadline in 和暦 first, as their templates do, other languages in 西暦 first; both forms come from
/// <see cref="TemplateFields.FormatDate"/> and <see cref="Drops.JapaneseDate.FormatWareki"/>. SMS and LINE carry one
/// service (the most urgent) and link to the case page, so they have no digest.
/// </summary>
public static class MessageDigest
{
    private static readonly Dictionary<string, Wording> Wordings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ja"] = new(
            WarekiFirst: true,
            Subject: (town, ev, n) => $"【{town}】{ev}に伴う{n}件のお知らせ",
            SubjectDeadline: d => $"（最も早い期限 {d}）",
            Heading: (ev, n) => $"{ev}に伴い、次の{n}件の手続き・給付があります（期限の早い順）。",
            Item: (name, d) => $"・{name}：{d}",
            NoDeadline: "期限なし"),
        ["ja-x-easy"] = new(
            WarekiFirst: true,
            Subject: (town, ev, n) => $"{town}：{ev}の おしらせ {n}つ",
            SubjectDeadline: d => $"（いちばん はやい きげん {d}）",
            Heading: (ev, n) => $"{ev}で、つぎの {n}つの ことが あります。きげんが はやい じゅんです。",
            Item: (name, d) => $"・{name}：{d}",
            NoDeadline: "きげん なし"),
        ["en"] = new(
            WarekiFirst: false,
            Subject: (town, ev, n) => $"{town}: {n} services after {ev}",
            SubjectDeadline: d => $", first deadline {d}",
            Heading: (ev, n) => $"After {ev}, there are {n} services for you. The most urgent comes first:",
            Item: (name, d) => $"- {name}: {d}",
            NoDeadline: "no deadline"),
        ["zh-Hans"] = new(
            WarekiFirst: false,
            Subject: (town, ev, n) => $"【{town}】{ev}相关的{n}项通知",
            SubjectDeadline: d => $"（最早期限 {d}）",
            Heading: (ev, n) => $"因{ev}，您有以下{n}项服务（按期限先后排列）：",
            Item: (name, d) => $"・{name}：{d}",
            NoDeadline: "无期限"),
        ["ko"] = new(
            WarekiFirst: false,
            Subject: (town, ev, n) => $"[{town}] {ev} 관련 안내 {n}건",
            SubjectDeadline: d => $" (가장 빠른 기한 {d})",
            Heading: (ev, n) => $"{ev}에 따라 다음 {n}건의 안내가 있습니다(기한이 빠른 순):",
            Item: (name, d) => $"・{name}: {d}",
            NoDeadline: "기한 없음"),
        ["vi"] = new(
            WarekiFirst: false,
            Subject: (town, ev, n) => $"{town}: {n} dịch vụ liên quan đến {ev}",
            SubjectDeadline: d => $", hạn sớm nhất {d}",
            Heading: (ev, n) => $"Liên quan đến {ev}, bạn có {n} dịch vụ sau (hạn gần nhất ở trên):",
            Item: (name, d) => $"- {name}: {d}",
            NoDeadline: "không có hạn"),
        ["pt"] = new(
            WarekiFirst: false,
            Subject: (town, ev, n) => $"{town}: {n} serviços após {ev}",
            SubjectDeadline: d => $", primeiro prazo {d}",
            Heading: (ev, n) => $"Após {ev}, há {n} serviços para você (o mais urgente primeiro):",
            Item: (name, d) => $"- {name}: {d}",
            NoDeadline: "sem prazo"),
    };

    /// <summary>The languages a digest is written in: every language of the shipped e-mail templates.</summary>
    public static IReadOnlyCollection<string> Languages => Wordings.Keys;

    /// <summary>
    /// The digest of <paramref name="items"/> (at least two), in the resident's <paramref name="language"/> after the
    /// fallback chain; the items are listed by deadline, earliest first, those without one last.
    /// </summary>
    public static Digest For(string municipality, LifeEventKind kind, string? language, IReadOnlyList<DigestItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count < 2)
        {
            throw new ArgumentException("A digest lists two services or more.", nameof(items));
        }

        var tag = LanguageFallback.Resolve(language, Wordings.Keys) ?? LanguageFallback.Japanese;
        var w = Wordings[tag];
        var ev = LifeEventNames.In(kind, tag);
        var ordered = items.OrderBy(i => i.Deadline ?? DateOnly.MaxValue).ToList();
        var earliest = ordered[0].Deadline;

        var subject = w.Subject(municipality, ev, ordered.Count)
            + (earliest is { } e ? w.SubjectDeadline(w.WarekiFirst ? Drops.JapaneseDate.FormatWareki(e) : TemplateFields.FormatDate(e, tag)) : string.Empty);
        var heading = w.Heading(ev, ordered.Count);
        var lines = ordered.Select(i => w.Item(i.ServiceName, i.Deadline is { } d ? Both(d, tag, w.WarekiFirst) : w.NoDeadline)).ToList();

        var text = heading + "\n" + string.Join('\n', lines);
        var html = $"<p>{HtmlEmail.Escape(heading)}</p>\n<ul>\n"
            + string.Concat(ordered.Select(i => $"<li>{HtmlEmail.Escape(i.ServiceName)}: {HtmlEmail.Escape(i.Deadline is { } d ? Both(d, tag, w.WarekiFirst) : w.NoDeadline)}</li>\n"))
            + "</ul>\n";
        return new Digest(subject, text, html, tag);
    }

    private static string Both(DateOnly date, string language, bool warekiFirst)
    {
        var (wareki, seireki) = (Drops.JapaneseDate.FormatWareki(date), TemplateFields.FormatDate(date, language));
        return warekiFirst ? $"{wareki}（{seireki}）" : $"{seireki} ({wareki})";
    }

    private sealed record Wording(
        bool WarekiFirst,
        Func<string, string, int, string> Subject,
        Func<string, string> SubjectDeadline,
        Func<string, int, string> Heading,
        Func<string, string, string> Item,
        string NoDeadline);
}
