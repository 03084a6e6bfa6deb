using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Api;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages.Resident;

/// <summary>
/// The resident's own settings, reached through their signed link: each channel's address and consent, consent to the
/// use of tax data, and the language of notices. Only what changed is sent (PUT preferences), so an unchanged choice
/// keeps its time; a withdrawal is honoured at once by the API (messages waiting on that channel are cancelled).
/// LINE can only be stopped here (it is linked from LINE). The resident id comes from the opened link, never the browser.
/// </summary>
public sealed class PreferencesModel(ResidentPortalApi api) : PageModel
{
    public static readonly string[] Channels = ["sms", "email", "post"];

    public ResidentCase View { get; private set; } = null!;

    public ResidentPreferences Current { get; private set; } = null!;

    public ResidentText T { get; private set; } = new("ja");

    public bool Invalid { get; private set; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    [TempData]
    public string? Saved { get; set; }

    [BindProperty]
    public Choices Input { get; set; } = new();

    public string BackUrl => $"{Request.PathBase}{Request.Path.Value![..Request.Path.Value!.LastIndexOf('/')]}?lang={Uri.EscapeDataString(T.Lang)}";

    public async Task<IActionResult> OnGetAsync(string tenant, string caseId, string token, string? lang, CancellationToken ct)
    {
        if (!await OpenAsync(tenant, caseId, token, lang, ct))
        {
            return NotValid(lang);
        }

        Input = Choices.From(Current);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string tenant, string caseId, string token, string? lang, CancellationToken ct)
    {
        if (!await OpenAsync(tenant, caseId, token, lang, ct))
        {
            return NotValid(lang);
        }

        var before = Choices.From(Current);
        var channels = new List<object>();
        foreach (var channel in Channels)
        {
            var (address, consent) = (Input.Address(channel), Input.Consent(channel));
            var (oldAddress, oldConsent) = (before.Address(channel), before.Consent(channel));
            var addressChanged = address is not null && address != oldAddress;
            if (addressChanged || consent != oldConsent)
            {
                channels.Add(addressChanged ? new { channel, address, consent } : new { channel, consent });
            }
        }

        if (before.Line && !Input.Line)
        {
            channels.Add(new { channel = "line", consent = false });
        }

        var language = Input.Language is { Length: > 0 } l && l != before.Language ? l : null;
        bool? tax = Input.TaxData != before.TaxData ? Input.TaxData : null;
        if (channels.Count == 0 && language is null && tax is null)
        {
            Saved = "prefs.unchanged";
            return RedirectToPage(new { tenant, caseId, token, lang });
        }

        var errors = await api.SavePreferencesAsync(tenant, View.ResidentId, new { language, taxDataConsent = tax, channels }, ct);
        if (errors is not null)
        {
            Errors = errors;
            return Page();
        }

        Saved = "prefs.saved";
        return RedirectToPage(new { tenant, caseId, token, lang });
    }

    private async Task<bool> OpenAsync(string tenant, string caseId, string token, string? lang, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        if (await api.ViewAsync(tenant, caseId, token, ct) is not { } view)
        {
            return false;
        }

        View = view;
        T = new ResidentText(lang ?? view.Language);
        Current = await api.PreferencesAsync(tenant, view.ResidentId, ct);
        return true;
    }

    private PageResult NotValid(string? lang)
    {
        Invalid = true;
        T = new ResidentText(lang ?? "ja");
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    /// <summary>The form: an address and a consent per channel, LINE (withdraw only), tax-data consent, language.</summary>
    public sealed class Choices
    {
        public string? SmsAddress { get; set; }

        public bool Sms { get; set; }

        public string? EmailAddress { get; set; }

        public bool Email { get; set; }

        public string? PostAddress { get; set; }

        public bool Post { get; set; }

        public bool Line { get; set; }

        public bool TaxData { get; set; }

        public string? Language { get; set; }

        public static Choices From(ResidentPreferences p)
        {
            ChannelPreference? Of(string channel) => p.Channels.FirstOrDefault(c => c.Channel == channel);
            return new Choices
            {
                SmsAddress = Of("sms")?.Address,
                Sms = Of("sms")?.Consent ?? false,
                EmailAddress = Of("email")?.Address,
                Email = Of("email")?.Consent ?? false,
                PostAddress = Of("post")?.Address,
                Post = Of("post")?.Consent ?? false,
                Line = Of("line")?.Consent ?? false,
                TaxData = p.TaxDataConsent,
                Language = p.Language,
            };
        }

        public string? Address(string channel) => (channel switch { "sms" => SmsAddress, "email" => EmailAddress, _ => PostAddress })?.Trim() is { Length: > 0 } a ? a : null;

        public bool Consent(string channel) => channel switch { "sms" => Sms, "email" => Email, _ => Post };
    }
}
