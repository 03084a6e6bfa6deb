using PushGov.Domain.Messaging.Templates;

namespace PushGov.Domain.Detection;

/// <summary>
/// A life event in words for a resident, in every language the message templates have (日本語, やさしい日本語, English,
/// 简体中文, 한국어, Tiếng Việt, Português): the resident's case page and the opening of a message that covers several
/// services both name the event from here. Each name reads after "after"/"に伴う"/"관련" (a noun phrase).
/// </summary>
public static class LifeEventNames
{
    /// <summary>The languages of the table, in its column order.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["ja", "ja-x-easy", "en", "zh-Hans", "ko", "vi", "pt"];

    private static readonly Dictionary<LifeEventKind, string[]> Names = new()
    {
        [LifeEventKind.BIRTH] = ["出生", "こどもが うまれた こと", "a birth", "出生", "출생", "sinh con", "o nascimento"],
        [LifeEventKind.DEATH] = ["死亡", "かぞくが なくなった こと", "a death", "亲人去世", "사망", "người thân qua đời", "o falecimento"],
        [LifeEventKind.MOVE_IN] = ["転入", "ひっこして きた こと", "moving in", "迁入", "전입", "chuyển đến", "a mudança para o município"],
        [LifeEventKind.MOVE_IN_ABROAD] = ["国外からの転入", "がいこくから ひっこして きた こと", "moving in from abroad", "从国外迁入", "해외에서의 전입", "chuyển đến từ nước ngoài", "a mudança do exterior"],
        [LifeEventKind.MOVE_OUT] = ["転出", "ひっこして いく こと", "moving out", "迁出", "전출", "chuyển đi", "a mudança para outro município"],
        [LifeEventKind.MOVE_OUT_ABROAD] = ["国外への転出", "がいこくへ ひっこす こと", "moving abroad", "迁往国外", "해외로의 전출", "chuyển ra nước ngoài", "a mudança para o exterior"],
        [LifeEventKind.RELOCATION] = ["転居", "まちの なかで ひっこした こと", "moving within the city", "市内搬家", "시내 이사", "chuyển nhà trong thành phố", "a mudança dentro do município"],
        [LifeEventKind.HOUSEHOLD_SPLIT] = ["世帯分離", "せたいが わかれた こと", "a household split", "分户", "세대 분리", "tách hộ", "a separação do domicílio"],
        [LifeEventKind.HOUSEHOLD_MERGE] = ["世帯合併", "せたいが ひとつに なった こと", "households merging", "合户", "세대 합가", "nhập hộ", "a união de domicílios"],
        [LifeEventKind.HOUSEHOLD_CHANGE] = ["世帯の変更", "せたいが かわった こと", "a household change", "户内变更", "세대 변경", "thay đổi hộ gia đình", "a mudança no domicílio"],
        [LifeEventKind.HEAD_CHANGE] = ["世帯主の変更", "せたいぬしが かわった こと", "a new head of household", "户主变更", "세대주 변경", "thay đổi chủ hộ", "a mudança do chefe do domicílio"],
        [LifeEventKind.MARRIAGE] = ["婚姻", "けっこん", "a marriage", "结婚", "혼인", "kết hôn", "o casamento"],
        [LifeEventKind.DIVORCE] = ["離婚", "りこん", "a divorce", "离婚", "이혼", "ly hôn", "o divórcio"],
        [LifeEventKind.AGE_65] = ["65歳の誕生日", "65さいに なった こと", "turning 65", "年满65岁", "만 65세 도래", "tròn 65 tuổi", "os 65 anos"],
        [LifeEventKind.AGE_75] = ["75歳の誕生日", "75さいに なった こと", "turning 75", "年满75岁", "만 75세 도래", "tròn 75 tuổi", "os 75 anos"],
        [LifeEventKind.SCHOOL_ENTRY] = ["小学校への入学", "しょうがっこうに はいる こと", "starting school", "小学入学", "초등학교 입학", "vào tiểu học", "a entrada na escola primária"],
        [LifeEventKind.PREGNANCY] = ["妊娠の届出", "にんしんの とどけ", "a pregnancy notification", "妊娠申报", "임신 신고", "khai báo mang thai", "a notificação de gravidez"],
        [LifeEventKind.TAX_NON_TAXABLE] = ["住民税が非課税になったこと", "じゅうみんぜいが かからない こと", "being exempt from resident tax", "免征居民税", "주민세 비과세", "được miễn thuế cư trú", "a isenção do imposto de residente"],
        [LifeEventKind.DISASTER_CERTIFIED] = ["罹災証明の交付", "さいがいの しょうめいしょ", "a disaster damage certificate", "受灾证明的签发", "이재 증명서 발급", "cấp giấy chứng nhận thiệt hại", "a emissão do certificado de danos"],
    };

    /// <summary>The event's name in <paramref name="language"/> (after the template fallback chain: its base tags, やさしい日本語, 日本語).</summary>
    public static string In(LifeEventKind kind, string? language)
    {
        var tag = LanguageFallback.Resolve(language, Languages) ?? LanguageFallback.Japanese;
        return Names.TryGetValue(kind, out var names) ? names[IndexOf(tag)] : kind.ToString();
    }

    private static int IndexOf(string tag)
    {
        for (var i = 0; i < Languages.Count; i++)
        {
            if (Languages[i].Equals(tag, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return 0;
    }
}
