using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Api;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages.Drops;

/// <summary>Upload a drop (streamed, with progress) and the drops of the last 30 days with their reports' figures.</summary>
public sealed class IndexModel(PushGovApi api, TimeProvider clock) : PageModel
{
    public static readonly string[] Datasets = ["resident-changes", "residents", "contacts", "tax", "pregnancy", "disaster"];

    public IReadOnlyList<DropSummary> Drops { get; private set; } = [];

    public ApiProblemException? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Text.Tokyo).DateTime);
        try
        {
            Drops = (await api.DropsAsync(today.AddDays(-29), today, ct)).Drops;
        }
        catch (ApiProblemException e)
        {
            Problem = e;
            Response.StatusCode = (int)e.Status;
        }
    }
}
