using PushGov.Domain.Messaging.Templates;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Messaging.Templates;

public class TemplateLoadingTests
{
    private const string UnsubscribeLine = "配信停止：{{ unsubscribe_url }}";

    private static string ServiceFile(
        string sms = "{{ first_name }}さん　{{ service_name }}のお知らせ {{ case_url }}",
        string emailText = "{{ first_name }} 様\n\n{{ service_name }}のお知らせです。\n\n" + UnsubscribeLine,
        string? emailHtml = null,
        string line = "{{ first_name }}さん　{{ service_name }}のお知らせです。",
        string lineButton = "詳しく見る",
        string language = "ja",
        string service = "test-service",
        string name = "テスト給付") =>
        $"""
        service: {service}
        names:
          {language}: {name}
        templates:
          {language}:
            subject: |-
              {Indent("{{ service_name }}のお知らせ")}
            sms: |-
              {Indent(sms)}
            line: |-
              {Indent(line)}
            line_button: |-
              {Indent(lineButton)}
            email_text: |-
              {Indent(emailText)}
        {(emailHtml is null ? string.Empty : $"    email_html: |-\n      {Indent(emailHtml)}\n")}    letter: |-
              {Indent("{{ service_name }}のお知らせです。")}
        """;

    private static string Indent(string text) => text.Replace("\n", "\n      ", StringComparison.Ordinal);

    private static TemplateCatalog Load(string yaml, string fileName = "test-service.yaml") =>
        TemplateCatalog.LoadFrom(new StringReader(yaml), fileName);

    [Fact]
    public void A_well_formed_file_loads_and_renders()
    {
        var catalog = Load(ServiceFile());

        var sms = catalog.Render("test-service", Channel.Sms, "ja", TemplateCatalogTests.FullModel());

        Assert.Equal("花子さん　テスト給付のお知らせ https://portal.example.jp/c/401307-0001?x=1&y=2", sms.Text);
    }

