using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using PushGov.Testing;

namespace PushGov.Portal.Tests.Support;

[CollectionDefinition("Portal")]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>;

/// <summary>
/// One stack and one browser for every portal test. Tenant A gets the sample drops of <c>samples/401307</c> (as
/// <c>./run.sh</c> uploads them) plus two households with no contact on record, whose births escalate to staff
/// (no digital channel), and four whose head has an e-mail address (households 931, 941, 951 and 961: their births are notified,
/// so residents' tests follow the link in the e-mail); tenant B gets one birth with no contact, so a test can try to open
/// B's case while signed in to A.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;

    public PortalStack Stack { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public (string Tenant, string StaffKey, string AdminKey) A { get; private set; }

    public (string Tenant, string StaffKey, string AdminKey) B { get; private set; }

    /// <summary>Tenant A's escalated cases (no digital channel), earliest deadline first.</summary>
    public IReadOnlyList<string> EscalatedA { get; private set; } = [];

    public string EscalatedB { get; private set; } = string.Empty;

    /// <summary>Where screenshots go (kept as test artefacts; not committed).</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Stack = await PortalStack.StartAsync("福岡市", "別の市");
        (A, B) = (Stack.Tenants[0], Stack.Tenants[1]);
        await SeedAsync(A.Tenant, A.StaffKey, withSamples: true, households: [901, 911, 931, 941, 951, 961]);
        await SeedAsync(B.Tenant, B.StaffKey, withSamples: false, households: [921]);
        EscalatedA = await EscalatedAsync(A.StaffKey, A.Tenant, 2);
        EscalatedB = (await EscalatedAsync(B.StaffKey, B.Tenant, 1))[0];

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (its own cookies), Japanese, 1280×900 unless told.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Stack.PortalUrl.ToString(), Locale = "ja-JP", ViewportSize = new ViewportSize { Width = width, Height = height } });

    /// <summary>A page signed in with <paramref name="key"/> through the sign-in form, on the dashboard.</summary>
    public async Task<IPage> SignedInPageAsync(IBrowserContext context, string key)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/SignIn");
        await page.GetByLabel("職員用 API キー").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
        return page;
    }

    /// <summary>
    /// The path of the link (<c>/r/{tenant}/{caseId}/{token}</c>) in the e-mail a household's head got about their
    /// child's birth (households 931, 941, 951 and 961 of tenant A), waiting for it with a deadline.
    /// </summary>
    public async Task<string> ResidentLinkAsync(int household)
    {
        using var api = Stack.Api(A.AdminKey);
        var email = await Wait.Eventually(
            async () => (await api.GetFromJsonAsync<JsonElement>($"api/tenants/{A.Tenant}/notifications?max=5000&reveal=true"))
                .EnumerateArray().FirstOrDefault(n => n.GetProperty("to").GetString() == $"head{household}@example.jp"),
            n => n.ValueKind == JsonValueKind.Object,
            $"an e-mail to the head of household {household}",
            TimeSpan.FromSeconds(90));
        var match = System.Text.RegularExpressions.Regex.Match(email.GetProperty("text").GetString()!, $@"https://portal\.example\.jp(/r/{A.Tenant}/[A-Za-z0-9._:-]+/[A-Za-z0-9_-]{{28}})");
        Assert.True(match.Success, "The e-mail has no link to the resident's case page.");
        return match.Groups[1].Value;
    }

    /// <summary>Waits (with a deadline) for a drop's report, as run.sh does.</summary>
    public async Task<JsonElement> ReportAsync(HttpClient api, string tenant, string dataset, string name)
    {
        var report = await Wait.Eventually(
            async () =>
            {
                using var response = await api.GetAsync($"api/tenants/{tenant}/drops/{dataset}/{name}/report");
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
            },
            r => r is not null,
            $"the report for {dataset}/{name}",
            TimeSpan.FromSeconds(90));
        return report!.Value;
    }

    private async Task SeedAsync(string tenant, string key, bool withSamples, int[] households)
    {
        using var api = Stack.Api(key);
        var samples = Path.Combine(Repository(), "samples", "401307");
        var birth = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2).ToString("yyyy-MM-dd");
        var residents = new StringBuilder(withSamples
            ? await File.ReadAllTextAsync(Path.Combine(samples, "residents", "20261121-0100.csv"))
            : "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n");
        var changes = new StringBuilder(withSamples
            ? await File.ReadAllTextAsync(Path.Combine(samples, "resident-changes", "20261122-0100.csv"))
            : "record_id,resident_id,household_id,change_code,change_date,notified_date,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n");
        foreach (var h in households)
        {
            var (head, wife, child) = h switch { 901 => ("次郎", "春子", "三郎"), 911 => ("四郎", "夏子", "六郎"), _ => ("五郎", "秋子", "七郎") };
            residents.Append($"10000{h}1,20000{h}0,佐藤,{head},サトウ,ジロウ,1988-04-01,1,世帯主,8100002,福岡市中央区大名{h}-1,\n");
            residents.Append($"10000{h}2,20000{h}0,佐藤,{wife},サトウ,ハルコ,1990-06-01,2,妻,8100002,福岡市中央区大名{h}-1,\n");
            changes.Append($"R{h}-0001,10000{h}3,20000{h}0,BIRTH,{birth},{birth},佐藤,{child},サトウ,サブロウ,{birth},1,子,8100002,福岡市中央区大名{h}-1,\n");
        }

        if (withSamples)
        {
            var contacts = new StringBuilder(await File.ReadAllTextAsync(Path.Combine(samples, "contacts", "20261121-0200.csv")));
            foreach (var h in households.Where(h => h >= 931))
            {
                contacts.Append($"10000{h}1,email,head{h}@example.jp,ja,1,2026-04-01\n");
                contacts.Append($"10000{h}2,sms,090-5555-0{h},ja,1,2026-04-01\n");
            }

            await UploadAsync(api, tenant, "contacts", "20261121-0200.csv", contacts.ToString());
        }

        await UploadAsync(api, tenant, "residents", "20261121-0100.csv", residents.ToString());
        await UploadAsync(api, tenant, "resident-changes", "20261122-0100.csv", changes.ToString());
    }

    private async Task UploadAsync(HttpClient api, string tenant, string dataset, string name, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await api.PostAsync($"api/tenants/{tenant}/drops/{dataset}?name={name}", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await ReportAsync(api, tenant, dataset, name);
    }

    private async Task<IReadOnlyList<string>> EscalatedAsync(string key, string tenant, int count)
    {
        using var api = Stack.Api(key);
        return await Wait.Eventually(
            async () => (await api.GetFromJsonAsync<JsonElement>($"api/tenants/{tenant}/escalations"))
                .GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("caseId").GetString()!).ToList(),
            ids => ids.Count >= count,
            $"{count} escalated cases of tenant {tenant}",
            TimeSpan.FromSeconds(90));
    }

    public static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PushGov.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (PushGov.Functions.sln) is not above the test's directory.");
    }
}
