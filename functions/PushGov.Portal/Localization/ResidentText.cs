using System.Globalization;

namespace PushGov.Portal.Localization;

/// <summary>
/// The words of the residents' pages in 日本語 (<c>ja</c>), やさしい日本語 (<c>ja-x-easy</c>) and English (<c>en</c>).
/// A page opens in the resident's language (from their case), and a switch on every page offers the other two. A key
/// without words shows itself, so a gap is visible.
/// </summary>
public sealed class ResidentText(string lang)
{
    public static readonly IReadOnlyList<string> Languages = ["ja", "ja-x-easy", "en"];

    public string Lang { get; } = Languages.Contains(lang) ? lang : "ja";

    /// <summary>The value of the html lang attribute: やさしい日本語 is Japanese.</summary>
    public string HtmlLang => Lang == "en" ? "en" : "ja";

    public string this[string key] => Words.TryGetValue(key, out var w) ? Lang switch { "ja-x-easy" => w.Easy, "en" => w.En, _ => w.Ja } : key;

    /// <summary>A language's own name, for the switch.</summary>
    public static string NameOf(string lang) => lang switch
    {
        "ja-x-easy" => "やさしい にほんご",
        "en" => "English",
        _ => "日本語",
    };

    public string Format(string key, params object[] args) => string.Format(CultureInfo.InvariantCulture, this[key], args);

    /// <summary>A day in 和暦 and 西暦: 令和8年11月25日（2026年11月25日）, or 25 November 2026 (令和8年11月25日).</summary>
    public string Day(DateOnly day, string wareki) => Lang == "en"
        ? $"{day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} ({wareki})"
        : $"{wareki}（{day.Year}年{day.Month}月{day.Day}日）";

    /// <summary>Yen: 15,000円 (Japanese) or ¥15,000.</summary>
    public string Yen(long amount) => Lang == "en" ? $"¥{amount.ToString("#,0", CultureInfo.InvariantCulture)}" : $"{amount.ToString("#,0", CultureInfo.InvariantCulture)}円";

