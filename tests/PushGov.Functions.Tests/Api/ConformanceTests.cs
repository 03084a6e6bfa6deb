using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

/// <summary>
/// Property-based conformance to <c>/api/openapi.json</c>: for every operation in the document, requests generated from
/// the document (seeded; valid and invalid parameters and bodies, every kind of credential, over seeded data) and every
/// answer checked against the document: no 5xx; a documented status; the documented media type; a body that validates
/// against the documented schema (problem+json for every error); 401/403/404 as the security rules say; invalid input
/// never accepted. The document and the code cannot drift without this failing.
/// </summary>
[Collection("Api")]
public sealed class ConformanceTests(ApiFixture fx)
{
    private const int Seed = 182026;
    private const int RequestsPerOperation = 40;
    private const int MaxRequestsPerOperation = 400;

    /// <summary>Operations random requests cannot get through (a signature or a secret the generator does not make).</summary>
    private static readonly HashSet<string> NeverSucceeds = ["postEventGridEvents", "postDomesticSmsCallback", "postLineWebhook", "postUnsubscribe"];

    /// <summary>
    /// Operations whose 400 can also come from rules across fields the schema cannot say (a non-recipient; the audit window;
    /// a day range from after to; a preferred channel the resident has not consented to; revoking links of a resident the case does not name).
    /// </summary>
    private static readonly HashSet<string> BusinessRuleBadRequests = ["resendCaseMessage", "listAudit", "getDashboard", "getTakeUp", "listDrops", "putPreferences", "revokeResidentLinks"];

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private static readonly string[] InvalidStrings = ["..", "a b", "-x", "x|y", "宛名", "", new string('9', 300), "x\ty"];

    private JsonNode _doc = null!;
    private World _world = null!;
    private string _operation = string.Empty;
    private readonly Dictionary<string, JsonSchema> _schemas = [];

    private sealed record World(TestTenant A, TestTenant B, Scenario S, string DropName, Scenario Answered);

    private enum Credential
    {
        None,
        Garbage,
        Portal,
        Staff,
        Admin,
        Test,
        OtherTenant,
    }

