using System.Text;
using System.Text.Json;

namespace PushGov.Functions.Tests.Api;

/// <summary>
/// Hostile and malformed requests, generated from a fixed seed: bad JSON, huge bodies, path traversal in ids, header
/// injection, wrong methods, unicode and NUL in ids, very long URLs, wrong content types and query values. Whatever
/// comes in, the API answers without a 5xx, and every error is application/problem+json.
/// </summary>
[Collection("Api")]
public sealed class FuzzTests(ApiFixture fx)
{
    private const int Seed = 20261122;
    private const int Requests = 1200;

    private static readonly string[] HostileIds =
    [
        "..", "../..", "..%2F..%2Fapikeys", "%2e%2e%2f%2e%2e", "a/../../b", "..\\..\\windows", "%00", "a%00b", "%0d%0aSet-Cookie:%20x=1",
        "%E2%80%AE", "%F0%9F%98%80", "宛名番号", "%C0%AE%C0%AE", "%FF%FE", "'%20or%20''='", "PartitionKey%20eq%20'x'", "*", "%2A",
        "a|b", "r:1|contact|Sms|portal", "-", "_", ".", "~", "%20", "x%09y", new string('9', 300), "%u0000", "%", "%%", "%zz",
    ];

    /// <summary>
    /// Answers the web server gives before any function runs (in Azure the Functions host's, locally Kestrel's), with no
    /// body: 400 for a malformed request line or header, 414 for a request line and 431 for headers larger than it takes.
    /// No app sees those requests, so their answers are not the app's to shape.
    /// </summary>
    private static readonly int[] ServerAnswers = [400, 414, 431];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "BREW"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "text/csv", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/problem+json", "garbage/\u00e9", "",
    ];

    [Fact]
    public async Task A_thousand_hostile_requests_get_no_5xx_and_every_error_is_problem_json()
    {
        var tenant = await fx.NewTenantAsync();
        var scenario = await Scenario.BirthAsync(fx, tenant.Code, serial: 777);
        var random = new Random(Seed);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            using var request = Generate(random, tenant, scenario);
            var described = $"#{i} {request.Method} {Short(request.RequestUri!.OriginalString)}";
            using var client = fx.Client(null);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (HttpRequestException e) when (e.Message.Contains("must contain only ASCII", StringComparison.Ordinal))
            {
                // .NET's HttpClient will not send a header with non-ASCII characters: the request never left.
                continue;
            }
            catch (Exception e)
            {
                failures.Add($"{described}: the server threw {e.GetType().Name}: {Short(e.Message)}");
                continue;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    failures.Add($"{described}: {status} {Short(body)}");
                }
                else if (status >= 400 && request.Method != HttpMethod.Head && !(ServerAnswers.Contains(status) && body.Length == 0 && response.Content.Headers.ContentType is null))
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{described}: {status} as {response.Content.Headers.ContentType?.MediaType ?? "(no type)"}: {Short(body)}");
                    }
                    else
                    {
                        using var doc = JsonDocument.Parse(body);
                        if (!doc.RootElement.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString()) || !doc.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status)
                        {
                            failures.Add($"{described}: problem without title or status: {Short(body)}");
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} bad answers:\n" + string.Join("\n", failures.Take(40)));

        // The run must have reached the handlers, not only bounced off authentication.
        Assert.True(statuses.GetValueOrDefault(400) + statuses.GetValueOrDefault(413) + statuses.GetValueOrDefault(415) > 100, string.Join(", ", statuses.Select(kv => $"{kv.Key}×{kv.Value}")));
        Assert.True(statuses.GetValueOrDefault(404) > 50);
        Assert.True(statuses.GetValueOrDefault(405) > 10);
        Assert.True(statuses.GetValueOrDefault(413) > 5);
    }

    private static HttpRequestMessage Generate(Random r, TestTenant t, Scenario s)
    {
        var kind = r.Next(10);
        // TestServer refuses a NUL in the path before the app sees it (Kestrel answers 400 itself): SOH stands in for it there.
        var id = HostileIds[r.Next(HostileIds.Length)].Replace("%00", "%01", StringComparison.Ordinal);
        var key = r.Next(10) switch
        {
            0 => null,
            1 => t.PortalKey,
            2 => "pg_" + id,
            _ => t.StaffKey,
        };
        HttpRequestMessage request;
        switch (kind)
        {
            case 0: // hostile ids in every id position
                {
                    var paths = new[]
                    {
                    $"cases/{id}", $"cases/{id}/events/applied", $"cases/{id}/notes", $"cases/{id}/resend", $"residents/{id}/preferences",
                    $"drops/{id}", $"drops/residents/{id}/report", $"drops/{id}/{id}/report", $"cases/{s.CaseId}/events/{id}",
                };
                    var path = paths[r.Next(paths.Length)];
                    var method = path.EndsWith("preferences", StringComparison.Ordinal) ? (r.Next(2) == 0 ? "GET" : "PUT") : path.StartsWith("drops/", StringComparison.Ordinal) && !path.EndsWith("report", StringComparison.Ordinal) ? "POST" : path.Contains('/') && !path.StartsWith("cases/" + id + "/", StringComparison.Ordinal) ? "GET" : "POST";
                    request = new HttpRequestMessage(new HttpMethod(method), Url(t.Code, path));
                    if (method is "POST" or "PUT")
                    {
                        request.Content = new StringContent(ValidishJson(r, s), Encoding.UTF8, path.StartsWith("drops/", StringComparison.Ordinal) ? "text/csv" : "application/json");
                    }

                    break;
                }

            case 1: // malformed JSON on JSON routes
            case 2:
                {
                    request = new HttpRequestMessage(r.Next(2) == 0 ? HttpMethod.Put : HttpMethod.Post, JsonRoute(r, t, s));
                    if (request.Method == HttpMethod.Put)
                    {
                        request.RequestUri = new Uri(Url(t.Code, $"residents/{s.WifeId}/preferences"), UriKind.Relative);
                    }

                    request.Content = new ByteArrayContent(BadJson(r, s));
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
                    break;
                }

            case 3: // huge bodies
                {
                    var size = r.Next(4) switch { 0 => 64 * 1024 + 1, 1 => 200 * 1024, 2 => 1024 * 1024, _ => 3 * 1024 * 1024 };
                    request = new HttpRequestMessage(HttpMethod.Post, JsonRoute(r, t, s))
                    {
                        Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"text\":\"" + new string('a', size) + "\"}")),
                    };
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
                    if (r.Next(2) == 0)
                    {
                        // Hide the length: the server must count while reading.
                        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("1", size / 2)) + "]")));
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
                        request.Headers.TransferEncodingChunked = true;
                    }

                    break;
                }

            case 4: // header injection
                {
                    request = new HttpRequestMessage(HttpMethod.Get, Url(t.Code, r.Next(2) == 0 ? "cases" : $"cases/{s.CaseId}"));
                    var evil = r.Next(5) switch
                    {
                        0 => "x\r\nSet-Cookie: pwned=1",
                        1 => "\0\0\0",
                        2 => new string('A', 16 * 1024),
                        3 => "Bearer " + t.StaffKey + "\r\nX-Admin: true",
                        _ => "Ｂｅａｒｅｒ " + t.StaffKey,
                    };
                    request.Headers.TryAddWithoutValidation(r.Next(2) == 0 ? "Authorization" : "x-api-key", evil);
                    request.Headers.TryAddWithoutValidation("X-Forwarded-For", evil);
                    request.Headers.TryAddWithoutValidation("Accept", r.Next(2) == 0 ? "text/html" : evil);
                    key = null;
                    break;
                }

            case 5: // wrong methods on real routes
                {
                    var paths = new[] { "cases", $"cases/{s.CaseId}", $"cases/{s.CaseId}/notes", $"cases/{s.CaseId}/resend", $"residents/{s.WifeId}/preferences", "audit", "escalations", "notifications", "drops/residents", $"cases/{s.CaseId}/events/applied" };
                    request = new HttpRequestMessage(new HttpMethod(Methods[r.Next(Methods.Length)]), Url(t.Code, paths[r.Next(paths.Length)]));
                    break;
                }

            case 6: // very long URLs and unknown routes
                {
                    var length = r.Next(3) switch { 0 => 2_000, 1 => 8_000, _ => 30_000 };
                    var junk = new string((char)('a' + r.Next(26)), length);
                    var paths = new[] { $"/api/tenants/{t.Code}/cases/{junk}", $"/api/tenants/{t.Code}/cases?state={junk}", $"/api/{junk}", $"/api/tenants/{junk}/cases", $"/api/tenants/{t.Code}/{junk}/x/y/z", "/api/nothing/here", "/api/tenants", "/api/tenants/", "/api/tenants/" + t.Code };
                    request = new HttpRequestMessage(HttpMethod.Get, paths[r.Next(paths.Length)]);
                    break;
                }

            case 7: // wrong content types
                {
                    request = new HttpRequestMessage(HttpMethod.Post, r.Next(3) == 0 ? Url(t.Code, "drops/residents?name=ok.csv") : JsonRoute(r, t, s))
                    {
                        Content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidishJson(r, s))),
                    };
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentTypes[r.Next(ContentTypes.Length)]);
                    break;
                }

            case 8: // hostile query values
                {
                    var queries = new[]
                    {
                    $"cases?state={id}", "cases?pageSize=-5", "cases?pageSize=99999999999", "cases?from=not-a-date", "cases?to=2026-13-45", $"cases?continuationToken={id}",
                    "cases?continuationToken=" + new string('z', 3000), $"cases?service={id}", "audit?from=garbage", "audit?from=2030-01-01&to=2020-01-01", "audit?pageSize=0",
                    $"audit?continuationToken={id}", "audit?continuationToken=MjAyNjExfGp1bms", "notifications?max=-1", "notifications?max=abc", "notifications?reveal=maybe", "escalations?x=%00",
                };
                    request = new HttpRequestMessage(HttpMethod.Get, Url(t.Code, queries[r.Next(queries.Length)]));
                    key = r.Next(3) == 0 ? t.AdminKey : key;
                    break;
                }

            default: // unicode and NUL in ids, in the tenant position too
                {
                    var tenant = r.Next(3) == 0 ? id : t.Code;
                    request = new HttpRequestMessage(r.Next(2) == 0 ? HttpMethod.Get : HttpMethod.Put, $"/api/tenants/{tenant}/residents/{id}%01{id}/preferences?x=%00");
                    if (request.Method == HttpMethod.Put)
                    {
                        request.Content = new StringContent("{\"language\":\"ja\u0000\",\"channels\":[{\"channel\":\"sms\u0000\",\"address\":\"090\u0000\",\"consent\":true}]}", Encoding.UTF8, "application/json");
                    }

                    break;
                }
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        return request;
    }

    private static string Url(string tenant, string path) => $"/api/tenants/{tenant}/{path}";

    private static string JsonRoute(Random r, TestTenant t, Scenario s) => r.Next(4) switch
    {
        0 => Url(t.Code, $"cases/{s.CaseId}/notes"),
        1 => Url(t.Code, $"cases/{s.CaseId}/resend"),
        2 => Url(t.Code, $"cases/{s.CaseId}/events/applied"),
        _ => Url(t.Code, $"residents/{s.WifeId}/preferences"),
    };

    private static string ValidishJson(Random r, Scenario s) => r.Next(6) switch
    {
        0 => "{\"text\":\"電話がつながらず窓口へ案内\"}",
        1 => $"{{\"residentId\":\"{s.WifeId}\",\"channel\":\"fax\"}}",
        2 => "{\"channels\":[{\"channel\":\"sms\",\"address\":\"12345\",\"consent\":true},{\"channel\":\"email\",\"address\":\"not-an-email\",\"consent\":true}],\"language\":\"??\"}",
        3 => "{\"channels\":[{\"channel\":\"sms,email\",\"consent\":true},{\"channel\":\"3\",\"consent\":false},null]}",
        4 => "{\"outcome\":\"Nope\",\"note\":\"" + new string('x', 100) + "\"}",
        _ => "resident_id,household_id\n1,2\n",
    };

    private static byte[] BadJson(Random r, Scenario s)
    {
        switch (r.Next(12))
        {
            case 0: return [];
            case 1: return Encoding.UTF8.GetBytes("{");
            case 2: return Encoding.UTF8.GetBytes("null");
            case 3: return Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000));
            case 4: return Encoding.UTF8.GetBytes("{\"channels\":\"sms\",\"text\":5,\"residentId\":[1],\"channel\":{}}");
            case 5: return [0xFF, 0xFE, 0x7B, 0x00, 0x22, 0xC3, 0x28, 0x22, 0x7D];
            case 6: return Encoding.UTF8.GetBytes("{\"text\":\"a\"}{\"text\":\"b\"}");
            case 7: return Encoding.UTF8.GetBytes("{\"language\":\"" + new string('é', 60_000) + "\"}");
            case 8: return Encoding.UTF8.GetBytes("{\"taxDataConsent\":\"yes\",\"channels\":[{\"consent\":1}]}");
            case 9: return Encoding.UTF8.GetBytes("{\"residentId\":\"" + s.WifeId + "\u0000\",\"channel\":\"sms\"}");
            case 10:
                {
                    var bytes = new byte[r.Next(1, 2000)];
                    r.NextBytes(bytes);
                    return bytes;
                }

            default: return Encoding.UTF8.GetBytes("{\"text\":\"\\ud800\",\"channels\":[],\"language\":\"\\u0000\"}");
        }
    }

    private static string Short(string s) => s.Length > 200 ? s[..200] + "…" : s;
}
