using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Api;
using PushGov.Portal.Auth;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages.Cases;

/// <summary>
/// One case of the signed-in tenant: the people masked until staff open them (an audited read of the API), the services
/// matched with their reason trace and deadlines, messages, history, and the actions. Every action is a form post with
/// its antiforgery token, then a redirect back (so a reload never repeats it).
/// </summary>
public sealed partial class DetailModel(PushGovApi api, Text text) : PageModel
{
    public static readonly string[] CloseOutcomes = ["ClosedByStaff", "Applied", "Declined", "NothingToOffer"];

    public CaseDetail? Case { get; private set; }

    public CasePeopleView? People { get; private set; }

    public DateTimeOffset RevealedAt { get; private set; }

    public string Actor => StaffSession.From(User)?.Actor ?? string.Empty;

    public IReadOnlyDictionary<string, string> ServiceNames { get; private set; } = new Dictionary<string, string>();

    public ApiProblemException? Problem { get; private set; }

    /// <summary>Every resident the case names (subject first), for the masked list and the resend choice.</summary>
    public IReadOnlyList<(string ResidentId, IReadOnlyList<string> Roles)> Residents { get; private set; } = [];

    /// <summary>A resident id with all but its last four characters hidden.</summary>
    public static string Mask(string id) => id.Length <= 4 ? new string('•', id.Length) : new string('•', id.Length - 4) + id[^4..];

    /// <summary>A reason trace's text with every resident id in it (a run of 8 or more digits) masked like <see cref="Mask"/>.</summary>
    public static string MaskIds(string text) => LongNumber().Replace(text, m => Mask(m.Value));

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{8,}", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex LongNumber();

    public async Task<IActionResult> OnGetAsync(string caseId, CancellationToken ct) => await LoadAsync(caseId, ct) ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostRevealAsync(string caseId, CancellationToken ct)
    {
        if (!await LoadAsync(caseId, ct))
        {
            return NotFoundPage();
        }

        try
        {
            People = await api.PeopleAsync(caseId, ct);
            RevealedAt = DateTimeOffset.UtcNow;
        }
        catch (ApiProblemException e)
        {
            Problem = e;
        }

        return Page();
    }

    public Task<IActionResult> OnPostTakeOverAsync(string caseId, CancellationToken ct) =>
        ActAsync(caseId, async () => { await api.RaiseAsync(caseId, "staff-takeover", null, null, ct); return text["case.done.takeover"]; });

    public Task<IActionResult> OnPostCloseAsync(string caseId, string? outcome, string? note, CancellationToken ct) =>
        ActAsync(caseId, async () =>
        {
            await api.RaiseAsync(caseId, "close", CloseOutcomes.Contains(outcome) ? outcome : "ClosedByStaff", string.IsNullOrWhiteSpace(note) ? null : note.Trim(), ct);
            return text["case.done.close"];
        });

    public Task<IActionResult> OnPostNoteAsync(string caseId, string? note, CancellationToken ct) =>
        ActAsync(caseId, async () => { await api.AddNoteAsync(caseId, note ?? string.Empty, ct); return text["case.done.note"]; });

    public Task<IActionResult> OnPostResendAsync(string caseId, string? residentId, string? channel, CancellationToken ct) =>
        ActAsync(caseId, async () =>
        {
            var accepted = await api.ResendAsync(caseId, residentId ?? string.Empty, channel ?? string.Empty, ct);
            return string.Format(text[accepted.Repeated ? "case.done.resend.repeated" : "case.done.resend"], text.Code("channel", accepted.Channel), text.Code("status", accepted.Status));
        });

    private async Task<IActionResult> ActAsync(string caseId, Func<Task<string>> action)
    {
        try
        {
            TempData["Flash"] = await action();
        }
        catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return NotFoundPage();
        }
        catch (ApiProblemException e)
        {
            TempData["FlashError"] = $"{text["err.api"]} ({(int)e.Status}): {e.Title}{(e.Detail is null ? string.Empty : ": " + e.Detail)}";
        }

        return RedirectToPage(new { caseId });
    }

    private async Task<bool> LoadAsync(string caseId, CancellationToken ct)
    {
        try
        {
            Case = await api.CaseAsync(caseId, ct);
            ServiceNames = ServicesPage.Names(await api.CatalogAsync(ct), text);
        }
        catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return false;
        }

        var roles = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [Case.ResidentId] = ["subject"] };
        foreach (var id in Case.Matches.SelectMany(m => m.RecipientIds).Concat(Case.Messages.Select(m => m.ResidentId)))
        {
            var list = roles.TryGetValue(id, out var l) ? l : roles[id] = [];
            var role = Case.Matches.Any(m => m.RecipientIds.Contains(id)) ? "recipient" : "messaged";
            if (!list.Contains(role))
            {
                list.Add(role);
            }
        }

        Residents = roles.Select(r => (r.Key, (IReadOnlyList<string>)r.Value)).ToList();
        return true;
    }

    private IActionResult NotFoundPage()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        Case = null;
        return Page();
    }
}
