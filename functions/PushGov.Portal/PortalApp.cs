using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using PushGov.Portal.Api;
using PushGov.Portal.Auth;
using PushGov.Portal.Localization;

namespace PushGov.Portal;

/// <summary>Builds the portal: options, sign-in, the typed API client, Razor Pages and the drop upload endpoint.</summary>
public static class PortalApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The application name is the portal's own assembly (where its pages are compiled), also when a test host starts it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(PortalApp).Assembly.GetName().Name });
        configure?.Invoke(builder);
        var options = new PortalOptions();
        builder.Configuration.GetSection(PortalOptions.Section).Bind(options);
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var apiBase))
        {
            throw new InvalidOperationException("PushGov:Portal:ApiBaseUrl must be the API's absolute URL (e.g. http://127.0.0.1:7071).");
        }

        if (options.EasyAuth.Enabled && !System.Text.RegularExpressions.Regex.IsMatch(options.EasyAuth.Tenant, @"^\d{6}\z"))
        {
            throw new InvalidOperationException("PushGov:Portal:EasyAuth:Tenant must be the tenant's 6-digit code.");
        }

        builder.Services.Configure<PortalOptions>(builder.Configuration.GetSection(PortalOptions.Section));
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("PushGov.Portal");
        if (options.DataProtectionKeysPath is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        builder.Services.AddHttpContextAccessor();
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddScoped<Text>();
        builder.Services.AddHttpClient<PushGovApi>(c =>
        {
            c.BaseAddress = new Uri(apiBase.ToString().TrimEnd('/') + "/");
            c.Timeout = Timeout.InfiniteTimeSpan; // uploads stream for as long as they take; reads are bounded by the request's own abort
        });
        builder.Services.AddHttpClient<ResidentPortalApi>(c =>
        {
            c.BaseAddress = new Uri(apiBase.ToString().TrimEnd('/') + "/");
            c.Timeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddPortalAuth(options);
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "pushgov.csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "RequestVerificationToken";
        });
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToFolder("/Resident");
        }).AddMvcOptions(o => o.Filters.Add<ClearAnswers>());
        builder.Services.Configure<CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = "pushgov.flash";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);

        var app = builder.Build();
        app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers["Referrer-Policy"] = "same-origin";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
            await next();
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapRazorPages();
        app.MapPost("/lang", SwitchLanguage);
        app.MapPost("/drops/upload", DropUpload.HandleAsync).RequireAuthorization().DisableAntiforgery();
        return app;
    }

    /// <summary>The language switch: a form (with its antiforgery token) that sets the language cookie and goes back.</summary>
    private static IResult SwitchLanguage([FromForm] string? to, [FromForm] string? returnUrl, HttpContext http)
    {
        http.Response.Cookies.Append(Text.Cookie, to == "en" ? "en" : "ja", new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
        return Results.LocalRedirect(returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal) ? r : "/");
    }

    /// <summary>Turns the framework's bare 400 for a form without a valid antiforgery token into a page that says what happened.</summary>
    private sealed class ClearAnswers(Text text) : IAlwaysRunResultFilter
    {
        public void OnResultExecuting(ResultExecutingContext context)
        {
            if (context.Result is IAntiforgeryValidationFailedResult)
            {
                context.Result = new ContentResult
                {
                    StatusCode = StatusCodes.Status400BadRequest,
                    ContentType = "text/html; charset=utf-8",
                    Content = ErrorPage(text.Lang, text["err.title"], text["err.csrf"]),
                };
            }
        }

        public void OnResultExecuted(ResultExecutedContext context)
        {
        }
    }

    /// <summary>A minimal page for answers given outside a Razor page (bad form, too large upload).</summary>
    public static string ErrorPage(string lang, string title, string message) =>
        $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{System.Net.WebUtility.HtmlEncode(title)} — PushGov</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head>" +
        $"<body><main id=\"main\" class=\"page\"><h1>{System.Net.WebUtility.HtmlEncode(title)}</h1><p class=\"alert alert-error\" role=\"alert\">{System.Net.WebUtility.HtmlEncode(message)}</p><p><a href=\"/\">PushGov</a></p></main></body></html>";
}
