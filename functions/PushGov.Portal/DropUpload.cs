using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PushGov.Portal.Api;
using PushGov.Portal.Localization;

namespace PushGov.Portal;

/// <summary>
/// <c>POST /drops/upload?dataset=…&amp;name=…</c>: the file streams from the browser through the portal to the API
/// (<c>POST /api/tenants/{tenant}/drops/{dataset}</c>) without being held: the page's script sends the file as the raw
/// body (so it can show progress); without script the form posts multipart and the file part is streamed the same way.
/// A body over the API's limit is refused before a byte is read. Answers: 202 JSON <c>{report}</c> for the script, a
/// redirect to the report for the form, or a page/JSON that says what went wrong.
/// </summary>
public static class DropUpload
{
    /// <summary>The API's limit for a drop over HTTP (2 GiB).</summary>
    public const long MaxBytes = 2L * 1024 * 1024 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext http, PushGovApi api, IAntiforgery antiforgery, Text text, CancellationToken ct)
    {
        var wantsJson = http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
        IResult Fail(int status, string message) => wantsJson
            ? Results.Json(new { title = text["drops.failed"], detail = message }, statusCode: status)
            : Results.Content(PortalApp.ErrorPage(text.Lang, text["drops.failed"], message), "text/html; charset=utf-8", statusCode: status);

        // Before anything is read: the size, then the antiforgery token (a header from the script; in a multipart form,
        // the field before the file part, checked before the file is streamed on).
        if (http.Request.ContentLength is > MaxBytes)
        {
            http.Response.Headers.Connection = "close";
            return Fail(StatusCodes.Status413PayloadTooLarge, text["drops.toolarge"]);
        }

        var isMultipart = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!isMultipart && !await IsValidHeaderTokenAsync(antiforgery, http))
        {
            return Fail(StatusCodes.Status400BadRequest, text["err.csrf"]);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBytes + (1024 * 1024);
        }

        var dataset = http.Request.Query["dataset"].ToString();
        var name = http.Request.Query["name"].ToString();
        try
        {
            DropAccepted accepted;
            if (isMultipart)
            {
                (accepted, var problem) = await FromMultipartAsync(http, type!, api, antiforgery, text, ct);
                if (problem is not null)
                {
                    return Fail(StatusCodes.Status400BadRequest, problem);
                }
            }
            else
            {
                accepted = await api.UploadDropAsync(dataset, Clean(name), http.Request.Body, http.Request.ContentLength, ct);
            }

            var page = $"/Drops/Report?dataset={Uri.EscapeDataString(accepted.Dataset)}&name={Uri.EscapeDataString(accepted.Name)}";
            return wantsJson ? Results.Json(new { report = page }, statusCode: StatusCodes.Status202Accepted) : Results.Redirect(page);
        }
        catch (ApiProblemException e)
        {
            return Fail((int)e.Status, e.Status == HttpStatusCode.RequestEntityTooLarge ? text["drops.toolarge"] : $"{e.Title}: {e.Detail}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail(StatusCodes.Status413PayloadTooLarge, text["drops.toolarge"]);
        }
    }

    private static async Task<bool> IsValidHeaderTokenAsync(IAntiforgery antiforgery, HttpContext http)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>The form without script: fields come first (token, dataset, name), then the file, which is streamed on.</summary>
    private static async Task<(DropAccepted Accepted, string? Problem)> FromMultipartAsync(HttpContext http, MediaTypeHeaderValue type, PushGovApi api, IAntiforgery antiforgery, Text text, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null!, text["drops.nofile"]);
        }

        var reader = new MultipartReader(boundary, http.Request.Body);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            if (!disposition.IsFileDisposition())
            {
                using var sr = new StreamReader(section.Body);
                var value = await sr.ReadToEndAsync(ct);
                fields[field] = value.Length > 4096 ? value[..4096] : value;
                continue;
            }

            // The token must have come before the file: check it before a byte of the file goes anywhere.
            var tokens = antiforgery.GetTokens(http);
            http.Request.Headers[tokens.HeaderName ?? "RequestVerificationToken"] = fields.GetValueOrDefault(tokens.FormFieldName) ?? string.Empty;
            if (!await IsValidHeaderTokenAsync(antiforgery, http))
            {
                return (null!, text["err.csrf"]);
            }

            var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            var name = fields.GetValueOrDefault("name") is { Length: > 0 } n ? n : Path.GetFileName(fileName ?? string.Empty);
            return (await api.UploadDropAsync(fields.GetValueOrDefault("dataset") ?? string.Empty, Clean(name), section.Body, null, ct), null);
        }

        return (null!, text["drops.nofile"]);
    }

    /// <summary>A name the API accepts (letters, digits, '-', '_', '.', ending .csv); empty lets the API choose one.</summary>
    private static string Clean(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).TrimStart('.', '_', '-');
        return safe.Length == 0 ? string.Empty : safe.Length > 90 ? safe[^90..] : safe;
    }
}
