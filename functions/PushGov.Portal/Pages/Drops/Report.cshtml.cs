using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Api;

namespace PushGov.Portal.Pages.Drops;

/// <summary>One drop's report: rows read, accepted, rejected with line, column and reason; "being ingested" (with how far it has got, when known) until it is finished.</summary>
public sealed class ReportModel(PushGovApi api) : PageModel
{
    public string Dataset { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public DropReport? Report { get; private set; }

    public bool Waiting { get; private set; }

    /// <summary>While the drop is being ingested and its report says how far it has got.</summary>
    public DropProgress? Progress { get; private set; }

    public ApiProblemException? Problem { get; private set; }

    public async Task OnGetAsync(string? dataset, string? name, CancellationToken ct)
    {
        Dataset = dataset ?? string.Empty;
        Name = name ?? string.Empty;
        try
        {
            Report = await api.DropReportAsync(Dataset, Name, ct);
            if (Report.Progress is { } progress)
            {
                // Still being ingested: show how far it has got and keep asking, as before the report existed.
                Progress = progress;
                Report = null;
                Waiting = true;
            }
        }
        catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound)
        {
            Waiting = true;
        }
        catch (ApiProblemException e)
        {
            Problem = e;
            Response.StatusCode = (int)e.Status;
        }
    }
}
