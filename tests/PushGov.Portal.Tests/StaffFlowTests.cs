using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PushGov.Portal.Tests.Support;
using Xunit.Abstractions;

namespace PushGov.Portal.Tests;

/// <summary>What a member of staff does in the portal, in a real browser against the real app and Azurite.</summary>
[Collection("Portal")]
public sealed class StaffFlowTests(PortalFixture fx, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Signing_in_shows_the_dashboard_with_the_sample_drops_cases_and_messages()
    {
        await using var context = await fx.NewContextAsync();
        var page = await fx.SignedInPageAsync(context, fx.A.StaffKey);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ダッシュボード", Level = 1 })).ToBeVisibleAsync();
        var drops = page.Locator("section", new() { Has = page.Locator("#h-drops") });
        await Assertions.Expect(drops.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("住民異動 · 20261122-0100.csv") })).ToBeVisibleAsync();
        await Assertions.Expect(drops.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("連絡先・同意 · 20261121-0200.csv") })).ToBeVisibleAsync();

        // The charts' figures are also tables (for screen readers): births detected today, and messages by channel.
        var events = page.Locator("table", new() { Has = page.GetByText("検知したライフイベント（種類別） — グラフの数値") });
        await Assertions.Expect(events.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^出生 \\d+$") })).ToHaveCountAsync(1);
        var births = await events.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^出生") }).Locator("td").InnerTextAsync();
        Assert.Equal("8", births); // 2 of the samples, 6 of the fixture's households
        await Assertions.Expect(page.Locator("table", new() { Has = page.GetByText("送信したメッセージ（チャネル・状態別） — グラフの数値") }).Locator("tbody tr").First).ToBeAttachedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "郵送でしか届かなかった住民の割合（デジタル・ディバイド）" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "制度別" })).ToBeVisibleAsync();

        // The take-up funnel is a visible table (the chart beside it is decoration): a row per service with its stages.
        await Assertions.Expect(page.Locator("#takeup-service").GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^児童手当 \\d+ \\d+ \\d+ \\d+ \\d+ ") })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#takeup-total tbody th")).ToHaveTextAsync("全体");

        var shot = Path.Combine(PortalFixture.Artifacts, "dashboard.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine($"Dashboard screenshot: {shot}");

        // This month, and English.
        await page.GetByLabel("今月").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "表示" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("range=month"));
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("range=month"));
    }

    [Fact]
    public async Task Uploading_a_drop_streams_it_with_progress_and_shows_its_report_with_the_rejected_rows_reasons()
    {
        await using var context = await fx.NewContextAsync();
        var page = await fx.SignedInPageAsync(context, fx.A.StaffKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "データ取込" }).ClickAsync();

        var csv = "resident_id,channel,address,language,consent,consented_at\n" +
            "100000201,email,ichiro.sato@example.jp,ja,1,2026-11-01\n" +
            "100000202,fax,092-000-0000,ja,1,2026-11-01\n";
        await page.GetByLabel("データの種類").SelectOptionAsync("contacts");
        await page.GetByLabel("CSV ファイル").SetInputFilesAsync(new FilePayload { Name = "portal-upload-1.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "アップロード" }).ClickAsync();

        await page.WaitForURLAsync(new Regex("/Drops/Report\\?dataset=contacts&name=portal-upload-1.csv"), new() { Timeout = (float)Wait.TotalMilliseconds });
        var report = page.Locator("#report");
        await Assertions.Expect(report).ToBeVisibleAsync(new() { Timeout = (float)Wait.TotalMilliseconds });
        await Assertions.Expect(report.Locator("dl")).ToContainTextAsync("行数2");
        await Assertions.Expect(report.Locator("dl")).ToContainTextAsync("取込1");
        await Assertions.Expect(report.Locator("dl")).ToContainTextAsync("不備1");
        var rejected = page.Locator("section", new() { Has = page.Locator("#h-rejected") });
        await Assertions.Expect(rejected.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Assertions.Expect(rejected).ToContainTextAsync("3");
        Assert.DoesNotContain("092-000-0000", await rejected.InnerTextAsync());

        // The drops list shows it too.
        await page.GetByRole(AriaRole.Link, new() { Name = "データ取込", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("portal-upload-1.csv") })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_member_of_staff_opens_an_escalated_case_reveals_its_people_takes_it_over_notes_resends_by_post_and_closes_it()
    {
        var caseId = fx.EscalatedA[0];
        await using var context = await fx.NewContextAsync();
        var page = await fx.SignedInPageAsync(context, fx.A.StaffKey);

        // Escalations: oldest deadline first, with why.
        await page.GetByRole(AriaRole.Link, new() { Name = "要対応", Exact = true }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row, new() { NameRegex = new Regex(Regex.Escape(caseId)) });
        await Assertions.Expect(row).ToContainTextAsync("デジタルの連絡先がない（郵送のみ）");
        await row.GetByRole(AriaRole.Link, new() { Name = caseId }).ClickAsync();

        // People are masked until opened; opening is audited and the page says so.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("出生");
        await Assertions.Expect(page.GetByText("氏名・住所・連絡先は伏せています。表示すると監査ログに記録されます。")).ToBeVisibleAsync();
        Assert.DoesNotContain("佐藤", await page.Locator("main").InnerTextAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "該当した制度" })).ToBeVisibleAsync();
        await page.GetByText("判定の理由").First.ClickAsync();
        await Assertions.Expect(page.Locator("ol.trace").First).ToBeVisibleAsync();
        var shot = Path.Combine(PortalFixture.Artifacts, "case.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine($"Case page screenshot: {shot}");

        await page.GetByRole(AriaRole.Button, new() { Name = "住民情報を表示（監査ログに記録）" }).ClickAsync();
        await Assertions.Expect(page.Locator("#audit-notice")).ToContainTextAsync("case.people.read");
        await Assertions.Expect(page.Locator("section", new() { Has = page.Locator("#h-people") })).ToContainTextAsync("佐藤");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalFixture.Artifacts, "case-revealed.png"), FullPage = true });
        var audit = await AuditAsync();
        var read = Assert.Single(audit, e => e.GetProperty("action").GetString() == "case.people.read" && e.GetProperty("caseId").GetString() == caseId);
        Assert.StartsWith("staff:", read.GetProperty("actor").GetString());
        Assert.NotEmpty(read.GetProperty("residentIds").EnumerateArray());

        // Take over.
        await page.GetByRole(AriaRole.Button, new() { Name = "担当する", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "担当になりました。" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("staff:");
        Assert.DoesNotContain("佐藤", await page.Locator("main").InnerTextAsync()); // masked again after the action

        // Add a note.
        await page.GetByLabel("メモ（2000 字まで。住民の個人情報は書かないでください）").FillAsync("窓口で申請方法を案内予定");
        await page.GetByRole(AriaRole.Button, new() { Name = "メモを追加" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "メモを追加しました。" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section", new() { Has = page.Locator("#h-history") })).ToContainTextAsync("窓口で申請方法を案内予定");

        // Resend by post.
        await page.GetByLabel("チャネル", new() { Exact = true }).SelectOptionAsync("post");
        await page.GetByRole(AriaRole.Button, new() { Name = "別のチャネルで再送" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "再送を受け付けました（郵送" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section", new() { Has = page.Locator("#h-messages") })).ToContainTextAsync("resend");

        // Close with an outcome.
        await page.GetByLabel("結果", new() { Exact = true }).SelectOptionAsync("Applied");
        await page.GetByRole(AriaRole.Button, new() { Name = "完了にする" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "案件を完了にしました。" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("完了");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("申請済");
        await Assertions.Expect(page.GetByText("この案件は完了しています。")).ToBeVisibleAsync();

        using var api = fx.Stack.Api(fx.A.StaffKey);
        var detail = await api.GetFromJsonAsync<JsonElement>($"api/tenants/{fx.A.Tenant}/cases/{caseId}");
        Assert.Equal("Closed", detail.GetProperty("summary").GetProperty("state").GetString());
        Assert.Equal("Applied", detail.GetProperty("summary").GetProperty("outcome").GetString());
        Assert.Contains(detail.GetProperty("messages").EnumerateArray(), m => m.GetProperty("purpose").GetString() == "resend" && m.GetProperty("channel").GetString() == "Post");
    }

    private async Task<List<JsonElement>> AuditAsync()
    {
        using var admin = fx.Stack.Api(fx.A.AdminKey);
        var page = await admin.GetFromJsonAsync<JsonElement>($"api/tenants/{fx.A.Tenant}/audit?pageSize=1000");
        return page.GetProperty("entries").EnumerateArray().ToList();
    }
}
