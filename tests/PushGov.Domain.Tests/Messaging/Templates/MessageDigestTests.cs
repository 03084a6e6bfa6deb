using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Templates;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;

namespace PushGov.Domain.Tests.Messaging.Templates;

public sealed class MessageDigestTests
{
    private const string Tenant = "401307";
    private const string CaseId = "BIRTH-0123456789abcdef0123";
    private const string Resident = "100000001";
    private static readonly DateOnly Kokuho = new(2026, 11, 24);
    private static readonly DateOnly JidouTeate = new(2026, 11, 25);
    private static readonly DateOnly Ichijikin = new(2028, 11, 10);

    private static readonly TenantConfig Fukuoka = new() { Code = Tenant, Name = "福岡市", PortalBaseUrl = "https://portal.city.fukuoka.example.jp" };
    private readonly TemplateComposer composer = new(_ => TemplateCatalog.LoadDefault(), new ResidentLinkSigner("domain-tests-resident-link-key-0123456789"));

    [Theory]
    [InlineData("ja", "【福岡市】出生に伴う4件のお知らせ（最も早い期限 令和8年11月24日）")]
    [InlineData("ja-x-easy", "福岡市：こどもが うまれた ことの おしらせ 4つ（いちばん はやい きげん 令和8年11月24日）")]
    [InlineData("en", "福岡市: 4 services after a birth, first deadline 24 November 2026")]
    [InlineData("zh-Hans", "【福岡市】出生相关的4项通知（最早期限 2026年11月24日）")]
    [InlineData("ko", "[福岡市] 출생 관련 안내 4건 (가장 빠른 기한 2026년 11월 24일)")]
    [InlineData("vi", "福岡市: 4 dịch vụ liên quan đến sinh con, hạn sớm nhất ngày 24 tháng 11 năm 2026")]
    [InlineData("pt", "福岡市: 4 serviços após o nascimento, primeiro prazo 24 de novembro de 2026")]
    public void A_birth_email_of_four_services_names_the_event_and_the_earliest_deadline_in_its_subject(string language, string subject)
    {
        var message = composer.Compose(Fukuoka, BirthCase(), Email(language));

        Assert.Equal(subject, message.Subject);
    }

    [Fact]
    public void Every_language_of_the_email_templates_has_a_digest()
    {
        var catalog = TemplateCatalog.LoadDefault();
        var languages = catalog.ServiceIds.SelectMany(catalog.Languages).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Subset(MessageDigest.Languages.ToHashSet(StringComparer.OrdinalIgnoreCase), languages);
        Assert.All(MessageDigest.Languages, l => Assert.Contains(LifeEventNames.In(LifeEventKind.BIRTH, l), MessageDigest.For("福岡市", LifeEventKind.BIRTH, l, Items()).Subject, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ja", "出生に伴い、次の4件の手続き・給付があります（期限の早い順）。\n・国民健康保険の加入・脱退：令和8年11月24日（2026年11月24日）\n・児童手当：令和8年11月25日（2026年11月25日）\n・出産育児一時金：令和10年11月10日（2028年11月10日）\n・子ども医療費助成：期限なし")]
    [InlineData("en", "After a birth, there are 4 services for you. The most urgent comes first:\n- National Health Insurance (joining or leaving): 24 November 2026 (令和8年11月24日)\n- Child Allowance (jidō teate): 25 November 2026 (令和8年11月25日)\n- Childbirth Lump-Sum Grant: 10 November 2028 (令和10年11月10日)\n- Child Medical Expense Subsidy: no deadline")]
    public void The_body_opens_with_the_services_and_their_deadlines_most_urgent_first_before_the_details(string language, string opening)
    {
        var message = composer.Compose(Fukuoka, BirthCase(), Email(language));

        Assert.StartsWith(opening + "\n\n――――――――――\n\n", message.Text, StringComparison.Ordinal);
        Assert.Equal(4, message.TemplateVersion.Split('+').Length);
    }

    [Fact]
    public void The_easy_japanese_list_orders_by_deadline_and_the_html_part_is_one_document_with_the_list_first()
    {
        var message = composer.Compose(Fukuoka, BirthCase(), Email("ja-x-easy"));
        var names = new[] { "こくみん けんこう ほけんの てつづき", "じどう てあて", "こどもが うまれた ときの おかね", "こどもの びょういんの おかねの たすけ" };

        var positions = names.Select(n => message.Text.IndexOf("・" + n, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message.Html!, "<!DOCTYPE html>"));
        Assert.True(message.Html!.IndexOf("<ul>", StringComparison.Ordinal) < message.Html.IndexOf("<hr>", StringComparison.Ordinal));
        Assert.Contains("<html lang=\"ja-x-easy\">", message.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Channel.Sms)]
    [InlineData(Channel.Line)]
    public void Sms_and_line_stay_one_service_the_most_urgent_within_their_limits(Channel channel)
    {
        var message = composer.Compose(Fukuoka, BirthCase(), Email("ja") with { Channel = channel, Address = "+819012345678" });

        Assert.StartsWith("kokuho-shikaku/", message.TemplateVersion, StringComparison.Ordinal);
        Assert.DoesNotContain("児童手当", message.Text, StringComparison.Ordinal);
        if (channel == Channel.Sms)
        {
            Assert.True(SmsFragments.Count(message.Text).Parts <= TemplateLimits.Default.MaxSmsParts);
        }
        else
        {
            Assert.True(message.Text.Length <= TemplateLimits.LineTextLimit);
        }
    }

    [Fact]
    public void An_email_of_one_service_keeps_its_own_subject()
    {
        var c = BirthCase() with { Matches = [BirthCase().Matches[0]] };

        var message = composer.Compose(Fukuoka, c, Email("ja"));

        Assert.Equal("【福岡市】児童手当の申請をお願いします（期限 令和8年11月25日）", message.Subject);
    }

    private static List<DigestItem> Items() => [new("児童手当", JidouTeate), new("子ども医療費助成", null)];

    private static Delivery Email(string language) =>
        new("m-1", Resident, Channel.Email, "hanako@example.jp", language, ["jidou-teate", "kodomo-iryouhi", "shussan-ikuji-ichijikin", "kokuho-shikaku"], "initial", GivenName: "花子", FamilyName: "福岡");

    private static CaseData BirthCase() => new()
    {
        Tenant = Tenant,
        CaseId = CaseId,
        CreatedAt = new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero),
        Event = new LifeEvent { Kind = LifeEventKind.BIRTH, Tenant = Tenant, EventId = CaseId, ResidentId = "3", HouseholdId = "H1", EventDate = new DateOnly(2026, 11, 10), Source = new EventSource("resident-changes", 2) },
        Matches =
        [
            Match("jidou-teate", JidouTeate),
            Match("kodomo-iryouhi", null),
            Match("shussan-ikuji-ichijikin", Ichijikin) with { AmountYen = 500_000 },
            Match("kokuho-shikaku", Kokuho),
        ],
    };

    private static ServiceMatch Match(string service, DateOnly? deadline) =>
        new() { EventId = CaseId, ServiceId = service, RecipientIds = [Resident], Deadline = deadline, NeedsClaim = true };
}
