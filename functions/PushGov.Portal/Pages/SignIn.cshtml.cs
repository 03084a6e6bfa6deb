using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PushGov.Portal.Api;
using PushGov.Portal.Auth;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages;

/// <summary>Sign-in with the tenant's staff key: checked against the API, then kept in the encrypted cookie only.</summary>
public sealed class SignInModel(PushGovApi api, Text text, IOptions<PortalOptions> options) : PageModel
{
    public bool Expired { get; private set; }

    public string? Error { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public IActionResult OnGet(string? returnUrl, bool expired = false)
    {
        if (options.Value.EasyAuth.Enabled)
        {
            return Redirect("/.auth/login/aad");
        }

        Expired = expired;
        ReturnUrl = Local(returnUrl);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? key, string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = Local(returnUrl);
        key = key?.Trim();
        if (!StaffKeys.TryParse(key, out var tenant, out var keyId))
        {
            Error = text["signin.malformed"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        HttpStatusCode status;
        try
        {
            status = await api.CheckStaffAsync(tenant, key!, ct);
        }
        catch (HttpRequestException)
        {
            Error = text["signin.unreachable"];
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        if (status != HttpStatusCode.OK)
        {
            Error = text["signin.refused"];
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var session = new StaffSession(tenant, $"staff:{keyId}", key!);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, session.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = false, ExpiresUtc = DateTimeOffset.UtcNow.Add(options.Value.SignInLifetime), AllowRefresh = false });
        return LocalRedirect(ReturnUrl);
    }

    private string Local(string? url) => url is { Length: > 0 } u && Url.IsLocalUrl(u) ? u : "/";
}
