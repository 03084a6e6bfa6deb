using System.Text.RegularExpressions;
using PushGov.Domain.Messaging.Templates;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Messaging.Templates;

public class TemplateCatalogTests
{
    private static readonly string[] DefaultServices =
    [
        "jidou-teate", "ninpu-shien-kyufu", "shussan-ikuji-ichijikin", "kodomo-iryouhi", "jidou-fuyou-teate",
        "kokuho-shikaku", "sousaihi", "okuyami", "kaigo-1go", "kouki-koureisha", "shugaku", "kekkon-shinseikatsu",
        "hisaisha-saiken", "hikazei-kyufukin", "tennyu-guide",
    ];

    private static readonly Channel[] Channels = [Channel.Sms, Channel.Email, Channel.Post, Channel.Line];

    internal static TemplateModel FullModel(string firstName = "花子") => new()
    {
        FirstName = firstName,
        FamilyName = "山田",
        Municipality = "福岡市",
        Deadline = new DateOnly(2026, 12, 7),
        AmountYen = 15_000,
        PortalUrl = new Uri("https://portal.example.jp/"),
        Counter = "中央区役所 子育て支援課（3階）",
        CaseUrl = new Uri("https://portal.example.jp/c/401307-0001?x=1&y=2"),
        UnsubscribeUrl = new Uri("https://portal.example.jp/unsubscribe/abc"),
        PostalAddress = new PostalAddress("8108620", "福岡県福岡市中央区天神1-8-1", "山田", "花子"),
    };

    public static TheoryData<string, string, Channel> EveryDefaultTemplate()
    {
        var data = new TheoryData<string, string, Channel>();
        var catalog = TemplateCatalog.LoadDefault();
        foreach (var service in catalog.ServiceIds.Order(StringComparer.Ordinal))
        {
            foreach (var language in catalog.Languages(service).Order(StringComparer.Ordinal))
            {
                foreach (var channel in Channels)
                {
                    data.Add(service, language, channel);
                }
            }
        }

        return data;
    }

