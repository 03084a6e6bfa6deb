using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PushGov.Domain;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Storage;
using PushGov.Portal.Tests.Support;
using PushGov.Testing;
using Xunit.Abstractions;

namespace PushGov.Portal.Tests;

/// <summary>The residents' side: the link in a message opens the resident's case page; bad links get one page that says what to do.</summary>
[Collection("Portal")]
public sealed class ResidentPageTests(PortalFixture fx, ITestOutputHelper output)
{
    [Fact]
    public async Task A_resident_follows_the_link_reads_the_case_in_easy_Japanese_and_says_they_applied_which_closes_the_case()
    {
        var link = await fx.ResidentLinkAsync(931);
        await using var context = await fx.NewContextAsync();
        var page = await context.NewPageAsync();

        var opened = await page.GotoAsync(link);
        Assert.Equal(200, opened!.Status);
        Assert.Contains("no-store", await opened.HeaderValueAsync("cache-control"), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("福岡市からのお知らせ");
        var allowance = page.GetByRole(AriaRole.Article, new() { Name = "児童手当" });
        await Assertions.Expect(allowance).ToContainTextAsync("令和");
        await Assertions.Expect(allowance).ToContainTextAsync("申請が必要です。");
        await Assertions.Expect(page.GetByText("ブラウザのアドレスが https://portal.example.jp/ で始まる", new() { Exact = false })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "やさしい にほんご" }).ClickAsync();
        var easy = page.GetByRole(AriaRole.Article, new() { Name = "じどう てあて（こどもの ための おかね）" });
        await Assertions.Expect(easy).ToBeVisibleAsync();
        await easy.GetByText("この おしらせが とどいた りゆう").ClickAsync();
        await Assertions.Expect(easy.GetByText("こどもが うまれた ことが きろく されました。", new() { Exact = false })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "もうしこみました" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("ありがとう ございます。もうしこみが おわったと うけつけました。");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "もうしこみました" })).ToHaveCountAsync(0);

        using var staff = fx.Stack.Api(fx.A.StaffKey);
        var caseId = link.Split('/')[3];
        var detail = await staff.GetFromJsonAsync<JsonElement>($"api/tenants/{fx.A.Tenant}/cases/{caseId}");
        Assert.Equal(("Closed", "Applied"), (detail.GetProperty("summary").GetProperty("state").GetString(), detail.GetProperty("summary").GetProperty("outcome").GetString()));
        Assert.Contains(detail.GetProperty("history").EnumerateArray(), h => h.GetProperty("to").GetString() == "Closed" && h.GetProperty("actor").GetString()!.StartsWith("resident:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resident_confirms_the_prefilled_child_allowance_application_in_easy_Japanese_and_it_is_handed_over_once()
    {
        var link = await fx.ResidentLinkAsync(961);
        await using var context = await fx.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(link + "?lang=ja-x-easy");

        var allowance = page.GetByRole(AriaRole.Article, new() { Name = "じどう てあて（こどもの ための おかね）" });
        var form = allowance.GetByRole(AriaRole.Region, new() { Name = "かんたん もうしこみ（かいて あります）" });
        await Assertions.Expect(form).ToContainTextAsync("佐藤 五郎");
        await Assertions.Expect(form).ToContainTextAsync("佐藤 七郎");
        await Assertions.Expect(form).ToContainTextAsync("まどぐちで たしかめて ください");
        Assert.Empty(await ViolationsAsync(page, "one-step application"));
        var confirm = form.GetByRole(AriaRole.Button, new() { Name = "この ないようで じどう てあて（こどもの ための おかね）を もうしこむ" });
        await confirm.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("もうしこみを うけつけました");
        await Assertions.Expect(confirm).ToHaveCountAsync(0);

        var container = fx.Stack.FunctionServices.GetRequiredService<StorageClients>().Container(StorageNames.Containers.Applications);
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{fx.A.Tenant}/jidou-teate/", CancellationToken.None))
        {
            blobs.Add(blob.Name);
        }

        Assert.Single(blobs, b => b.EndsWith(".json", StringComparison.Ordinal));
        var csv = Assert.Single(blobs, b => b.EndsWith(".csv", StringComparison.Ordinal));
        var rows = (await container.GetBlobClient(csv).DownloadContentAsync()).Value.Content.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rows.Length);
        Assert.Contains(",佐藤,五郎,", rows[1], StringComparison.Ordinal);

        using var staff = fx.Stack.Api(fx.A.StaffKey);
        var detail = await staff.GetFromJsonAsync<JsonElement>($"api/tenants/{fx.A.Tenant}/cases/{link.Split('/')[3]}");
        Assert.Equal(("Closed", "Applied"), (detail.GetProperty("summary").GetProperty("state").GetString(), detail.GetProperty("summary").GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Forged_altered_expired_truncated_and_other_tenants_links_show_only_what_to_do()
    {
        var link = await fx.ResidentLinkAsync(941);
        var (tenant, caseId, token) = (link.Split('/')[2], link.Split('/')[3], link.Split('/')[4]);
        var today = JapanTime.Today(DateTimeOffset.UtcNow);
        var bad = new Dictionary<string, string>
        {
            ["altered"] = $"/r/{tenant}/{caseId}/{token[..^1]}{(token[^1] == 'A' ? 'B' : 'A')}",
            ["forged"] = $"/r/{tenant}/{caseId}/{new ResidentLinkSigner("someone-elses-key-0123456789abcdefghij").Sign(tenant, caseId, "100009411", today.AddDays(30))}",
            ["expired"] = $"/r/{tenant}/{caseId}/{new ResidentLinkSigner(TestAppSettings.LinkKey).Sign(tenant, caseId, "100009411", today.AddDays(-1))}",
            ["truncated"] = $"/r/{tenant}/{caseId}",
            ["another tenant"] = $"/r/{fx.B.Tenant}/{caseId}/{token}",
            ["no key for the tenant"] = $"/r/131016/{caseId}/{token}",
        };

        await using var context = await fx.NewContextAsync();
        var page = await context.NewPageAsync();
        foreach (var (why, path) in bad)
        {
            var answer = await page.GotoAsync(path);
            Assert.True(answer!.Status == 404, $"{why}: {answer.Status}");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("このリンクは使えません");
            await Assertions.Expect(page.GetByText("窓口に電話するか、市区町村のポータルサイトにサインインして", new() { Exact = false })).ToBeVisibleAsync();
            var text = await page.InnerTextAsync("body");
            Assert.DoesNotContain("福岡市", text, StringComparison.Ordinal);
            Assert.DoesNotContain("児童手当", text, StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("form").CountAsync());
        }

        // The real link still opens, and an answer posted with an altered link changes nothing.
        Assert.Equal(200, (await page.GotoAsync(link))!.Status);
        await page.EvaluateAsync($"() => document.querySelector('form.choices').action = '{bad["altered"]}?handler=Answer'");
        await page.GetByRole(AriaRole.Button, new() { Name = "必要ありません" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("このリンクは使えません");
        using var staff = fx.Stack.Api(fx.A.StaffKey);
        var detail = await staff.GetFromJsonAsync<JsonElement>($"api/tenants/{fx.A.Tenant}/cases/{caseId}");
        Assert.NotEqual("Closed", detail.GetProperty("summary").GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_case_page_in_three_languages_and_the_bad_link_page_have_no_serious_axe_violation_and_work_by_keyboard_and_at_200_percent()
    {
        var link = await fx.ResidentLinkAsync(941);
        await using var context = await fx.NewContextAsync(640, 450);
        var page = await context.NewPageAsync();
        var failures = new List<string>();
        foreach (var lang in new[] { "ja", "ja-x-easy", "en" })
        {
            await page.GotoAsync($"{link}?lang={lang}");
            failures.AddRange(await ViolationsAsync(page, lang));
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 1, $"{lang}: the page is {overflow}px wider than the window at 200%");
        }

        await page.GotoAsync(link + "x");
        failures.AddRange(await ViolationsAsync(page, "bad link"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        await page.GotoAsync(link + "?lang=en");
        var reached = false;
        for (var i = 0; i < 40 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>("document.activeElement.textContent === 'I applied'");
        }

        Assert.True(reached, "Tab never reached the 'I applied' button.");
        Assert.Equal("solid", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalFixture.Artifacts, "resident-case-200-percent.png"), FullPage = true });
    }

    [Fact]
    public async Task On_the_preferences_page_a_resident_withdraws_e_mail_consent_and_gives_an_sms_number_and_the_api_has_it_at_once()
    {
        var link = await fx.ResidentLinkAsync(951);
        await using var context = await fx.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Link, new() { Name = "連絡方法・同意・言葉の設定" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("連絡方法の設定");
        var email = page.GetByRole(AriaRole.Group, new() { Name = "メールアドレス" });
        await Assertions.Expect(email.GetByLabel("メールアドレス")).ToHaveValueAsync("head951@example.jp");
        Assert.Empty(await ViolationsAsync(page, "preferences"));

        await email.GetByLabel("この方法でお知らせを受け取る").UncheckAsync();
        var sms = page.GetByRole(AriaRole.Group, new() { Name = "SMS（携帯電話の番号）" });
        await sms.GetByLabel("SMS（携帯電話の番号）").FillAsync("090-1111-0951");
        await sms.GetByLabel("この方法でお知らせを受け取る").CheckAsync();
        await page.GetByLabel("お知らせの言葉").SelectOptionAsync("ja-x-easy");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("設定を保存しました。");

        using var staff = fx.Stack.Api(fx.A.StaffKey);
        var prefs = await staff.GetFromJsonAsync<JsonElement>($"api/tenants/{fx.A.Tenant}/residents/100009511/preferences");
        var channels = prefs.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!);
        Assert.False(channels["email"].GetProperty("consent").GetBoolean());
        Assert.Equal(("+819011110951", true, "portal"), (channels["sms"].GetProperty("address").GetString(), channels["sms"].GetProperty("consent").GetBoolean(), channels["sms"].GetProperty("source").GetString()));
        Assert.Equal("ja-x-easy", prefs.GetProperty("language").GetString());

        // An address the API refuses comes back with what is wrong, and nothing is saved. (Household 951 is this test's own: the withdrawal reroutes its case.)
        await sms.GetByLabel("SMS（携帯電話の番号）").FillAsync("03-1234-5678");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("channels[0].address");
        var after = await staff.GetFromJsonAsync<JsonElement>($"api/tenants/{fx.A.Tenant}/residents/100009511/preferences");
        Assert.Contains(after.GetProperty("channels").EnumerateArray(), c => c.GetProperty("address").GetString() == "+819011110951");
    }

    private async Task<List<string>> ViolationsAsync(IPage page, string label)
    {
        var result = await page.RunAxe();
        foreach (var v in result.Violations)
        {
            output.WriteLine($"{label}: {v.Impact} {v.Id} ({v.Nodes.Length} nodes): {v.Help}");
        }

        return result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{label}: {v.Impact} {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
    }
}
