using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using PushGov.Portal.Tests.Support;
using Xunit.Abstractions;

namespace PushGov.Portal.Tests;

/// <summary>Every page checked with axe (no serious or critical violation), by keyboard alone, and at 200% zoom.</summary>
[Collection("Portal")]
public sealed class AccessibilityTests(PortalFixture fx, ITestOutputHelper output)
{
    private IEnumerable<string> Pages() =>
    [
        "/",
        "/?range=month",
        "/Escalations",
        $"/Cases/{fx.EscalatedA[1]}",
        "/Drops",
        "/Drops/Report?dataset=contacts&name=20261121-0200.csv",
        "/Services",
    ];

    [Fact]
    public async Task Every_page_has_no_serious_or_critical_axe_violation_in_Japanese_and_in_English()
    {
        await using var context = await fx.NewContextAsync();
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync("/SignIn");
        var failures = await ViolationsAsync(signIn, "/SignIn");
        var page = await fx.SignedInPageAsync(context, fx.A.StaffKey);
        foreach (var path in Pages())
        {
            await page.GotoAsync(path);
            failures.AddRange(await ViolationsAsync(page, path));
        }

        // The revealed people table and the English pages too.
        await page.GotoAsync($"/Cases/{fx.EscalatedA[1]}");
        await page.GetByRole(AriaRole.Button, new() { Name = "住民情報を表示（監査ログに記録）" }).ClickAsync();
        failures.AddRange(await ViolationsAsync(page, "case (revealed)"));
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        foreach (var path in Pages())
        {
            await page.GotoAsync(path);
            failures.AddRange(await ViolationsAsync(page, "en " + path));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_member_of_staff_signs_in_and_moves_between_pages_with_the_keyboard_alone()
    {
        await using var context = await fx.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/SignIn");
        await TabToAsync(page, "#key");
        await page.Keyboard.TypeAsync(fx.A.StaffKey);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");

        // The skip link is the first stop and moves focus to the content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("本文へ移動", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));

        await page.ReloadAsync();
        await TabToAsync(page, "a[href='/Escalations']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/Escalations");
        await TabToAsync(page, $"a[href='/Cases/{fx.EscalatedA[1]}']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/Cases/{fx.EscalatedA[1]}");

        // Focus is always visible (an outline on the focused element).
        await TabToAsync(page, "button:has-text('住民情報を表示（監査ログに記録）')");
        var outline = await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
        Assert.Equal("solid", outline);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#audit-notice")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task At_200_percent_zoom_every_page_reflows_without_sideways_scrolling_and_keeps_its_controls()
    {
        // 200% zoom of a 1280×900 window is a 640×450 CSS-pixel viewport.
        await using var context = await fx.NewContextAsync(640, 450);
        var page = await fx.SignedInPageAsync(context, fx.A.StaffKey);
        var problems = new List<string>();
        foreach (var path in Pages())
        {
            await page.GotoAsync(path);
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            if (overflow > 1)
            {
                problems.Add($"{path}: the page is {overflow}px wider than the window");
            }

            foreach (var name in new[] { "ダッシュボード", "要対応", "データ取込", "制度一覧" })
            {
                if (!await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).IsVisibleAsync())
                {
                    problems.Add($"{path}: the '{name}' link is not visible");
                }
            }
        }

        await page.GotoAsync($"/Cases/{fx.EscalatedA[1]}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalFixture.Artifacts, "case-200-percent.png"), FullPage = true });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "担当する", Exact = true })).ToBeVisibleAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
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

    private static async Task TabToAsync(IPage page, string selector)
    {
        var target = page.Locator(selector).First;
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Tab never reached {selector}.");
    }
}