    [Fact]
    public async Task Every_operation_answers_generated_requests_as_the_document_says()
    {
        using (var served = await fx.Client(null).GetAsync("/api/openapi.json"))
        {
            _doc = JsonNode.Parse(await served.Content.ReadAsStringAsync())!;
        }

        var a = await fx.NewTenantAsync();
        var b = await fx.NewTenantAsync();
        var s = await Scenario.BirthAsync(fx, a.Code, serial: 1818);
        const string DropName = "conformance-1.csv";
        var dropPath = $"{a.Code}/contacts/{DropName}";
        await fx.Storage.Container(StorageNames.Containers.Drops).GetBlobClient(dropPath).UploadAsync(new BinaryData("resident_id,channel,address,language,consent,consented_at\n"u8.ToArray()), overwrite: true);
        await fx.Service<DropIngestor>().IngestAsync(dropPath, CancellationToken.None);
        _world = new World(a, b, s, DropName, s);

        var random = new Random(Seed);
        var failures = new List<string>();
        var seen = new Dictionary<string, SortedSet<int>>();
        // Events (a close ends the case) and preference changes (a withdrawal cancels messages) last: the others need the case open.
        var operations = _doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => (Path: p.Key, Method: m.Key.ToUpperInvariant(), Op: m.Value!)))
            .OrderBy(o => o.Op["operationId"]!.GetValue<string>() switch { "raiseCaseEvent" or "putPreferences" => 1, "answerResidentCase" => 2, "confirmResidentApplication" => 3, _ => 0 }).ToList();
        foreach (var (path, method, op) in operations)
        {
            var id = op["operationId"]!.GetValue<string>();
            _operation = id;
            if (id == "answerResidentCase")
            {
                // A resident's answer closes the case, which raiseCaseEvent may have closed already: it gets a birth of its own (last, as its snapshot replaces the first household's).
                _world = _world with { Answered = await Scenario.BirthAsync(fx, a.Code, serial: 1819) };
            }

            if (id == "confirmResidentApplication")
            {
                // A confirmation closes the case too: a birth of its own, whose head is the recipient of 児童手当.
                _world = _world with { Answered = await Scenario.BirthAsync(fx, a.Code, serial: 1820) };
            }

            seen[id] = [];

            // An operation only one role may call (the residents' portal's) succeeds in few random requests: draw more,
            // up to a bound, until one got through, so the check below does not hang on the luck of the sequence.
            for (var i = 0; i < RequestsPerOperation || (i < MaxRequestsPerOperation && !NeverSucceeds.Contains(id) && !seen[id].Any(x => x is >= 200 and < 300)); i++)
            {
                var (request, expect) = Generate(random, path, method, op);
                var described = $"{id} #{i} {request.Method} {Short(request.RequestUri!.OriginalString)} [{expect}]";
                using (request)
                using (var response = await fx.Client(null).SendAsync(request))
                {
                    var status = (int)response.StatusCode;
                    seen[id].Add(status);
                    var body = await response.Content.ReadAsStringAsync();
                    foreach (var failure in Check(op, id, expect, response, body))
                    {
                        failures.Add($"{described} → {status}: {failure} {Short(body)}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} answers disagree with the document:\n" + string.Join("\n", failures.Take(40)));

        // The run reached the handlers: every tenant operation answered something beyond authentication.
        foreach (var (id, statuses) in seen)
        {
            Assert.True(statuses.Any(x => x is >= 200 and < 300) || NeverSucceeds.Contains(id), $"{id} never succeeded: {string.Join(",", statuses)}");
        }
    }

    /// <summary>What the request should get, from how it was made.</summary>
    private sealed record Expectation(Credential Credential, bool Invalid, bool WrongMediaType)
    {
        public override string ToString() => $"{Credential}{(Invalid ? " invalid" : string.Empty)}{(WrongMediaType ? " wrong-type" : string.Empty)}";
    }

    private IEnumerable<string> Check(JsonNode op, string id, Expectation expect, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            yield return "a 5xx";
            yield break;
        }

        var documented = op["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (documented is null)
        {
            yield return "status not documented";
            yield break;
        }

        var tenantRoute = op["x-pushgov-permission"] is not null;
        var permitted = tenantRoute && expect.Credential is Credential.Portal or Credential.Staff or Credential.Admin or Credential.Test
            && op["x-pushgov-roles"]!.AsArray().Any(r => r!.GetValue<string>() == (expect.Credential == Credential.Portal ? "ResidentPortal" : expect.Credential.ToString()));
        if (tenantRoute)
        {
            var wanted = expect.Credential switch
            {
                Credential.None or Credential.Garbage => 401,
                Credential.OtherTenant => 404,
                _ when !permitted => 403,
                _ => 0,
            };
            if (wanted != 0 && status != wanted)
            {
                yield return $"expected {wanted} for this credential";
            }
        }

        if ((expect.Invalid || expect.WrongMediaType) && status is >= 200 and < 300)
        {
            yield return "invalid input was accepted";
        }

        if (expect.WrongMediaType && !expect.Invalid && (!tenantRoute || permitted) && op["responses"]!["415"] is not null && status is not (415 or 404 or 403))
        {
            yield return "a wrong Content-Type is not 415";
        }

        if (!expect.Invalid && !expect.WrongMediaType && (!tenantRoute || permitted) && (status is 413 or 415 || (status == 400 && !BusinessRuleBadRequests.Contains(id))))
        {
            yield return "valid input was refused";
        }

        if (documented["content"] is not JsonObject content)
        {
            if (body.Length > 0 && status != 200)
            {
                yield return "a body where the document says none";
            }

            yield break;
        }

        var type = response.Content.Headers.ContentType?.MediaType;
        if (type is null || content[type] is not JsonObject media)
        {
            yield return $"media type {type ?? "(none)"} is not the documented {string.Join(", ", content.Select(c => c.Key))}";
            yield break;
        }

        if (type is "text/html")
        {
            if (!body.Contains("<html", StringComparison.Ordinal))
            {
                yield return "not an HTML page";
            }

            yield break;
        }

        JsonElement instance;
        string? parseError = null;
        try
        {
            instance = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException e)
        {
            instance = default;
            parseError = e.Message;
        }

        if (parseError is not null)
        {
            yield return "not JSON: " + parseError;
            yield break;
        }

        var result = Schema(media["schema"]!).Evaluate(instance, Evaluation);
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
            yield return "body does not match the schema: " + string.Join("; ", errors.Take(5));
        }

        if (type == "application/problem+json" && (!instance.TryGetProperty("status", out var s) || s.GetInt32() != status))
        {
            yield return "problem status differs from the HTTP status";
        }
    }

    // ---- generation -----------------------------------------------------------------------------------------------

    private (HttpRequestMessage Request, Expectation Expect) Generate(Random r, string template, string method, JsonNode op)
    {
        var w = _world;
        var tenantRoute = op["x-pushgov-permission"] is not null;
        var credential = tenantRoute ? (Credential)Pick(r, [0, 1, 2, 3, 3, 3, 4, 4, 5, 6]) : r.Next(4) == 0 ? Credential.Garbage : Credential.None;
        var invalid = new HashSet<string>(StringComparer.Ordinal);
        var path = template;
        var query = new List<string>();
        foreach (var p in (op["parameters"]?.AsArray() ?? []).Select(p => p!))
        {
            var name = p["name"]!.GetValue<string>();
            var schema = p["schema"]!;
            var bad = r.Next(8) == 0;
            if (p["in"]!.GetValue<string>() == "path")
            {
                // The route is always tenant A's (another tenant's key on it must get 404); an invalid id still routes (no '', '..' or '/').
                var value = name == "tenant" ? w.A.Code : bad ? InvalidPathValue(r, schema) : ValidString(r, name, schema, null);
                if (bad && name != "tenant")
                {
                    invalid.Add(name);
                }

                path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
                continue;
            }

            if (r.Next(3) != 0)
            {
                continue;
            }

            if (name == "continuationToken")
            {
                // The document cannot give a token; any made-up one must be refused.
                query.Add($"{name}={Uri.EscapeDataString(r.Next(2) == 0 ? "garbage" : Convert.ToBase64String(Guid.NewGuid().ToByteArray()))}");
                invalid.Add(name);
                continue;
            }

            if (name == "reveal" && !bad && credential != Credential.Admin)
            {
                query.Add("reveal=false");
                continue;
            }

            var text = bad ? InvalidFor(r, schema) : ValidScalar(r, name, schema);
            if (bad)
            {
                invalid.Add(name);
            }

            query.Add($"{name}={Uri.EscapeDataString(text)}");
        }

        if (op["operationId"]!.GetValue<string>() == "listAudit" && query.Any(q => q.StartsWith("from=", StringComparison.Ordinal) || q.StartsWith("to=", StringComparison.Ordinal)))
        {
            // The window is a rule across both (from before to, at most 400 days): give both, valid, or count it as invalid.
            query.RemoveAll(q => q.StartsWith("from=", StringComparison.Ordinal) || q.StartsWith("to=", StringComparison.Ordinal));
            invalid.Remove("from");
            invalid.Remove("to");
            query.Add("from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-r.Next(1, 300)).ToString("O")));
            query.Add("to=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O")));
        }

        var request = new HttpRequestMessage(new HttpMethod(method), path + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty));
        var wrongType = false;
        if (op["requestBody"] is JsonObject requestBody)
        {
            var (content, bodyInvalid, wrong) = Body(r, requestBody, op["operationId"]!.GetValue<string>());
            request.Content = content;
            if (bodyInvalid)
            {
                invalid.Add("body");
            }

            wrongType = wrong;
        }

        var key = credential switch
        {
            Credential.Garbage => "pg_" + w.A.Code + "_nope_" + new string('x', 43),
            Credential.Portal => w.A.PortalKey,
            Credential.Staff => w.A.StaffKey,
            Credential.Admin => w.A.AdminKey,
            Credential.Test => w.A.TestKey,
            Credential.OtherTenant => w.B.StaffKey,
            _ => null,
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return (request, new Expectation(credential, invalid.Count > 0, wrongType));
    }

    private (HttpContent Content, bool Invalid, bool WrongType) Body(Random r, JsonObject requestBody, string operation)
    {
        var types = requestBody["content"]!.AsObject().Select(c => c.Key).ToList();
        var mediaType = types[r.Next(types.Count)];
        var schema = requestBody["content"]![mediaType]!["schema"]!;
        if (r.Next(8) == 0)
        {
            var wrong = new StringContent("x=1", Encoding.UTF8, "text/plain");
            return (wrong, false, true);
        }

        if (mediaType is "text/csv" or "application/octet-stream")
        {
            var csv = new ByteArrayContent("resident_id,channel,address,language,consent,consented_at\n"u8.ToArray());
            csv.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return (csv, false, false);
        }

        var bad = r.Next(4) == 0;
        JsonNode? value = Valid(r, Resolve(schema), null, null);
        if (operation == "raiseCaseEvent" && value is JsonObject e && r.Next(2) == 0)
        {
            e.Remove("outcome");
        }

        if (mediaType is "application/x-www-form-urlencoded" or "multipart/form-data")
        {
            var field = bad ? "Maybe" : "One-Click";
            HttpContent form = mediaType == "multipart/form-data"
                ? new MultipartFormDataContent { { new StringContent(field), "List-Unsubscribe" } }
                : new FormUrlEncodedContent([new("List-Unsubscribe", field)]);
            return (form, bad, false);
        }

        string text;
        if (bad)
        {
            text = Invalidate(r, Resolve(schema), value);
        }
        else
        {
            text = value!.ToJsonString();
        }

        return (new StringContent(text, Encoding.UTF8, mediaType), bad, false);
    }

    /// <summary>A body that breaks the schema one way: malformed, wrong type, a missing required field, a value out of its enum or length.</summary>
    private string Invalidate(Random r, JsonNode schema, JsonNode? valid)
    {
        var obj = valid as JsonObject;
        var required = schema["required"]?.AsArray().Select(x => x!.GetValue<string>()).ToList() ?? [];
        var properties = schema["properties"]?.AsObject();
        switch (r.Next(5))
        {
            case 0:
                return "{\"unterminated\": ";
            case 1:
                return "[]";
            case 2 when obj is not null && required.Count > 0:
                obj.Remove(required[r.Next(required.Count)]);
                return obj.ToJsonString();
            case 3 when obj is not null && properties is not null:
                {
                    var name = properties.Select(p => p.Key).ElementAt(r.Next(properties.Count));
                    var p = Resolve(properties[name]!);
                    if (p is not JsonObject)
                    {
                        return "[1, 2";
                    }

                    obj[name] = p["enum"] is not null ? "NotOneOfThem" : Types(p).Contains("string") ? JsonValue.Create(12345) : JsonValue.Create("not-a-" + Types(p).FirstOrDefault());
                    return obj.ToJsonString();
                }

            default:
                if (obj is not null && properties is not null && properties.FirstOrDefault(p => p.Value!["maxLength"] is not null) is { Key: { } longName } withMax && withMax.Value is not null)
                {
                    obj[longName] = new string('x', withMax.Value["maxLength"]!.GetValue<int>() + 1);
                    return obj.ToJsonString();
                }

                return "\"just a string\"";
        }
    }

    private JsonNode? Valid(Random r, JsonNode schema, string? name, JsonObject? parent)
    {
        schema = Resolve(schema);
        if (schema is not JsonObject)
        {
            return "any"; // the schema 'true': anything
        }

        if (schema["enum"] is JsonArray values)
        {
            var options = values.Where(v => v is not null).ToList();
            return options[r.Next(options.Count)]!.DeepClone();
        }

        var types = Types(schema).Where(t => t != "null").ToList();
        switch (types.FirstOrDefault())
        {
            case "object":
                {
                    var obj = new JsonObject();
                    var properties = schema["properties"]?.AsObject() ?? [];
                    var required = schema["required"]?.AsArray().Select(x => x!.GetValue<string>()).ToHashSet() ?? [];
                    if (schema["anyOf"] is JsonArray anyOf)
                    {
                        required.UnionWith(anyOf[r.Next(anyOf.Count)]!["required"]!.AsArray().Select(x => x!.GetValue<string>()));
                    }

                    // Fill "channel" before "address": an address depends on its channel.
                    foreach (var (prop, propSchema) in properties.OrderBy(p => p.Key == "address" ? 1 : 0))
                    {
                        if (required.Contains(prop) || r.Next(2) == 0)
                        {
                            obj[prop] = Valid(r, propSchema!, prop, obj);
                        }
                    }

                    if (schema["if"] is not null && obj["consent"]?.GetValue<bool>() == true && obj["address"] is null)
                    {
                        obj["address"] = Valid(r, properties["address"]!, "address", obj);
                    }

                    return obj;
                }

            case "array":
                {
                    var min = schema["minItems"]?.GetValue<int>() ?? 0;
                    var max = Math.Min(schema["maxItems"]?.GetValue<int>() ?? 3, 3);
                    var array = new JsonArray();
                    var count = r.Next(Math.Max(min, name == "channels" ? 1 : 0), max + 1);
                    var channels = new[] { "sms", "email", "post" }.OrderBy(_ => r.Next()).ToList();
                    for (var i = 0; i < count; i++)
                    {
                        var item = Valid(r, schema["items"]!, null, null);
                        if (name == "channels" && item is JsonObject c)
                        {
                            c["channel"] = channels[i];
                            if (c["address"] is not null)
                            {
                                c["address"] = Address(r, channels[i]);
                            }
                        }

                        array.Add(item);
                    }

                    return array;
                }

            case "boolean":
                return r.Next(2) == 0;
            case "integer":
                return r.Next((int)(schema["minimum"]?.GetValue<long>() ?? 0), (int)Math.Min(schema["maximum"]?.GetValue<long>() ?? 1000, 1000) + 1);
            default:
                return name == "address" ? Address(r, parent?["channel"]?.GetValue<string>() ?? "post") : ValidString(r, name ?? "value", schema, parent);
        }
    }

    private static string Address(Random r, string channel) => channel switch
    {
        "sms" => $"090-8765-{r.Next(1000, 9999)}",
        "email" => $"resident{r.Next(1000)}@example.jp",
        _ => "福岡市博多区博多駅前1-2-" + r.Next(1, 99),
    };

    private string ValidScalar(Random r, string name, JsonNode schema) =>
        Valid(r, schema, name, null) is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString().Trim('"')) : string.Empty;

    private string ValidString(Random r, string name, JsonNode schema, JsonObject? parent)
    {
        var w = _world;
        if (schema["enum"] is JsonArray values)
        {
            return values[r.Next(values.Count)]!.GetValue<string>();
        }

        var pattern = schema["pattern"]?.GetValue<string>();
        if (pattern == Contract.ApiPatterns.DropName)
        {
            return name == "name" && r.Next(2) == 0 ? w.DropName : $"upload-{Guid.NewGuid():N}.csv";
        }

        if (pattern == Contract.ApiPatterns.Id)
        {
            string[] ids = name switch
            {
                "caseId" => [CaseOf(w).CaseId, CaseOf(w).CaseId, "no-such-case"],
                "residentId" => [w.S.HeadId, w.S.WifeId, w.S.ChildId, "999999999"],
                "service" => ["jidou-teate", "jidou-teate", "kodomo-iryouhi"],
                _ => [$"m-{r.Next(1000)}"],
            };
            return ids[r.Next(ids.Length)];
        }

        switch (schema["format"]?.GetValue<string>())
        {
            case "date":
                return DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-r.Next(0, 400)).ToString("yyyy-MM-dd");
            case "date-time":
                return DateTimeOffset.UtcNow.AddDays(-r.Next(0, 400)).ToString("O");
        }

        return name switch
        {
            "language" => new[] { "ja", "en", "zh-Hans", "pt-BR", "ja-x-easy" }[r.Next(5)],
            "service" => "shussan-ikuji-ichijikin",
            "link" => r.Next(3) == 0 ? "not-a-link" : new Domain.Residents.ResidentLinkSigner(TestAppSettings.LinkKey).Sign(w.A.Code, CaseOf(w).CaseId, CaseOf(w).HeadId, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60)),
            _ => "テキスト " + r.Next(1000),
        };
    }

    private Scenario CaseOf(World w) => _operation is "answerResidentCase" or "confirmResidentApplication" ? w.Answered : w.S;

    /// <summary>A value the schema refuses: out of its enum, pattern, bounds or type.</summary>
    private static string InvalidFor(Random r, JsonNode schema) => Types(schema).FirstOrDefault() switch
    {
        "integer" => new[] { "abc", "1.5", (schema["minimum"]?.GetValue<long>() - 1 ?? -1).ToString(), (schema["maximum"]?.GetValue<long>() + 1 ?? long.MaxValue).ToString(), "" }[r.Next(5)],
        "boolean" => new[] { "maybe", "1", "TRUE", "" }[r.Next(4)],
        _ when schema["format"]?.GetValue<string>() is "date" or "date-time" => new[] { "not-a-date", "2026-13-45", "yesterday" }[r.Next(3)],
        _ when schema["enum"] is not null => new[] { "NotOneOfThem", "1", "999", "" }[r.Next(4)],
        _ => InvalidStrings[r.Next(InvalidStrings.Length)],
    };

    private static string InvalidPathValue(Random r, JsonNode schema)
    {
        var value = InvalidFor(r, schema);
        return value is "" or ".." ? "x|y" : value;
    }

    private static List<string> Types(JsonNode schema) => schema is not JsonObject ? [] : schema["type"] switch
    {
        JsonArray a => [.. a.Select(t => t!.GetValue<string>())],
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };

    // ---- schemas --------------------------------------------------------------------------------------------------

    /// <summary>A schema with every <c>$ref</c> to a component replaced by the component.</summary>
    private JsonNode Resolve(JsonNode schema)
    {
        if (schema is JsonObject o && o["$ref"] is JsonValue reference)
        {
            // A JSON pointer into the document (components, or a place in one the exporter met the type before).
            var target = _doc;
            foreach (var segment in reference.GetValue<string>().TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                target = target is JsonArray a ? a[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)]! : target[key] ?? throw new InvalidOperationException($"The document's {reference} leads nowhere.");
            }

            return Resolve(target);
        }

        return schema;
    }

    private JsonNode Inline(JsonNode node) => node switch
    {
        JsonObject o when o["$ref"] is not null => Inline(Resolve(o).DeepClone()),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : (JsonNode?)Inline(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(x => x is null ? null : (JsonNode?)Inline(x))]),
        _ => node.DeepClone(),
    };

    private JsonSchema Schema(JsonNode schema)
    {
        var text = Inline(schema).ToJsonString();
        if (!_schemas.TryGetValue(text, out var built))
        {
            built = JsonSchema.FromText(text, baseUri: new Uri($"https://pushgov.test/schemas/{_schemas.Count}"));
            _schemas[text] = built;
        }

        return built;
    }

    private static int Pick(Random r, int[] weights) => weights[r.Next(weights.Length)];

    private static string Short(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
