using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace PushGov.Portal.Auth;

/// <summary>
/// Who is signed in: the tenant, an actor id to show (never the secret) and the credential the portal forwards to the API.
/// Locally the credential is the tenant's staff key, kept only in the Data Protection-encrypted sign-in cookie.
/// </summary>
public sealed record StaffSession(string Tenant, string Actor, string Credential)
{
    public const string TenantClaim = "pushgov:tenant";
    public const string CredentialClaim = "pushgov:credential";
    public const string ActorClaim = "pushgov:actor";

    public static StaffSession? From(ClaimsPrincipal user) =>
        user.FindFirstValue(TenantClaim) is { Length: > 0 } tenant && user.FindFirstValue(CredentialClaim) is { Length: > 0 } credential
            ? new StaffSession(tenant, user.FindFirstValue(ActorClaim) ?? "staff", credential)
            : null;

    public ClaimsPrincipal ToPrincipal(string scheme) =>
        new(new ClaimsIdentity([new Claim(TenantClaim, Tenant), new Claim(ActorClaim, Actor), new Claim(CredentialClaim, Credential)], scheme));
}

/// <summary>The shape of a PushGov API key, <c>pg_{tenant}_{keyId}_{secret}</c>: the tenant and key id are readable, the secret is not checked here.</summary>
public static partial class StaffKeys
{
    public static bool TryParse(string? key, out string tenant, out string keyId)
    {
        var match = key is null ? Match.Empty : Shape().Match(key.Trim());
        tenant = match.Success ? match.Groups["tenant"].Value : string.Empty;
        keyId = match.Success ? match.Groups["id"].Value : string.Empty;
        return match.Success;
    }

    [GeneratedRegex(@"^pg_(?<tenant>\d{6})_(?<id>[A-Za-z0-9]{1,64})_[A-Za-z0-9_-]{8,200}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}

/// <summary>
/// Sign-in: locally a cookie (encrypted with Data Protection, HttpOnly, SameSite=Strict, Secure on https, fixed
/// lifetime); behind App Service Authentication the platform's headers (<see cref="EasyAuthOptions"/>).
/// </summary>
public static class PortalAuth
{
    public const string EasyAuthScheme = "EasyAuth";
    public const string CookieName = "pushgov.staff";

    public static IServiceCollection AddPortalAuth(this IServiceCollection services, PortalOptions options)
    {
        if (options.EasyAuth.Enabled)
        {
            services.AddAuthentication(EasyAuthScheme).AddScheme<AuthenticationSchemeOptions, EasyAuthHandler>(EasyAuthScheme, _ => { });
            return services;
        }

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = options.SignInLifetime;
            o.SlidingExpiration = false;
            o.LoginPath = "/SignIn";
            o.LogoutPath = "/SignOut";
            o.AccessDeniedPath = "/SignIn";
            o.Events.OnRedirectToLogin = context =>
            {
                // A cookie that came but did not hold (forged, altered, expired, keys rotated): say so on the sign-in page.
                var stale = context.Request.Cookies.ContainsKey(CookieName);
                if (stale)
                {
                    context.Response.Cookies.Delete(CookieName);
                }

                var target = context.RedirectUri + (stale ? "&expired=true" : string.Empty);
                if (context.Request.Method != HttpMethods.Get)
                {
                    // A form posted without a valid sign-in changes nothing: 401 with where to go, not a redirect that looks like success.
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.Location = target;
                    return Task.CompletedTask;
                }

                context.Response.Redirect(target);
                return Task.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>Trusts App Service Authentication's headers; only registered when the platform runs it (see docs/deploy.md).</summary>
    private sealed class EasyAuthHandler(
        Microsoft.Extensions.Options.IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
        ILoggerFactory logger,
        System.Text.Encodings.Web.UrlEncoder encoder,
        Microsoft.Extensions.Options.IOptions<PortalOptions> portal)
        : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!string.Equals(Environment.GetEnvironmentVariable("WEBSITE_AUTH_ENABLED"), "True", StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult(AuthenticateResult.Fail("App Service Authentication is not enabled on this app; its headers are not trusted."));
            }

            var user = Request.Headers["X-MS-CLIENT-PRINCIPAL-ID"].ToString();
            var token = Request.Headers["X-MS-TOKEN-AAD-ACCESS-TOKEN"].ToString();
            if (user.Length == 0 || token.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var session = new StaffSession(portal.Value.EasyAuth.Tenant, "entra:" + user, token);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(session.ToPrincipal(EasyAuthScheme), EasyAuthScheme)));
        }
    }
}
