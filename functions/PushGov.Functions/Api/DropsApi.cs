using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs.Models;
using PushGov.Domain.Drops;
using PushGov.Infrastructure.Storage;

namespace PushGov.Functions.Api;

/// <summary>
/// Drops over HTTP, for portals and staff: the body is streamed into <c>drops/{tenant}/{dataset}/{name}</c> (never held
/// in memory) and the blob trigger ingests it exactly as a drop placed by a municipal system.
/// <code>
/// POST /api/tenants/{tenant}/drops/{dataset}?name=20261122-0100.csv   → 202, Location: the report
/// GET  /api/tenants/{tenant}/drops/{dataset}/{name}/report            → 200 report | 404 not (yet) ingested
/// </code>
/// </summary>
public static partial class DropsApi
{
    /// <summary>Largest drop accepted over HTTP (a 3.8 M-row snapshot is about 0.5 GB).</summary>
    public const long MaxDropBytes = 2L * 1024 * 1024 * 1024;

    public sealed record Accepted(string Tenant, string Dataset, string Name, string Report);

    internal static async Task<IResult> UploadAsync(string tenant, string dataset, string? name, HttpContext http, StorageClients storage, TimeProvider clock, CancellationToken ct)
    {
        if (!Datasets.TryParse(dataset, out _))
        {
            return Problems.Validation(("dataset", $"Unknown dataset '{Short(dataset)}'. Use one of: {string.Join(", ", Datasets.Names)}."));
        }

        name ??= $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}.csv";
        if (!SafeName().IsMatch(name))
        {
            return Problems.Validation(("name", "A drop name is 1–100 letters, digits, '-', '_' or '.', ending in .csv (no folders)."));
        }

        var type = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not ("text/csv" or "application/octet-stream"))
        {
            return Results.Problem(title: "Unsupported media type", detail: "Send the drop as text/csv (or application/octet-stream).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (http.Request.ContentLength is > MaxDropBytes)
        {
            return TooLarge();
        }

        var sizeFeature = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = MaxDropBytes;
        }

        var blob = storage.Container(StorageNames.Containers.Drops).GetBlobClient($"{tenant}/{dataset}/{name}");
        try
        {
            await blob.UploadAsync(http.Request.Body, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" },
                Metadata = new Dictionary<string, string> { ["uploadedby"] = ApiPrincipal.From(http).Actor },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return Problems.Conflict($"A drop named '{name}' exists already for {dataset}; choose another name.");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        var report = $"/api/tenants/{tenant}/drops/{dataset}/{name}/report";
        return Results.Accepted(report, new Accepted(tenant, dataset, name, report));
    }

    internal static async Task<IResult> ReportAsync(string tenant, string dataset, string name, StorageClients storage, CancellationToken ct)
    {
        if (!Datasets.TryParse(dataset, out _) || !SafeName().IsMatch(name))
        {
            return Problems.NotFound("drop report", $"{Short(dataset)}/{Short(name)}");
        }

        var blob = storage.Container(StorageNames.Containers.DropReports).GetBlobClient(DropReportPath(tenant, dataset, name));
        try
        {
            var content = await blob.DownloadContentAsync(ct);
            return Results.Text(content.Value.Content.ToString(), "application/json");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return Problems.NotFound("drop report", $"{dataset}/{name} (not ingested yet, or no such drop)");
        }
    }

    /// <summary>Where the report of a drop is kept: next to the drop's path, in <c>drop-reports</c>.</summary>
    public static string DropReportPath(string tenant, string dataset, string name) => $"{tenant}/{dataset}/{name}.report.json";

    private static IResult TooLarge() =>
        Results.Problem(title: "Payload too large", detail: $"A drop over HTTP is at most {MaxDropBytes / (1024 * 1024)} MiB; place larger drops in blob storage.", statusCode: StatusCodes.Status413PayloadTooLarge);

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\.csv\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}

/// <summary>The routes of drops (see <see cref="DropsApi"/>).</summary>
public sealed class DropsFunctions(ApiGate gate, StorageClients storage, TimeProvider clock)
{
    [Function("UploadDrop")]
    public Task<IResult> UploadAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tenants/{tenant}/drops/{dataset}")] HttpRequest req, string tenant, string dataset) =>
        gate.RunAsync(req, tenant, new Audit("drop.upload"), CasesApi.Staff, (http, ct) => DropsApi.UploadAsync(tenant, dataset, Query.Text(req, "name"), http, storage, clock, ct));

    [Function("GetDropReport")]
    public Task<IResult> ReportAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/drops/{dataset}/{name}/report")] HttpRequest req, string tenant, string dataset, string name) =>
        gate.RunAsync(req, tenant, new Audit("drop.report.read"), CasesApi.Staff, (_, ct) => DropsApi.ReportAsync(tenant, dataset, name, storage, ct));
}
