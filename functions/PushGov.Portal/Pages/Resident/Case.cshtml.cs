using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Api;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages.Resident;

/// <summary>
/// The resident's case page, opened from the signed link in their message: what they can get, why, by when (和暦 and
/// 西暦) and how to apply, in their language first (日本語, やさしい日本語, English), and their answer ("I applied" /
/// "not for me"), which goes to the case through the API; for a service that allows it, the application already filled
/// in (申請不要) and one button that confirms it. A link that does not open gets the page of
/// <see cref="InvalidLinkModel"/> (the same partial) and nothing else. Answers are form posts with the antiforgery token, then a redirect back.
/// </summary>
public sealed class CaseModel(ResidentPortalApi api) : PageModel
{
    public ResidentCase View { get; private set; } = null!;

    /// <summary>True when the link did not open: the page says only what to do instead (status 404).</summary>
    public bool Invalid { get; private set; }

    public ResidentText T { get; private set; } = new("ja");

    /// <summary>What the last answer came to (shown once after the redirect).</summary>
    [TempData]
    public string? Answered { get; set; }

    /// <summary>This page in another language: the same link with <c>?lang=</c>.</summary>
    public string LanguageUrl(string lang) => $"{Request.PathBase}{Request.Path}?lang={Uri.EscapeDataString(lang)}";

    public async Task<IActionResult> OnGetAsync(string tenant, string caseId, string token, string? lang, CancellationToken ct)
    {
        NoStore();
        if (await api.ViewAsync(tenant, caseId, token, ct) is not { } view)
        {
            return NotValid(lang);
        }

        View = view;
        T = new ResidentText(lang ?? view.Language);
        return Page();
    }

    public async Task<IActionResult> OnPostAnswerAsync(string tenant, string caseId, string token, string? answer, string? lang, CancellationToken ct)
    {
        NoStore();
        if (answer is not ("applied" or "declined"))
        {
            return RedirectToPage(new { tenant, caseId, token, lang });
        }

        var result = await api.AnswerAsync(tenant, caseId, token, answer, ct);
        if (result == ResidentAnswerResult.LinkNotValid)
        {
            return NotValid(lang);
        }

        Answered = result == ResidentAnswerResult.Accepted ? "answered." + answer : "answered.late";
        return RedirectToPage(new { tenant, caseId, token, lang });
    }

    /// <summary>The resident confirms the prefilled application of one service (申請不要); the case then closes as applied.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string tenant, string caseId, string token, string? service, string? lang, CancellationToken ct)
    {
        NoStore();
        if (string.IsNullOrEmpty(service))
        {
            return RedirectToPage(new { tenant, caseId, token, lang });
        }

        var result = await api.ConfirmApplicationAsync(tenant, caseId, token, service, ct);
        if (result == ResidentAnswerResult.LinkNotValid)
        {
            return NotValid(lang);
        }

        Answered = result == ResidentAnswerResult.Accepted ? "answered.confirmed" : "answered.late";
        return RedirectToPage(new { tenant, caseId, token, lang });
    }

    private PageResult NotValid(string? lang)
    {
        Invalid = true;
        T = new ResidentText(lang ?? "ja");
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    private void NoStore() => Response.Headers.CacheControl = "no-store";
}
