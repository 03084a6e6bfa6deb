using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages.Resident;

/// <summary>
/// Any other path under <c>/r/</c> (a truncated or mangled link): the same page as a link that does not open — what to
/// do instead, and nothing else (status 404).
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class InvalidLinkModel : PageModel
{
    public ResidentText T { get; private set; } = new("ja");

    public IActionResult OnGet(string? lang) => Show(lang);

    public IActionResult OnPost(string? lang) => Show(lang);

    private PageResult Show(string? lang)
    {
        Response.Headers.CacheControl = "no-store";
        T = new ResidentText(lang ?? "ja");
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
