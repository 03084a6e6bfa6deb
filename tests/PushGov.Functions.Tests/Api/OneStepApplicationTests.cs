using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using PushGov.Domain.Applications;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Functions.Api;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Applications;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

/// <summary>One-step application (申請不要) through the resident's signed link, against Azurite and the case's orchestration.</summary>
[Collection("Api")]
public sealed class OneStepApplicationTests(ApiFixture fx)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly ResidentLinkSigner signer = new(TestAppSettings.LinkKey);

    [Fact]
    public async Task The_case_view_offers_the_child_allowance_application_filled_from_the_household_and_nothing_for_a_service_not_marked()
    {
        var (t, s, link) = await Scenario.MessagedAsync(fx, 541);

        var view = await ViewAsync(t, s, link);

        var form = view.Offers.Single(o => o.ServiceId == "jidou-teate").OneStep!;
        Assert.Equal(s.HeadId, form.Applicant.ResidentId);
        Assert.Equal([s.ChildId], form.Children!.Select(c => c.ResidentId));
        Assert.Equal((s.HouseholdId, s.HeadId, 3), (form.Household!.HouseholdId, form.Household.Head!.ResidentId, form.Household.Members));
        Assert.Equal(ApplicationFields.Unknown, form.PublicFundsAccount);
        var notMarked = view.Offers.Where(o => o.ServiceId != "jidou-teate").ToList();
        Assert.NotEmpty(notMarked);
        Assert.All(notMarked, o => Assert.Null(o.OneStep));

        using var refused = await fx.Client(t.PortalKey).PostAsJsonAsync(Confirm(t.Code, s.CaseId), new { link, service = notMarked[0].ServiceId });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await BlobsAsync(t.Code));
    }

    [Fact]
    public async Task Confirming_the_child_allowance_twice_hands_over_one_application_one_csv_row_and_closes_the_case_as_applied()
    {
        var (t, s, link) = await Scenario.MessagedAsync(fx, 542);
        var portal = fx.Client(t.PortalKey);

        // Two at once (a double click), then once more after the case has closed.
        var both = await Task.WhenAll(
            portal.PostAsJsonAsync(Confirm(t.Code, s.CaseId), new { link, service = "jidou-teate" }),
            portal.PostAsJsonAsync(Confirm(t.Code, s.CaseId), new { link, service = "jidou-teate" }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], both.Select(r => r.StatusCode).Order());
        var answers = await Task.WhenAll(both.Select(r => r.Content.ReadFromJsonAsync<ResidentApi.ApplicationConfirmed>(Json)));
        Array.ForEach(both, r => r.Dispose());
        Assert.Single(answers.Select(a => a!.ApplicationId).Distinct());
        var confirmed = answers.Single(a => a!.Created)!;

        CaseData stored = null!;
        await Wait.Eventually(async () => (stored = (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!).State == CaseState.Closed, "the case closed");
        Assert.Equal(CaseOutcome.Applied, stored.Outcome);
        var history = await fx.Service<ICaseReader>().GetHistoryAsync(t.Code, s.CaseId, CancellationToken.None);
        Assert.Equal("resident:" + signer.ResidentTag(t.Code, s.CaseId, s.HeadId), history[^1].Actor);

        using var third = await portal.PostAsJsonAsync(Confirm(t.Code, s.CaseId), new { link, service = "jidou-teate" });
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(confirmed with { Created = false }, await third.Content.ReadFromJsonAsync<ResidentApi.ApplicationConfirmed>(Json));

        var day = confirmed.HandedOverOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [$"{t.Code}/jidou-teate/{day}.csv", $"{t.Code}/jidou-teate/{day}/{confirmed.ApplicationId}.json"],
            await BlobsAsync(t.Code));
        var container = fx.Storage.Container(StorageNames.Containers.Applications);
        var json = (await container.GetBlobClient($"{t.Code}/jidou-teate/{day}/{confirmed.ApplicationId}.json").DownloadContentAsync()).Value.Content;
        var application = ApplicationFiles.Read(json.ToMemory().Span);
        Assert.Equal((s.CaseId, s.HeadId, "児童手当"), (application.CaseId, application.Form.Applicant.ResidentId, application.ServiceName));
        var csv = (await container.GetBlobClient($"{t.Code}/jidou-teate/{day}.csv").DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        var rows = CsvRows(csv);
        Assert.Equal(2, rows.Length);
        Assert.StartsWith(confirmed.ApplicationId + ",", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hand_over_that_crashed_after_its_json_file_is_finished_by_the_sweep_once_into_the_days_csv_and_the_case_applied()
    {
        var (t, s, link) = await Scenario.MessagedAsync(fx, 545);
        var form = (await ViewAsync(t, s, link)).Offers.Single(o => o.ServiceId == "jidou-teate").OneStep!;
        var c = (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!;
        var candidate = OneStepApplication.Confirmed(t.Code, s.CaseId, "児童手当", c.Event.Kind.ToString(), c.Event.EventDate, DateTimeOffset.UtcNow, form);
        var actor = "resident:" + signer.ResidentTag(t.Code, s.CaseId, s.HeadId);
        var handOver = fx.Service<ApplicationHandOver>();

        // The first half of the hand-over, then the crash: no CSV, no applied.
        var claimed = (await handOver.ClaimAsync(candidate, actor, CancellationToken.None)).Application;
        var day = claimed.HandedOverOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([$"{t.Code}/jidou-teate/{day}/{claimed.ApplicationId}.json"], await BlobsAsync(t.Code));

        // The sweep's finishing step (TimeSpan.Zero: this mark is taken at once rather than after a minute).
        var inbox = fx.Service<DurableCases>();
        await handOver.FinishInterruptedAsync(inbox, TimeSpan.Zero, CancellationToken.None);

        CaseData stored = null!;
        await Wait.Eventually(async () => (stored = (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!).State == CaseState.Closed, "the case closed");
        Assert.Equal(CaseOutcome.Applied, stored.Outcome);
        var history = await fx.Service<ICaseReader>().GetHistoryAsync(t.Code, s.CaseId, CancellationToken.None);
        Assert.Equal(actor, history[^1].Actor);
        var container = fx.Storage.Container(StorageNames.Containers.Applications);
        var csv = container.GetBlobClient($"{t.Code}/jidou-teate/{day}.csv");
        var rows = CsvRows((await csv.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Single(rows, r => r.StartsWith(claimed.ApplicationId + ",", StringComparison.Ordinal));
        Assert.False((await fx.Storage.Table(StorageNames.Tables.Applications).GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(ApplicationHandOver.PendingPartition, $"{t.Code}|{claimed.ApplicationId}")).HasValue);

        // A second run finds nothing left of this hand-over: the CSV is not rewritten and the case hears nothing more.
        var etag = (await csv.GetPropertiesAsync()).Value.ETag;
        await handOver.FinishInterruptedAsync(inbox, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(etag, (await csv.GetPropertiesAsync()).Value.ETag);
        Assert.Equal(history.Count, (await fx.Service<ICaseReader>().GetHistoryAsync(t.Code, s.CaseId, CancellationToken.None)).Count);
        Assert.Equal(
            [$"{t.Code}/jidou-teate/{day}.csv", $"{t.Code}/jidou-teate/{day}/{claimed.ApplicationId}.json"],
            await BlobsAsync(t.Code));
    }

    [Fact]
    public async Task Another_residents_link_and_an_altered_or_forged_link_cannot_confirm()
    {
        var (t, s, link) = await Scenario.MessagedAsync(fx, 543);
        var otherLink = await OtherHouseholdLinkAsync(t, 544);
        var c = (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!;
        var lastDay = c.Matches.Max(m => m.Deadline)!.Value.AddDays(30);
        var attempts = new[]
        {
            // The wife is not the recipient of 児童手当 (the head is), so a link in her name does not open the case.
            ("the recipient's spouse", signer.Sign(t.Code, s.CaseId, s.WifeId, lastDay), s.CaseId),
            ("another household's resident, with their own valid link", otherLink, s.CaseId),
            ("altered", link[..^1] + (link[^1] == 'A' ? 'B' : 'A'), s.CaseId),
            ("forged", new ResidentLinkSigner("an-attackers-own-key-0123456789abcdefgh").Sign(t.Code, s.CaseId, s.HeadId, lastDay), s.CaseId),
        };
        var portal = fx.Client(t.PortalKey);
        foreach (var (why, token, caseId) in attempts)
        {
            using var answer = await portal.PostAsJsonAsync(Confirm(t.Code, caseId), new { link = token, service = "jidou-teate" });
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, why);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            Assert.Equal("No such case or link", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        Assert.Empty(await BlobsAsync(t.Code));
        Assert.True((await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!.IsOpen);
    }

    private static string View(string tenant, string caseId) => $"/api/tenants/{tenant}/cases/{caseId}/resident-view";

    private static string Confirm(string tenant, string caseId) => $"/api/tenants/{tenant}/cases/{caseId}/resident-application";

    private async Task<ResidentCaseView> ViewAsync(TestTenant t, Scenario s, string link)
    {
        using var answer = await fx.Client(t.PortalKey).PostAsJsonAsync(View(t.Code, s.CaseId), new { link });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return (await answer.Content.ReadFromJsonAsync<ResidentCaseView>(Json))!;
    }

    /// <summary>A second household's birth in the same tenant, and the link its head's e-mail carried.</summary>
    private async Task<string> OtherHouseholdLinkAsync(TestTenant t, int serial)
    {
        var pii = Pii.Default with { Email = $"other.{serial}@example.jp" };
        var s = await Scenario.BirthAsync(fx, t.Code, pii, serial);
        var c = (await fx.Service<CaseStore>().GetAsync(t.Code, s.CaseId, CancellationToken.None))!;
        return signer.Sign(t.Code, s.CaseId, s.HeadId, c.Matches.Max(m => m.Deadline)!.Value.AddDays(30));
    }

    /// <summary>The CSV's lines (header first) after its UTF-8 BOM.</summary>
    private static string[] CsvRows(byte[] csv) => Encoding.UTF8.GetString(csv.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    private async Task<List<string>> BlobsAsync(string tenant)
    {
        var names = new List<string>();
        await foreach (var blob in fx.Storage.Container(StorageNames.Containers.Applications).GetBlobsAsync(BlobTraits.None, BlobStates.None, tenant + "/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names.Order(StringComparer.Ordinal).ToList();
    }
}
