using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PushGov.Functions.Tests.Support;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;

namespace PushGov.Functions.Tests;

/// <summary>A drop placed in Azurite flows through the trigger host, detection, matching and the case to the sink and the API.</summary>
[Collection("Azurite")]
public sealed class EndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PushGovApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new PushGovApp(azurite.ConnectionString);
        await _app.StartAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    internal const string Household = """
        resident_id,household_id,family_name,given_name,birth_date,sex,relationship,postal_code,address
        300000101,400000101,山田,太郎,1990-05-10,1,世帯主,8100001,福岡市中央区天神1-1-1
        300000102,400000101,山田,花子,1992-08-01,2,妻,8100001,福岡市中央区天神1-1-1
        """;

    internal const string Contacts = """
        resident_id,channel,address,language,consent,consented_at
        300000101,sms,090-1234-5678,ja,1,2026-04-01
        """;

    internal const string Birth = """
        record_id,resident_id,household_id,change_code,change_date,family_name,given_name,birth_date,sex,relationship
        R1,300000103,400000101,BIRTH,2026-11-20,山田,一郎,2026-11-20,1,子
        """;

    private async Task PutAsync(string tenant, string dataset, string name, string csv)
    {
        var blob = _app.Storage.Container(StorageNames.Containers.Drops).GetBlobClient($"{tenant}/{dataset}/{name}");
        await blob.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
    }

    private async Task<JsonObject> ReportAsync(string blobName)
    {
        var report = _app.Storage.Container(StorageNames.Containers.DropReports).GetBlobClient(blobName + ".report.json");
        return await Wait.Eventually(
            async () => await report.ExistsAsync() ? JsonNode.Parse((await report.DownloadContentAsync()).Value.Content.ToString())!.AsObject() : null,
            $"the report for {blobName}");
    }

    private static Task<JsonArray> NotificationsAsync(HttpClient client, string tenant, int atLeast) =>
        Wait.Eventually(
            async () => (await client.GetFromJsonAsync<JsonArray>($"/api/tenants/{tenant}/notifications"))!,
            l => l.Count >= atLeast,
            $"{atLeast} notifications of tenant {tenant}",
            TimeSpan.FromSeconds(60));

    [Fact]
    public async Task A_birth_drop_in_azurite_reaches_the_parent_as_a_japanese_sms_in_the_sink()
    {
        var (tenant, client, _) = await _app.NewTenantAsync();
        await PutAsync(tenant, "residents", "1-snapshot.csv", Household);
        await ReportAsync($"{tenant}/residents/1-snapshot.csv");
        await PutAsync(tenant, "contacts", "2-contacts.csv", Contacts);
        await ReportAsync($"{tenant}/contacts/2-contacts.csv");
        await PutAsync(tenant, "resident-changes", "3-changes.csv", Birth);
        var report = await ReportAsync($"{tenant}/resident-changes/3-changes.csv");
        Assert.Equal(1, report["accepted"]!.GetValue<int>());

        var sent = await NotificationsAsync(client, tenant, 1);
        var sms = Assert.Single(sent);
        Assert.Equal("Sms", sms!["channel"]!.GetValue<string>());
        Assert.Equal("ja", sms["language"]!.GetValue<string>());
        var text = sms["text"]!.GetValue<string>();
        Assert.Contains("太郎さん", text, StringComparison.Ordinal);      // the first name only
        Assert.DoesNotContain("山田", text, StringComparison.Ordinal);    // no family name in an SMS
        Assert.DoesNotContain("5678", sms["to"]!.GetValue<string>()[..^3], StringComparison.Ordinal); // the number is masked

        // The case: 児童手当 matched for the head of household, deadline = birth + 15 days.
        var cases = await client.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/cases");
        var birthCase = cases!["cases"]!.AsArray().Single(c => c!["kind"]!.GetValue<string>() == "BIRTH");
        var detail = await client.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/cases/{birthCase!["caseId"]!.GetValue<string>()}");
        var allowance = detail!["matches"]!.AsArray().Single(m => m!["serviceId"]!.GetValue<string>() == "jidou-teate");
        Assert.Equal("2026-12-05", allowance!["deadline"]!.GetValue<string>());
        Assert.Contains("300000101", allowance["recipientIds"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.NotEmpty(allowance["reasons"]!.AsArray());
        Assert.Equal("Notified", detail["summary"]!["state"]!.GetValue<string>());
        Assert.Contains(detail["history"]!.AsArray(), h => h!["to"]!.GetValue<string>() == "Notified");
    }

    [Fact]
    public async Task The_same_drop_twice_changes_nothing_the_second_time()
    {
        var (tenant, client, _) = await _app.NewTenantAsync();
        await PutAsync(tenant, "residents", "1.csv", Household);
        await ReportAsync($"{tenant}/residents/1.csv");
        await PutAsync(tenant, "resident-changes", "a.csv", Birth);
        await ReportAsync($"{tenant}/resident-changes/a.csv");
        await NotificationsAsync(client, tenant, 1);

        await PutAsync(tenant, "resident-changes", "b.csv", Birth);
        var second = await ReportAsync($"{tenant}/resident-changes/b.csv");
        Assert.Contains("nothing changed", second["warnings"]!.AsArray()[0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await Wait.Consistently(async () => (await NotificationsAsync(client, tenant, 1)).Count == 1, "one notification (none from the repeated drop)", TimeSpan.FromSeconds(1.5));
    }

    [Theory]
    [InlineData("12345x/residents/a.csv", "not a local government code")]
    [InlineData("401306/residents/a.csv", "not a local government code")] // wrong check digit
    [InlineData("{tenant}/pets/a.csv", "is not a dataset")]
    [InlineData("{tenant}/residents/a.txt", "is not a drop file name")]
    public async Task A_drop_at_a_bad_path_is_left_untouched_with_a_report_saying_why(string path, string reason)
    {
        var (tenant, _, _) = await _app.NewTenantAsync();
        var name = path.Replace("{tenant}", tenant, StringComparison.Ordinal);
        await _app.Storage.EnsureCreatedAsync();
        var blob = _app.Storage.Container(StorageNames.Containers.Drops).GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(Household)), overwrite: true);
        var report = await ReportAsync(name);
        Assert.Contains(reason, report["rejectedWhole"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(await blob.ExistsAsync()); // untouched
    }

    [Fact]
    public async Task An_unconfigured_tenant_and_an_empty_file_are_reported_and_the_host_keeps_running()
    {
        var (tenant, client, _) = await _app.NewTenantAsync();
        var stranger = TestTenants.Next();
        await PutAsync(stranger, "residents", "a.csv", Household);
        Assert.Contains("is not configured", (await ReportAsync($"{stranger}/residents/a.csv"))["rejectedWhole"]!.GetValue<string>(), StringComparison.Ordinal);

        await PutAsync(tenant, "residents", "empty.csv", string.Empty);
        Assert.False(string.IsNullOrEmpty((await ReportAsync($"{tenant}/residents/empty.csv"))["rejectedWhole"]!.GetValue<string>()));

        // Still working afterwards.
        await PutAsync(tenant, "residents", "ok.csv", Household);
        Assert.Equal(2, (await ReportAsync($"{tenant}/residents/ok.csv"))["accepted"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_drop_from_a_test_key_only_ever_reaches_the_sink_even_for_a_live_tenant()
    {
        var (tenant, admin, _) = await _app.NewTenantAsync();
        var tenants = _app.Services.GetRequiredService<Infrastructure.Tenants.TenantStore>();
        var config = await tenants.GetAsync(tenant, CancellationToken.None);
        await tenants.SaveAsync(config! with { LiveSending = true }, create: false, CancellationToken.None); // no provider is configured here
        var (key, _) = await _app.Services.GetRequiredService<Infrastructure.Tenants.ApiKeyStore>().CreateAsync(tenant, Domain.Tenants.ApiRole.Test, "test", CancellationToken.None);
        var test = _app.ClientWith(key);

        foreach (var (dataset, name, csv) in new[] { ("residents", "1.csv", Household), ("contacts", "2.csv", Contacts), ("resident-changes", "3.csv", Birth) })
        {
            using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
            Assert.Equal(HttpStatusCode.Accepted, (await test.PostAsync(new Uri($"/api/tenants/{tenant}/drops/{dataset}?name={name}", UriKind.Relative), content)).StatusCode);
            await ReportAsync($"{tenant}/{dataset}/{name}");
        }

        var sms = Assert.Single(await NotificationsAsync(admin, tenant, 1));
        var message = Assert.Single(await _app.Services.GetRequiredService<Infrastructure.Notifications.Outbox.MessageStore>().ListForCaseAsync(tenant, (await admin.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/cases"))!["cases"]!.AsArray()[0]!["caseId"]!.GetValue<string>(), CancellationToken.None));
        Assert.True(message.TestMode);
        Assert.Equal(message.MessageId, sms!["messageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_drop_uploaded_over_http_is_ingested_like_one_placed_in_storage()
    {
        var (tenant, client, _) = await _app.NewTenantAsync(Domain.Tenants.ApiRole.Staff);
        using var content = new StringContent(Household, Encoding.UTF8, "text/csv");
        var accepted = await client.PostAsync(new Uri($"/api/tenants/{tenant}/drops/residents?name=http.csv", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.ToString();
        var report = await Wait.Eventually(
            async () =>
            {
                using var r = await client.GetAsync(new Uri(location, UriKind.Relative));
                return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<JsonObject>() : null;
            },
            $"the report at {location}",
            TimeSpan.FromSeconds(60));

        Assert.Equal(2, report["accepted"]!.GetValue<int>());
    }
}
