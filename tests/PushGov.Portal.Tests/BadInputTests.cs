using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using PushGov.Portal.Auth;
using PushGov.Portal.Tests.Support;

namespace PushGov.Portal.Tests;

/// <summary>Forged and expired cookies, posts without the antiforgery token, another tenant's case, a 3 GB upload: each a clear answer, nothing changed.</summary>
[Collection("Portal")]
public sealed class BadInputTests(PortalFixture fx)
{
    [Fact]
    public async Task The_sign_in_cookie_is_encrypted_HttpOnly_and_SameSite_Strict()
    {
        await using var context = await fx.NewContextAsync();
        await fx.SignedInPageAsync(context, fx.A.StaffKey);
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == PortalAuth.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(fx.A.StaffKey, cookie.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.A.Tenant, cookie.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_cookie_is_sent_to_sign_in_with_a_clear_message()
    {
        await using var context = await fx.NewContextAsync();
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = PortalAuth.CookieName, Value = "CfDJ8" + new string('A', 200), Url = fx.Stack.PortalUrl.ToString() }]);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Escalations");
        Assert.Equal("/SignIn", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("セッションが無効か期限切れです。もう一度サインインしてください。");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == PortalAuth.CookieName);
    }

    [Fact]
    public async Task An_expired_cookie_is_refused_and_a_post_with_it_changes_nothing()
    {
        var caseId = fx.EscalatedA[1];
        var options = fx.Stack.PortalServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var session = new StaffSession(fx.A.Tenant, "staff:expired", fx.A.StaffKey);
        var ticket = new AuthenticationTicket(session.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow.AddHours(-9), ExpiresUtc = DateTimeOffset.UtcNow.AddHours(-1) }, CookieAuthenticationDefaults.AuthenticationScheme);
        var expired = options.TicketDataFormat.Protect(ticket);

        await using var context = await fx.NewContextAsync();
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = PortalAuth.CookieName, Value = expired, Url = fx.Stack.PortalUrl.ToString() }]);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/Cases/{caseId}");
        Assert.Equal("/SignIn", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("期限切れ");

        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = PortalAuth.CookieName, Value = expired, Url = fx.Stack.PortalUrl.ToString() }]);
        var before = await CaseFingerprintAsync(fx.A, caseId);
        var post = await context.APIRequest.PostAsync($"/Cases/{caseId}?handler=TakeOver", new() { Form = context.APIRequest.CreateFormData(), MaxRedirects = 0 });
        Assert.Equal(401, post.Status);
        Assert.Equal(before, await CaseFingerprintAsync(fx.A, caseId));
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        var caseId = fx.EscalatedA[1];
        await using var context = await fx.NewContextAsync();
        await fx.SignedInPageAsync(context, fx.A.StaffKey);
        var before = await CaseFingerprintAsync(fx.A, caseId);

        var form = context.APIRequest.CreateFormData();
        form.Set("note", "CSRF からのメモ");
        var post = await context.APIRequest.PostAsync($"/Cases/{caseId}?handler=Note", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(400, post.Status);
        Assert.Contains("何も変更していません", await post.TextAsync(), StringComparison.Ordinal);

        var upload = await context.APIRequest.PostAsync("/drops/upload?dataset=contacts&name=csrf.csv", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "text/csv", ["Accept"] = "application/json" },
            DataString = "resident_id,channel,address,language,consent,consented_at\n",
            MaxRedirects = 0,
        });
        Assert.Equal(400, upload.Status);
        Assert.Equal(before, await CaseFingerprintAsync(fx.A, caseId));
        Assert.DoesNotContain(await DropNamesAsync(fx.A), n => n == "csrf.csv");
    }

    [Fact]
    public async Task Another_tenants_case_is_not_found_whatever_the_url_says_and_cannot_be_acted_on()
    {
        await using var context = await fx.NewContextAsync();
        var page = await fx.SignedInPageAsync(context, fx.A.StaffKey);
        foreach (var url in new[] { $"/Cases/{fx.EscalatedB}", $"/Cases/{fx.EscalatedB}?tenant={fx.B.Tenant}" })
        {
            var response = await page.GotoAsync(url);
            Assert.Equal(404, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("この案件は見つかりません（この団体の案件ではないか、番号が違います）。");
            Assert.DoesNotContain("佐藤", await page.Locator("main").InnerTextAsync());
        }

        // A valid token from our own case page, posted at the other tenant's case: still not found, B's case untouched.
        await page.GotoAsync($"/Cases/{fx.EscalatedA[1]}");
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var before = await CaseFingerprintAsync(fx.B, fx.EscalatedB);
        var form = context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        var post = await context.APIRequest.PostAsync($"/Cases/{fx.EscalatedB}?handler=TakeOver", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(404, post.Status);
        var reveal = await context.APIRequest.PostAsync($"/Cases/{fx.EscalatedB}?handler=Reveal", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(404, reveal.Status);
        Assert.DoesNotContain("佐藤", await reveal.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CaseFingerprintAsync(fx.B, fx.EscalatedB));
        using var b = fx.Stack.Api(fx.B.StaffKey);
        var detail = await b.GetFromJsonAsync<JsonElement>($"api/tenants/{fx.B.Tenant}/cases/{fx.EscalatedB}");
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("assignedTo").ValueKind);
    }

    [Fact]
    public async Task A_3_GB_upload_is_refused_before_it_is_read_and_nothing_is_stored()
    {
        await using var context = await fx.NewContextAsync();
        var page = await fx.SignedInPageAsync(context, fx.A.StaffKey);
        await page.GotoAsync("/Drops");
        var token = await page.Locator("#upload input[name=__RequestVerificationToken]").InputValueAsync();
        var cookies = string.Join("; ", (await context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

        // Announce 3 GiB, send 64 KiB of it: the portal must answer without waiting for (or allocating) the rest.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fx.Stack.PortalUrl.Host, fx.Stack.PortalUrl.Port);
        var stream = tcp.GetStream();
        var head = $"POST /drops/upload?dataset=contacts&name=huge.csv HTTP/1.1\r\nHost: {fx.Stack.PortalUrl.Authority}\r\nCookie: {cookies}\r\n" +
            $"RequestVerificationToken: {token}\r\nContent-Type: text/csv\r\nAccept: application/json\r\nContent-Length: {3L * 1024 * 1024 * 1024}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("100000101,email,a@example.jp,ja,1,2026-01-01\n", 1400))));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = await reader.ReadLineAsync(timeout.Token);
        Assert.StartsWith("HTTP/1.1 413", status);
        var rest = new StringBuilder();
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = await reader.ReadAsync(buffer, timeout.Token)) > 0 && !rest.ToString().Contains('}', StringComparison.Ordinal))
            {
                rest.Append(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            // The server may close the connection after its answer: the body it still owes is not wanted.
        }

        Assert.Contains("2 GiB", rest.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await DropNamesAsync(fx.A), n => n == "huge.csv");
    }

    /// <summary>What an action would change: the state, who it is assigned to, and how many history rows and messages it has.</summary>
    private async Task<string> CaseFingerprintAsync((string Tenant, string StaffKey, string AdminKey) t, string caseId)
    {
        using var api = fx.Stack.Api(t.StaffKey);
        var detail = await api.GetFromJsonAsync<JsonElement>($"api/tenants/{t.Tenant}/cases/{caseId}");
        return $"{detail.GetProperty("summary").GetProperty("state")}|{detail.GetProperty("assignedTo")}|{detail.GetProperty("history").GetArrayLength()}|{detail.GetProperty("messages").GetArrayLength()}";
    }

    private async Task<List<string>> DropNamesAsync((string Tenant, string StaffKey, string AdminKey) t)
    {
        using var api = fx.Stack.Api(t.StaffKey);
        var list = await api.GetFromJsonAsync<JsonElement>($"api/tenants/{t.Tenant}/drops");
        return list.GetProperty("drops").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToList();
    }
}