    private static readonly Dictionary<string, (string Ja, string Easy, string En)> Words = new(StringComparer.Ordinal)
    {
        ["skip"] = ("本文へ移動", "ほんぶんへ いどう", "Skip to content"),
        ["lang"] = ("表示する言葉", "ことば", "Language"),
        ["title"] = ("{0}からのお知らせ", "{0}からの おしらせ", "A notice from {0}"),
        ["genuine.title"] = ("本物のお知らせか確かめるには", "ほんものか たしかめる ほうほう", "How to check this is genuine"),
        ["genuine.text"] = ("このページは{0}のお知らせです。ブラウザのアドレスが https://{1}/ で始まることを確かめてください。不安なときは、メッセージのリンクを使わずに{0}の窓口に電話してください。", "この ページは {0}からの おしらせです。ブラウザの アドレスが https://{1}/ で はじまるか たしかめて ください。しんぱいな ときは、メッセージの リンクを つかわないで、{0}の まどぐちに でんわ して ください。", "This page is a notice from {0}. Check that the address in your browser starts with https://{1}/. If in doubt, do not use the link in the message: call the counter of {0}."),
        ["about"] = ("{0}の{1}にもとづくお知らせです。", "{0}の {1}に ついての おしらせです。", "This notice is about {1} on {0}."),
        ["offers"] = ("受けられる制度", "うけられる せいど", "What you can get"),
        ["none"] = ("このお知らせで、あなたにご案内する制度はありません。", "あなたに おしらせする せいどは ありません。", "There is nothing in this notice for you to apply for."),
        ["amount"] = ("金額", "きんがく（おかね）", "Amount"),
        ["amount.month"] = ("月額 {0}", "1かげつに {0}", "{0} a month"),
        ["amount.once"] = ("{0}", "{0}", "{0}"),
        ["amount.upto"] = ("最大 {0}", "いちばん おおくて {0}", "up to {0}"),
        ["deadline"] = ("期限", "しめきり", "Deadline"),
        ["deadline.none"] = ("期限はありません", "しめきりは ありません", "No deadline"),
        ["claim"] = ("手続き", "てつづき", "What to do"),
        ["claim.needed"] = ("申請が必要です。", "しんせい（もうしこみ）が ひつようです。", "You need to apply."),
        ["claim.auto"] = ("申請は必要ありません（自動で受けられます）。", "しんせいは いりません。", "No application is needed: it happens automatically."),
        ["how"] = ("申請の方法", "もうしこみの しかた", "How to apply"),
        ["how.online"] = ("オンラインで申請する", "インターネットで もうしこむ", "Apply online"),
        ["how.counter"] = ("窓口", "まどぐち", "At the counter"),
        ["how.bring"] = ("窓口ではマイナンバーカードか本人確認書類をお持ちください。", "まどぐちには マイナンバーカードか、あなたが だれか わかる しょるいを もって きて ください。", "At the counter, bring your My Number Card or another proof of identity."),
        ["why"] = ("このお知らせが届いた理由", "この おしらせが とどいた りゆう", "Why you received this"),
        ["answer.title"] = ("お返事", "おへんじ", "Your answer"),
        ["answer.help"] = ("申請が済んだら、または必要ないときは、お知らせください。リマインドが止まります。", "もうしこみが おわったら、または いらない ときは、おしえて ください。おしらせが とまります。", "Tell us once you have applied, or if this is not for you: the reminders stop."),
        ["answer.applied"] = ("申請しました", "もうしこみました", "I applied"),
        ["answer.declined"] = ("必要ありません", "いりません", "Not for me"),
        ["answered.applied"] = ("ありがとうございます。申請済みとして受け付けました。", "ありがとう ございます。もうしこみが おわったと うけつけました。", "Thank you. We have recorded that you applied."),
        ["answered.declined"] = ("承知しました。このお知らせは終了します。", "わかりました。この おしらせは おわりです。", "Understood. This notice is closed."),
        ["answered.confirmed"] = ("ありがとうございます。申請を受け付けました。担当課から連絡がある場合があります。", "ありがとう ございます。もうしこみを うけつけました。やくしょから れんらくが ある ことが あります。", "Thank you. Your application has been received. The department may contact you."),
        ["onestep.title"] = ("かんたん申請（記入済み）", "かんたん もうしこみ（かいて あります）", "One-step application (filled in for you)"),
        ["onestep.help"] = ("市区町村が持っている情報で申請書を記入しました。内容が正しければ、ボタンを押すだけで申請できます。違うところがあるときは、押さずに窓口へご連絡ください。", "やくしょの じょうほうで もうしこみの かみを かきました。ただしければ、ボタンを おすだけで もうしこめます。ちがう ところが あれば、おさないで まどぐちに れんらく して ください。", "We filled in the application from the municipality's records. If it is right, one button applies. If anything is wrong, do not press it: contact the counter."),
        ["onestep.applicant"] = ("申請する人", "もうしこむ ひと", "Applicant"),
        ["onestep.children"] = ("対象のお子さん", "こども", "Children"),
        ["onestep.children.none"] = ("登録されていません", "とうろく されて いません", "None registered"),
        ["onestep.household"] = ("世帯", "かぞく（せたい）", "Household"),
        ["onestep.household.text"] = ("世帯主 {0}、{1}人", "せたいぬし {0}、{1}にん", "Head of household {0}, {1} people"),
        ["onestep.account"] = ("公金受取口座", "こうきん うけとり こうざ（おかねを うけとる ぎんこうの こうざ）", "Public-funds receiving account"),
        ["onestep.account.unknown"] = ("登録の有無はこちらでは分かりません。窓口でご確認ください。", "とうろく して いるか、ここでは わかりません。まどぐちで たしかめて ください。", "We cannot tell here whether one is registered: please confirm at the counter."),
        ["onestep.confirm"] = ("この内容で{0}を申請する", "この ないようで {0}を もうしこむ", "Apply for {0} as filled in"),
        ["answered.late"] = ("このお知らせはすでに終了しています。", "この おしらせは もう おわって います。", "This notice is already closed."),
        ["closed"] = ("このお知らせは終了しています。", "この おしらせは おわって います。", "This notice is closed."),
        ["closed.Applied"] = ("申請済みとして受け付けています。", "もうしこみが おわったと うけつけて います。", "Recorded as applied."),
        ["closed.Declined"] = ("必要ないとのお返事を受け付けています。", "いらないと いう おへんじを うけつけて います。", "Recorded as not needed."),
        ["link.until"] = ("このリンクは{0}まで使えます。", "この リンクは {0}まで つかえます。", "This link works until {0}."),
        ["prefs.link"] = ("連絡方法・同意・言葉の設定", "れんらくの しかた・どうい・ことばの せってい", "Contact, consent and language settings"),
        ["prefs.title"] = ("連絡方法の設定", "れんらくの しかたの せってい", "How we contact you"),
        ["prefs.help"] = ("チェックを外すと、その方法ではすぐにお知らせを送らなくなります（送信待ちのものも取り消します）。", "チェックを はずすと、その ほうほうでは すぐに おしらせを おくらなく なります。", "Unticking a channel stops messages on it at once (messages waiting to be sent are cancelled)."),
        ["prefs.sms"] = ("SMS（携帯電話の番号）", "SMS（けいたいでんわの ばんごう）", "SMS (mobile number)"),
        ["prefs.email"] = ("メールアドレス", "メールアドレス", "E-mail address"),
        ["prefs.post"] = ("郵送先（1行）", "ゆうびんの あてさき（1ぎょう）", "Postal address (one line)"),
        ["prefs.consent"] = ("この方法でお知らせを受け取る", "この ほうほうで おしらせを うけとる", "Send me notices this way"),
        ["prefs.line"] = ("LINE でお知らせを受け取る（連携の解除はここで、連携は LINE から）", "LINE で おしらせを うけとる", "Send me notices on LINE (link it from LINE; stop it here)"),
        ["prefs.tax"] = ("住民税の情報を使って、受けられる制度を調べることに同意する", "じゅうみんぜいの じょうほうを つかって しらべる ことに どういする", "I agree that my resident tax data is used to find what I can get"),
        ["prefs.language"] = ("お知らせの言葉", "おしらせの ことば", "Language of notices"),
        ["prefs.save"] = ("保存する", "ほぞん する", "Save"),
        ["prefs.saved"] = ("設定を保存しました。", "せっていを ほぞん しました。", "Your settings are saved."),
        ["prefs.unchanged"] = ("変更はありませんでした。", "かわった ところは ありません。", "Nothing was changed."),
        ["prefs.errors"] = ("保存できませんでした。入力を確かめてください。", "ほぞん できませんでした。かいた ことを たしかめて ください。", "Not saved: please check what you entered."),
        ["prefs.back"] = ("お知らせに戻る", "おしらせに もどる", "Back to the notice"),
        ["invalid.title"] = ("このリンクは使えません", "この リンクは つかえません", "This link cannot be used"),
        ["invalid.text"] = ("リンクの期限が切れたか、正しくないリンクです。お住まいの市区町村の窓口に電話するか、市区町村のポータルサイトにサインインして、お知らせの内容を確かめてください。", "リンクの きげんが おわったか、ただしくない リンクです。すんでいる まちの まどぐちに でんわ するか、まちの ホームページに サインイン して、おしらせを たしかめて ください。", "The link has expired or is not valid. Please call the counter of your municipality, or sign in to your municipality's portal, to see your notice."),
    };
}
