using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PushGov.Functions.Api;
using PushGov.Functions.Contract;

namespace PushGov.Functions.Tests.Api;

/// <summary>The contract (<see cref="ApiContract"/>) against the app: the same operations, and a document that says what the API does.</summary>
[Collection("Api")]
public sealed class ContractTests(ApiFixture fx)
{
    /// <summary>The routes the host serves under /api, as (method, route). Today the endpoint data source; on the functions platform, functions.metadata.</summary>
    /// <summary>The HTTP functions the built app has (functions.metadata, as the Functions host reads it): method and route under /api.</summary>
    private static IReadOnlyList<(string Method, string Route)> ServedRoutes() =>
        [.. BuiltMetadata.HttpFunctions().Where(f => f.Name != UnmatchedFunctions.Name).SelectMany(f => f.Methods.Select(m => (m, "/api/" + f.Route)))];

    /// <summary>Compares two plain lists of (method, route): the described operations and the served routes.</summary>
    public static (List<string> NotServed, List<string> NotDescribed) Compare(IEnumerable<(string Method, string Route)> described, IEnumerable<(string Method, string Route)> served)
    {
        static string Key((string Method, string Route) r) => $"{r.Method.ToUpperInvariant()} {r.Route.TrimEnd('/')}";
        var d = described.Select(Key).ToHashSet(StringComparer.Ordinal);
        var s = served.Select(Key).ToHashSet(StringComparer.Ordinal);
        return ([.. d.Except(s).Order(StringComparer.Ordinal)], [.. s.Except(d).Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public void The_described_operations_are_exactly_the_routes_that_exist()
    {
        var (notServed, notDescribed) = Compare(ApiContract.All.Select(o => (o.Method, o.Route)), ServedRoutes());
        Assert.True(notServed.Count == 0 && notDescribed.Count == 0, $"described but not served: [{string.Join(", ", notServed)}]; served but not described: [{string.Join(", ", notDescribed)}]");
        Assert.Equal(ApiContract.All.Count, ApiContract.All.Select(o => o.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Each_operation_is_served_by_the_function_named_after_it_with_its_route_and_method()
    {
        var functions = BuiltMetadata.HttpFunctions().Where(f => f.Name != UnmatchedFunctions.Name).ToDictionary(f => f.Name, StringComparer.Ordinal);
        Assert.All(ApiContract.All, op =>
        {
            var name = char.ToUpperInvariant(op.Id[0]) + op.Id[1..];
            Assert.True(functions.TryGetValue(name, out var f), $"no function {name} for {op.Id}");
            Assert.Equal($"{op.Method} {op.Route}", $"{Assert.Single(f.Methods).ToUpperInvariant()} /api/{f.Route}");
        });
        Assert.Equal(ApiContract.All.Count, functions.Count);
    }

    [Fact]
    public void The_catch_all_function_takes_every_method_on_any_path()
    {
        var unmatched = Assert.Single(BuiltMetadata.HttpFunctions(), f => f.Name == UnmatchedFunctions.Name);
        Assert.Equal(("{*path}", 0), (unmatched.Route, unmatched.Methods.Count));
        Assert.Equal(["GET", "PUT"], UnmatchedApi.MethodsOf("/api/tenants/401307/residents/100000101/preferences").Order(StringComparer.Ordinal));
        Assert.Empty(UnmatchedApi.MethodsOf("/api/tenants/401307/nothing"));
    }

    [Fact]
    public void Comparing_finds_a_route_missing_on_either_side()
    {
        var (notServed, notDescribed) = Compare([("GET", "/api/a"), ("POST", "/api/b")], [("get", "/api/a/"), ("POST", "/api/c")]);
        Assert.Equal(["POST /api/b"], notServed);
        Assert.Equal(["POST /api/c"], notDescribed);
    }

    [Fact]
    public async Task The_document_served_is_the_one_written_from_the_descriptions_with_security_and_every_status()
    {
        using var response = await fx.Client(null).GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("3.1.0", doc["openapi"]!.GetValue<string>());
        var schemes = doc["components"]!["securitySchemes"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["apiKey", "apiKeyHeader", "domesticSmsSignature", "entraId", "eventGridCode", "eventGridEntraId", "eventGridSecret", "lineSignature"], schemes);

        JsonNode Op(string path, string method) => doc["paths"]![path]![method]!;
        string[] Statuses(string path, string method) => [.. Op(path, method)["responses"]!.AsObject().Select(r => r.Key)];

        Assert.Equal(["202", "400", "401", "403", "404", "409", "413", "415"], Statuses("/api/tenants/{tenant}/drops/{dataset}", "post"));
        Assert.Equal(["200", "400", "401", "403", "404"], Statuses("/api/tenants/{tenant}/audit", "get"));
        Assert.Equal(["200", "400", "401", "404", "413", "415"], Statuses("/api/tenants/{tenant}/residents/{residentId}/preferences", "put"));
        Assert.Equal(["200", "400", "401", "413", "503"], Statuses("/api/events/acs", "post"));
        Assert.Equal(["200", "400", "401", "404", "413"], Statuses("/api/tenants/{tenant}/events/line", "post"));
        Assert.Equal(["200", "400", "401", "403", "404", "413", "415"], Statuses("/api/tenants/{tenant}/residents/{residentId}/line-link", "post"));
        Assert.Equal(["200"], Statuses("/api/openapi.json", "get"));
        Assert.Equal("text/html", Op("/api/unsubscribe/{messageId}", "get")["responses"]!["200"]!["content"]!.AsObject().Single().Key);
        Assert.Empty(Op("/api/health", "get")["security"]!.AsArray());
        Assert.Equal(3, Op("/api/tenants/{tenant}/cases", "get")["security"]!.AsArray().Count);
        Assert.Equal("#/components/schemas/Problem", Op("/api/tenants/{tenant}/cases", "get")["responses"]!["403"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());

        // Constraints from the code: bounds, patterns, enums.
        var listCases = Op("/api/tenants/{tenant}/cases", "get")["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["schema"]!);
        Assert.Equal((1, 200), (listCases["pageSize"]["minimum"]!.GetValue<int>(), listCases["pageSize"]["maximum"]!.GetValue<int>()));
        Assert.Equal(["Detected", "Matched", "Notified", "Reminded", "Escalated", "Closed"], listCases["state"]["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(ApiPatterns.Id, Op("/api/tenants/{tenant}/cases/{caseId}", "get")["parameters"]![1]!["schema"]!["pattern"]!.GetValue<string>());
    }

    [Fact]
    public void Schemas_match_what_the_API_returns_an_object_report_integers_and_required_fields()
    {
        var schemas = OpenApiDocument.Build(ApiContract.All)["components"]!["schemas"]!;
        var report = schemas["DropReport"]!;
        Assert.Equal("object", report["type"]!.GetValue<string>());
        Assert.Equal("integer", report["properties"]!["rowsRead"]!["type"]!.GetValue<string>());
        Assert.Contains("residents", report["properties"]!["dataset"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));

        var note = schemas["NoteBody"]!;
        Assert.Equal(["text"], note["required"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("string", note["properties"]!["text"]!["type"]!.GetValue<string>());
        Assert.Equal(ApiContract.MaxNoteLength, note["properties"]!["text"]!["maxLength"]!.GetValue<int>());

        var eventBody = schemas["EventBody"]!;
        Assert.Null(eventBody["required"]);
        Assert.DoesNotContain("None", eventBody["properties"]!["outcome"]!["enum"]!.AsArray().Select(v => v?.GetValue<string>()));

        var summary = schemas["CaseSummary"]!;
        Assert.Contains("escalationReason", summary["required"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("null", summary["properties"]!["escalationReason"]!["type"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("date", summary["properties"]!["eventDate"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void The_preferred_channel_is_described_as_the_handler_takes_and_answers_it()
    {
        var schemas = OpenApiDocument.Build(ApiContract.All)["components"]!["schemas"]!;
        List<string> Enum(string schema) => [.. schemas[schema]!["properties"]!["preferredChannel"]!["enum"]!.AsArray().Select(v => v?.GetValue<string>() ?? "(null)")];

        Assert.Equal(["sms", "email", "line", "none", "(null)"], Enum("PreferencesUpdate"));
        Assert.Equal(["sms", "email", "line", "(null)"], Enum("Preferences"));
        Assert.Contains("preferredChannel", schemas["Preferences"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains(schemas["PreferencesUpdate"]!["anyOf"]!.AsArray(), a => a!["required"]![0]!.GetValue<string>() == "preferredChannel");
        Assert.Equal(4, schemas["PreferencesUpdate"]!["properties"]!["channels"]!["maxItems"]!.GetValue<int>());
    }

    [Fact]
    public void Docs_api_md_lists_every_operation_with_the_statuses_of_the_document()
    {
        var rows = File.ReadAllLines(Path.Combine(PushGov.Testing.RepositoryRoot.Find(), "docs", "api.md"))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())
            .Where(c => c.Length > 2 && ApiContract.All.Any(o => o.Id == c[0]))
            .ToDictionary(c => c[0], c => c[^1], StringComparer.Ordinal);
        foreach (var op in ApiContract.All)
        {
            Assert.True(rows.TryGetValue(op.Id, out var statuses), $"docs/api.md has no row for {op.Id}");
            Assert.Equal(string.Join(", ", ApiContract.ResponsesOf(op).Select(r => r.Status)), statuses);
        }
    }

    [Fact]
    public void Every_reference_in_the_document_leads_somewhere()
    {
        var doc = OpenApiDocument.Build(ApiContract.All);
        var refs = new List<string>();
        void Walk(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                if (o["$ref"] is JsonValue r)
                {
                    refs.Add(r.GetValue<string>());
                }

                foreach (var (_, child) in o)
                {
                    Walk(child);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var child in a)
                {
                    Walk(child);
                }
            }
        }

        Walk(doc);
        Assert.NotEmpty(refs);
        foreach (var reference in refs)
        {
            JsonNode? target = doc;
            foreach (var segment in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target is JsonArray a ? a[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)] : target?[segment];
            }

            Assert.True(target is not null, reference);
        }
    }
}
