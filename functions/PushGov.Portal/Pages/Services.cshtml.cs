using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Api;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages;

/// <summary>The tenant's catalog: services, rule versions with the day each came into force, deadlines.</summary>
public sealed class ServicesModel(PushGovApi api) : PageModel
{
    public TenantCatalogView? Catalog { get; private set; }

    public ApiProblemException? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Catalog = await api.CatalogAsync(ct);
        }
        catch (ApiProblemException e)
        {
            Problem = e;
            Response.StatusCode = (int)e.Status;
        }
    }
}

/// <summary>Names of services in the page's language.</summary>
public static class ServicesPage
{
    public static string Name(IReadOnlyDictionary<string, string> names, Text text, string fallback) =>
        names.GetValueOrDefault(text.Lang) ?? names.GetValueOrDefault("ja") ?? fallback;

    public static IReadOnlyDictionary<string, string> Names(TenantCatalogView catalog, Text text) =>
        catalog.Services.ToDictionary(s => s.Id, s => Name(s.Names, text, s.Id), StringComparer.Ordinal);
}
