using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace PushGov.Infrastructure.Notifications.Providers.Acs;

/// <summary>
/// The ACS access-key scheme (as Azure SDK's HMACAuthenticationPolicy and the "Sign an HTTP request with HMAC" tutorial):
/// <code>
/// x-ms-date:           RFC 1123 date ("r")
/// x-ms-content-sha256: base64(SHA-256(body))            (the hash of an empty body when there is none)
/// string-to-sign:      VERB "\n" path-and-query "\n" x-ms-date ";" host ";" x-ms-content-sha256
/// Authorization:       HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=base64(HMAC-SHA256(base64decode(key), string-to-sign))
/// </code>
/// host is the request URI's authority (host, and port when not the scheme's default) — what HttpClient sends as Host.
/// </summary>
public static class AcsHmacSigner
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    public static string ContentHash(ReadOnlySpan<byte> body) => Convert.ToBase64String(SHA256.HashData(body));

    public static string FormatDate(DateTimeOffset time) => time.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    public static string StringToSign(string method, string pathAndQuery, string date, string host, string contentHash) =>
        $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date};{host};{contentHash}";

    public static string Signature(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The value after the scheme: <c>SignedHeaders=…&amp;Signature=…</c>.</summary>
    public static string AuthorizationParameter(string signature) => $"SignedHeaders={SignedHeaders}&Signature={signature}";

    /// <summary>The whole Authorization header value.</summary>
    public static string Authorization(byte[] key, string method, Uri uri, string date, string contentHash) =>
        "HMAC-SHA256 " + AuthorizationParameter(Signature(key, StringToSign(method, uri.PathAndQuery, date, uri.Authority, contentHash)));
}

/// <summary>Signs every request with the ACS access key; the one place signing lives. Dates come from <see cref="TimeProvider"/>.</summary>
public sealed class AcsHmacSigningHandler : DelegatingHandler
{
    private readonly byte[] key;
    private readonly TimeProvider time;

    public AcsHmacSigningHandler(string accessKey, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKey);
        key = Convert.FromBase64String(accessKey);
        this.time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public AcsHmacSigningHandler(string accessKey, TimeProvider time, HttpMessageHandler innerHandler)
        : this(accessKey, time) => InnerHandler = innerHandler;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");

        // ReadAsByteArrayAsync buffers the content, so it can still be sent after hashing.
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var contentHash = AcsHmacSigner.ContentHash(body);
        var date = AcsHmacSigner.FormatDate(time.GetUtcNow());
        var signature = AcsHmacSigner.Signature(key, AcsHmacSigner.StringToSign(request.Method.Method, uri.PathAndQuery, date, uri.Authority, contentHash));

        request.Headers.Remove("x-ms-date");
        request.Headers.Remove("x-ms-content-sha256");
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-content-sha256", contentHash);
        request.Headers.Authorization = new AuthenticationHeaderValue("HMAC-SHA256", AcsHmacSigner.AuthorizationParameter(signature));

        return await base.SendAsync(request, cancellationToken);
    }
}
