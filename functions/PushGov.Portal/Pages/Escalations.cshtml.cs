using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Api;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages;

/// <summary>Cases that need a person, earliest deadline first (the API's order), with why.</summary>
public sealed class EscalationsModel(PushGovApi api, Text text) : PageModel
{
    public IReadOnlyList<CaseSummary> Cases { get; private set; } = [];

    public IReadOnlyDictionary<string, string> ServiceNames { get; private set; } = new Dictionary<string, string>();

    public ApiProblemException? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Cases = (await api.EscalationsAsync(ct)).Cases;
            ServiceNames = ServicesPage.Names(await api.CatalogAsync(ct), text);
        }
        catch (ApiProblemException e)
        {
            Problem = e;
            Response.StatusCode = (int)e.Status;
        }
    }
}