    [Fact]
    public void The_default_catalog_has_every_default_service_in_japanese_easy_japanese_and_english()
    {
        var catalog = TemplateCatalog.LoadDefault();

        Assert.Equal(DefaultServices.Order(StringComparer.Ordinal), catalog.ServiceIds.Order(StringComparer.Ordinal));
        foreach (var service in DefaultServices)
        {
            Assert.Superset(new HashSet<string>(["ja", "ja-x-easy", "en"]), catalog.Languages(service).ToHashSet());
        }

        Assert.Equal(["en", "ja", "ja-x-easy", "ko", "pt", "vi", "zh-Hans"], catalog.Languages("tennyu-guide").Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EveryDefaultTemplate))]
    public void Every_default_template_renders_with_all_its_fields_and_within_limits(string service, string language, Channel channel)
    {
        var catalog = TemplateCatalog.LoadDefault();

        var message = catalog.Render(service, channel, language, FullModel());

        Assert.Equal(language, message.Language);
        Assert.Matches($"^{Regex.Escape($"{service}/{channel.ToString().ToLowerInvariant()}/{language}")}@[0-9a-f]{{8}}$", message.TemplateVersion);
        Assert.DoesNotContain("{{", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("}}", message.Text, StringComparison.Ordinal);
        switch (channel)
        {
            case Channel.Sms:
                Assert.Null(message.Subject);
                Assert.Null(message.Html);
                Assert.Contains("花子", message.Text, StringComparison.Ordinal);
                Assert.Contains("https://portal.example.jp/c/401307-0001", message.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("山田", message.Text, StringComparison.Ordinal);
                Assert.NotNull(message.Sms);
                Assert.InRange(message.Sms.Value.Units, 1, SmsFragments.MaxJapaneseCharacters);
                Assert.Equal(SmsFragments.Count(message.Text), message.Sms.Value);
                break;
            case Channel.Email:
                Assert.False(string.IsNullOrWhiteSpace(message.Subject));
                Assert.Contains("https://portal.example.jp/unsubscribe/abc", message.Text, StringComparison.Ordinal);
                Assert.Contains("<a href=\"https://portal.example.jp/unsubscribe/abc\">", message.Html, StringComparison.Ordinal);
                Assert.Contains($"<html lang=\"{language}\">", message.Html, StringComparison.Ordinal);
                break;
            case Channel.Line:
                Assert.Null(message.Html);
                Assert.InRange(message.Subject?.Length ?? 0, 1, TemplateLimits.MaxLineButtonLabel);
                Assert.Contains("花子", message.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("山田", message.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("15,000", message.Text, StringComparison.Ordinal);
                Assert.InRange(message.Text.Length, 1, 300);
                break;
            case Channel.Post:
                Assert.StartsWith("〒810-8620\n福岡県福岡市中央区天神1-8-1\n山田　花子　様\n\n", message.Text, StringComparison.Ordinal);
                Assert.Contains("https://portal.example.jp/", message.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("unsubscribe", message.Text, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public void Japanese_sms_shows_the_first_name_deadline_in_wareki_and_the_case_link()
    {
        var message = TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Sms, "ja", FullModel());

        Assert.Equal(
            "花子さん　福岡市からのお知らせです。児童手当の申請が必要です。期限は令和8年12月7日です。申請はこちら https://portal.example.jp/c/401307-0001?x=1&y=2",
            message.Text);
        Assert.Equal(new SmsCount(SmsEncoding.Ucs2, 100, 2), message.Sms);
    }

    [Fact]
    public void Amounts_are_shown_with_thousands_separators_in_yen()
    {
        var catalog = TemplateCatalog.LoadDefault();
        var model = FullModel() with { AmountYen = 50_000 };

        Assert.Contains("5万円", catalog.Render("ninpu-shien-kyufu", Channel.Email, "ja", model).Text, StringComparison.Ordinal);
        Assert.Contains("50,000円を受け取る", catalog.Render("ninpu-shien-kyufu", Channel.Email, "ja", model).Text, StringComparison.Ordinal);
        Assert.Contains("you can get ¥50,000 from", catalog.Render("ninpu-shien-kyufu", Channel.Email, "en", model).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pt", "jidou-teate", "ja-x-easy")]
    [InlineData("pt-BR", "tennyu-guide", "pt")]
    [InlineData("zh-Hans-CN", "tennyu-guide", "zh-Hans")]
    [InlineData("zh-Hans-CN", "jidou-teate", "ja-x-easy")]
    [InlineData("en-GB", "jidou-teate", "en")]
    [InlineData(null, "jidou-teate", "ja")]
    public void Rendering_follows_the_fallback_chain_and_reports_the_language_used(string? requested, string service, string used)
    {
        var message = TemplateCatalog.LoadDefault().Render(service, Channel.Email, requested, FullModel());

        Assert.Equal(used, message.Language);
        Assert.StartsWith($"{service}/email/{used}@", message.TemplateVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_name_with_markup_is_escaped_in_html_and_plain_in_text()
    {
        var catalog = TemplateCatalog.LoadDefault();
        var model = FullModel("<script>alert(1)</script>");

        var email = catalog.Render("jidou-teate", Channel.Email, "ja", model);
        var sms = catalog.Render("jidou-teate", Channel.Sms, "ja", model);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; 様", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", email.Html, StringComparison.Ordinal);
        Assert.StartsWith("<script>alert(1)</script> 様", email.Text, StringComparison.Ordinal);
        Assert.StartsWith("<script>alert(1)</script>さん", sms.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_in_html_are_escaped_inside_the_href()
    {
        var email = TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Email, "ja", FullModel());

        Assert.Contains("<a href=\"https://portal.example.jp/c/401307-0001?x=1&amp;y=2\">https://portal.example.jp/c/401307-0001?x=1&amp;y=2</a>", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_looks_like_a_link_does_not_become_a_link_in_html()
    {
        var email = TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Email, "ja", FullModel("https://evil.example/"));

        Assert.Contains("<p>https://evil.example/ 様</p>", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"https://evil.example/", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_looks_like_a_template_is_shown_as_text_not_run()
    {
        var catalog = TemplateCatalog.LoadDefault();
        var model = FullModel("{{ unsubscribe_url }}{{ 1 + 1 }}");

        var sms = catalog.Render("jidou-teate", Channel.Sms, "ja", model);

        Assert.StartsWith("{{ unsubscribe_url }}{{ 1 + 1 }}さん", sms.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_field_is_an_error_naming_the_template_and_the_field()
    {
        var model = FullModel() with { Deadline = null };

        var error = Assert.Throws<TemplateRenderException>(() => TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Sms, "ja", model));

        Assert.Equal("jidou-teate/sms/ja", error.TemplateId);
        Assert.Equal("Template jidou-teate/sms/ja: missing field deadline_wareki.", error.Message);
    }

    [Fact]
    public void A_letter_without_an_address_is_an_error_naming_the_address()
    {
        var model = FullModel() with { PostalAddress = null, Counter = null };

        var error = Assert.Throws<TemplateRenderException>(() => TemplateCatalog.LoadDefault().Render("kaigo-1go", Channel.Post, "ja", model));

        Assert.Equal("Template kaigo-1go/post/ja: missing fields counter, postal_address.", error.Message);
    }

    [Fact]
    public void Required_fields_are_those_the_template_names()
    {
        var fields = TemplateCatalog.LoadDefault().RequiredFields("jidou-teate", Channel.Sms, "ja");

        Assert.Equal(["case_url", "deadline_wareki", "first_name", "municipality", "service_name"], fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_link_that_is_not_http_is_refused()
    {
        var model = FullModel() with { CaseUrl = new Uri("javascript:alert(1)") };

        var error = Assert.Throws<TemplateRenderException>(() => TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Sms, "ja", model));

        Assert.Contains("case_url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_name_passed_in_replaces_the_catalog_name()
    {
        var model = FullModel() with { ServiceName = "こども手当" };

        var sms = TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Sms, "ja", model);

        Assert.Contains("こども手当の申請が必要です", sms.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_sms_made_too_long_at_render_time_by_a_value_is_refused()
    {
        var model = FullModel() with { ServiceName = new string('長', 700) };

        var error = Assert.Throws<TemplateRenderException>(() => TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Sms, "ja", model));

        Assert.Contains("jidou-teate/sms/ja", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_service_is_a_clear_error()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => TemplateCatalog.LoadDefault().Render("no-such-service", Channel.Sms, "ja", FullModel()));

        Assert.Contains("no-such-service", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Renders_on_many_threads_at_once_give_the_same_result()
    {
        var catalog = TemplateCatalog.LoadDefault();
        var expected = catalog.Render("jidou-teate", Channel.Email, "ja", FullModel());

        var results = new RenderedMessage[200];
        Parallel.For(0, results.Length, i => results[i] = catalog.Render("jidou-teate", Channel.Email, "ja", FullModel()));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void A_rendered_message_becomes_an_outgoing_message_carrying_language_and_template_version()
    {
        var rendered = TemplateCatalog.LoadDefault().Render("tennyu-guide", Channel.Email, "pt-BR", FullModel("Ana"));

        var message = rendered.ToOutgoingMessage("401307", "msg-1", "case-1/welcome", Channel.Email, "ana@example.jp");

        Assert.Equal("pt", message.Language);
        Assert.Equal(rendered.TemplateVersion, message.TemplateVersion);
        Assert.Equal("Bem-vindo a 福岡市", message.Subject);
        Assert.Equal(rendered.Html, message.HtmlBody);
        Assert.StartsWith("Olá, Ana,", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_letter_with_a_bad_postal_code_is_an_error_naming_the_template_not_the_value()
    {
        var model = FullModel() with { PostalAddress = new PostalAddress("81086", "福岡県福岡市中央区天神1-8-1", "山田", "花子") };

        var error = Assert.Throws<TemplateRenderException>(() => TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Post, "ja", model));

        Assert.Equal("Template jidou-teate/post/ja: postal_address: A Japanese postal code has 7 digits; got 5.", error.Message);
    }
}