    [Fact]
    public void An_sms_template_that_can_exceed_670_characters_is_refused_at_load()
    {
        // 560 fixed characters fit with short values (2 + 2 + 560 + 47 = 611), but a 20-character name and a
        // 100-character link push it to 682.
        var sms = "{{ first_name }}さん" + new string('お', 560) + "{{ case_url }}";

        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(sms: sms)));

        Assert.Contains("test-service/sms/ja", error.Message, StringComparison.Ordinal);
        Assert.Contains("can exceed the SMS limit", error.Message, StringComparison.Ordinal);
        Assert.Contains("682 characters", error.Message, StringComparison.Ordinal);
        Assert.Equal(611, SmsFragments.Count("花子さん" + new string('お', 560) + "https://portal.example.jp/c/401307-0001?x=1&y=2").Units);
    }

    [Fact]
    public void An_sms_template_just_within_the_limit_with_worst_case_values_loads()
    {
        // 20 (name) + 2 (さん) + 548 + 100 (link) = 670 characters.
        var sms = "{{ first_name }}さん" + new string('お', 548) + "{{ case_url }}";

        var catalog = Load(ServiceFile(sms: sms));

        Assert.Contains("test-service", catalog.ServiceIds);
    }

    [Fact]
    public void An_sms_template_one_character_over_with_worst_case_values_is_refused()
    {
        var sms = "{{ first_name }}さん" + new string('お', 549) + "{{ case_url }}";

        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(sms: sms)));

        Assert.Contains("671 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("family_name")]
    public void An_sms_template_naming_a_personal_field_is_refused(string field)
    {
        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(sms: $"{{{{ first_name }}}}さん {{{{ {field} }}}} {{{{ case_url }}}}")));

        Assert.Equal($"Template test-service/sms/ja names {field}: an SMS carries no personal detail beyond the first name.", error.Message);
    }

    [Fact]
    public void A_template_naming_an_unknown_field_is_refused_at_load()
    {
        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(sms: "{{ frist_name }}さん {{ case_url }}")));

        Assert.Contains("test-service/sms/ja", error.Message, StringComparison.Ordinal);
        Assert.Contains("frist_name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_does_not_parse_is_refused_with_its_name()
    {
        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(sms: "{{ if first_name }}{{ case_url }}")));

        Assert.StartsWith("Template test-service/sms/ja does not parse", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluating_a_value_as_a_template_is_not_available_to_templates()
    {
        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(sms: "{{ first_name | object.eval_template }} {{ case_url }}")));

        Assert.Contains("object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_email_without_the_unsubscribe_link_is_refused()
    {
        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(emailText: "{{ first_name }} 様")));

        Assert.Equal("Template test-service/email/ja must show unsubscribe_url in every e-mail body.", error.Message);
    }

    [Fact]
    public void A_line_template_that_can_exceed_lines_5000_characters_is_refused_at_load()
    {
        // 4,983 characters with a short name ("花子さん" + 4,979), 5,001 with a 20-character one.
        var line = "{{ first_name }}さん" + new string('お', 4979);

        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(line: line)));

        Assert.Equal("Template test-service/line/ja can exceed the LINE limit: with worst-case values it is 5001 characters (limit 5000).", error.Message);
    }

    [Theory]
    [InlineData("family_name")]
    [InlineData("amount")]
    public void A_line_template_naming_a_personal_field_is_refused(string field)
    {
        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(line: $"{{{{ first_name }}}}さん {{{{ {field} }}}}")));

        Assert.Equal($"Template test-service/line/ja names {field}: a LINE message carries no personal detail beyond the first name.", error.Message);
    }

    [Fact]
    public void A_line_button_label_longer_than_lines_20_characters_is_refused()
    {
        var error = Assert.Throws<TemplateLoadException>(() => Load(ServiceFile(lineButton: new string('あ', 21))));

        Assert.Contains("line_button must render to 1 to 20 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_language_without_a_line_template_is_refused()
    {
        var yaml = ServiceFile().Replace("    line: |-", "    linee: |-", StringComparison.Ordinal);

        Assert.Throws<TemplateLoadException>(() => Load(yaml));
    }

    [Fact]
    public void A_line_message_renders_its_text_and_the_button_label_as_subject()
    {
        var rendered = Load(ServiceFile()).Render("test-service", Channel.Line, "ja", TemplateCatalogTests.FullModel());

        Assert.Equal("花子さん　テスト給付のお知らせです。", rendered.Text);
        Assert.Equal("詳しく見る", rendered.Subject);
        Assert.Null(rendered.Html);
        Assert.StartsWith("test-service/line/ja@", rendered.TemplateVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_is_refused_naming_the_file()
    {
        var yaml = ServiceFile().Replace("email_text:", "emial_text:", StringComparison.Ordinal);

        var error = Assert.Throws<TemplateLoadException>(() => Load(yaml, "tenant/test-service.yaml"));

        Assert.Contains("tenant/test-service.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_html_body_gets_escaped_values()
    {
        var html = "<p>{{ first_name }} 様</p><p><a href=\"{{ unsubscribe_url }}\">配信停止</a></p>";
        var catalog = Load(ServiceFile(emailHtml: html));

        var email = catalog.Render("test-service", Channel.Email, "ja", TemplateCatalogTests.FullModel("<b>\"花子\"</b>"));

        Assert.Contains("<p>&lt;b&gt;&quot;花子&quot;&lt;/b&gt; 様</p><p><a href=\"https://portal.example.jp/unsubscribe/abc\">配信停止</a></p>", email.Html, StringComparison.Ordinal);
        Assert.StartsWith("<b>\"花子\"</b> 様", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_version_changes_when_the_template_text_changes_and_only_then()
    {
        var model = TemplateCatalogTests.FullModel();
        var first = Load(ServiceFile()).Render("test-service", Channel.Sms, "ja", model).TemplateVersion;
        var same = Load(ServiceFile()).Render("test-service", Channel.Sms, "ja", model).TemplateVersion;
        var edited = Load(ServiceFile(sms: "{{ first_name }}さん　お知らせ {{ case_url }}")).Render("test-service", Channel.Sms, "ja", model).TemplateVersion;
        var emailUnchanged = Load(ServiceFile(sms: "{{ first_name }}さん　お知らせ {{ case_url }}")).Render("test-service", Channel.Email, "ja", model).TemplateVersion;

        Assert.Equal(first, same);
        Assert.NotEqual(first, edited);
        Assert.Equal(Load(ServiceFile()).Render("test-service", Channel.Email, "ja", model).TemplateVersion, emailUnchanged);
    }

    [Fact]
    public void Tenant_overrides_replace_a_language_of_a_default_service_and_keep_the_others()
    {
        var tenant = Load(ServiceFile(service: "jidou-teate", name: "児童手当", sms: "{{ first_name }}さん　{{ municipality }}です。児童手当を申請してください。{{ case_url }}"));

        var catalog = TemplateCatalog.LoadDefault().WithOverrides(tenant);
        var model = TemplateCatalogTests.FullModel();

        Assert.Equal("花子さん　福岡市です。児童手当を申請してください。https://portal.example.jp/c/401307-0001?x=1&y=2", catalog.Render("jidou-teate", Channel.Sms, "ja", model).Text);
        Assert.Equal(TemplateCatalog.LoadDefault().Render("jidou-teate", Channel.Sms, "en", model), catalog.Render("jidou-teate", Channel.Sms, "en", model));
        Assert.Equal(TemplateCatalog.LoadDefault().Render("okuyami", Channel.Sms, "ja", model), catalog.Render("okuyami", Channel.Sms, "ja", model));
    }

    [Fact]
    public void Tenant_overrides_can_add_a_language_to_a_default_service()
    {
        var tenant = Load(ServiceFile(service: "jidou-teate", language: "vi", name: "Trợ cấp nhi đồng", sms: "{{ first_name }}: {{ service_name }} {{ case_url }}"));

        var catalog = TemplateCatalog.LoadDefault().WithOverrides(tenant);
        var sms = catalog.Render("jidou-teate", Channel.Sms, "vi-VN", TemplateCatalogTests.FullModel("Lan"));

        Assert.Equal("vi", sms.Language);
        Assert.Equal("Lan: Trợ cấp nhi đồng https://portal.example.jp/c/401307-0001?x=1&y=2", sms.Text);
        Assert.Equal("ja-x-easy", catalog.Render("jidou-teate", Channel.Sms, "pt", TemplateCatalogTests.FullModel()).Language);
    }

    [Fact]
    public void A_tenant_directory_is_loaded_from_its_yaml_files()
    {
        var directory = Directory.CreateTempSubdirectory("pushgov-templates-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "test-service.yaml"), ServiceFile());
            File.WriteAllText(Path.Combine(directory.FullName, "other.yml"), ServiceFile(service: "other-service"));
            File.WriteAllText(Path.Combine(directory.FullName, "notes.txt"), "not a template");

            var catalog = TemplateCatalog.LoadFrom(directory.FullName);

            Assert.Equal(["other-service", "test-service"], catalog.ServiceIds.Order(StringComparer.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_same_service_in_two_files_is_refused()
    {
        var error = Assert.Throws<TemplateLoadException>(() =>
            TemplateCatalog.LoadFrom([("a.yaml", ServiceFile()), ("b.yaml", ServiceFile())]));

        Assert.Equal("Service test-service is defined in more than one file: a.yaml, b.yaml.", error.Message);
    }
}
