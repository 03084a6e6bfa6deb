using System.Text.Json;
using System.Text.Json.Nodes;

namespace PushGov.Functions.Contract;

/// <summary>
/// Writes <c>/api/openapi.json</c> (OpenAPI 3.1) from <see cref="ApiContract"/>: no host, no endpoint metadata. Bodies'
/// schemas are components named after their C# types; errors share the problem+json schema.
/// </summary>
public static class OpenApiDocument
{
    public const string ProblemSchema = "Problem";

    private static readonly Lazy<string> Cached = new(() => Build(ApiContract.All).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    /// <summary>The document as served.</summary>
    public static string Json => Cached.Value;

    public static JsonObject Build(IReadOnlyList<ApiOperation> operations)
    {
        var schemas = new JsonObject { [ProblemSchema] = ContractSchemas.Problem() };
        var paths = new JsonObject();
        foreach (var op in operations)
        {
            if (paths[op.Route] is not JsonObject path)
            {
                path = new JsonObject();
                paths[op.Route] = path;
            }

            path[op.Method.ToLowerInvariant()] = Operation(op, schemas);
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "PushGov API",
                ["version"] = "1",
                ["description"] = "Per-tenant API for residents' portals and municipal staff, and the providers' webhooks. Authenticate tenant routes with Authorization: Bearer pg_… (an API key; or x-api-key) or, where configured, a Microsoft Entra ID access token. Every error is application/problem+json (RFC 9457). Roles are sets of permissions: ResidentPortal = ResidentEvents + Preferences; Staff = ResidentPortal + ReadCases + ActOnCases + Drops + ReadSink; Admin = Staff + RevealAddresses + ReadAudit; Test = Staff (messages reach only the development sink). See docs/api.md.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = SecuritySchemes(),
            },
        };
    }

    private static JsonObject Operation(ApiOperation op, JsonObject schemas)
    {
        var description = op.Description ?? string.Empty;
        if (op.Permission is { } permission)
        {
            var roles = ApiPermissions.RolesWith(permission);
            description = $"Needs {permission}: roles {string.Join(", ", roles)}. Audited as {op.Audit}. {description}".Trim();
        }

        var node = new JsonObject
        {
            ["operationId"] = op.Id,
            ["tags"] = new JsonArray(op.Tag),
            ["summary"] = op.Summary,
        };
        if (description.Length > 0)
        {
            node["description"] = description;
        }

        if (op.Permission is { } p)
        {
            node["x-pushgov-permission"] = p.ToString();
            node["x-pushgov-roles"] = new JsonArray([.. ApiPermissions.RolesWith(p).Select(r => (JsonNode?)r.ToString())]);
            node["x-pushgov-audit"] = op.Audit;
        }

        node["security"] = new JsonArray([.. op.Security.Select(s => (JsonNode?)new JsonObject { [s] = new JsonArray() })]);
        if (op.Parameters.Count > 0)
        {
            node["parameters"] = new JsonArray([.. op.Parameters.Select(Parameter)]);
        }

        if (op.Body is { } body)
        {
            var content = new JsonObject();
            foreach (var type in body.MediaTypes)
            {
                content[type] = new JsonObject
                {
                    ["schema"] = body.Binary ? new JsonObject { ["type"] = "string", ["contentMediaType"] = type, ["maxLength"] = body.MaxBytes } : Ref(body.Schema!, request: true, schemas),
                };
            }

            node["requestBody"] = new JsonObject { ["required"] = body.Required, ["description"] = body.Description, ["content"] = content };
        }

        var responses = new JsonObject();
        foreach (var r in ApiContract.ResponsesOf(op))
        {
            var response = new JsonObject { ["description"] = r.Description };
            if (r.MediaType is { } type)
            {
                JsonNode schema = type == MediaType.ProblemJson ? new JsonObject { ["$ref"] = $"#/components/schemas/{ProblemSchema}" }
                    : r.Schema is { } t ? Ref(t, request: false, schemas)
                    : type == MediaType.Html ? new JsonObject { ["type"] = "string" }
                    : new JsonObject { ["type"] = "object" };
                response["content"] = new JsonObject { [type] = new JsonObject { ["schema"] = schema } };
            }

            if (r.Status == 401 && op.Permission is not null)
            {
                response["headers"] = new JsonObject { ["WWW-Authenticate"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["const"] = "Bearer" } } };
            }

            responses[r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }

        node["responses"] = responses;
        return node;
    }

    private static JsonNode? Parameter(ApiParameter p)
    {
        var s = p.Schema;
        var schema = new JsonObject { ["type"] = s.Type };
        if (s.Format is not null)
        {
            schema["format"] = s.Format;
        }

        if (s.Minimum is { } min)
        {
            schema["minimum"] = min;
        }

        if (s.Maximum is { } max)
        {
            schema["maximum"] = max;
        }

        if (s.MinLength is { } minLength)
        {
            schema["minLength"] = minLength;
        }

        if (s.MaxLength is { } maxLength)
        {
            schema["maxLength"] = maxLength;
        }

        if (s.Pattern is not null)
        {
            schema["pattern"] = s.Pattern;
        }

        if (s.Enum is { } values)
        {
            schema["enum"] = new JsonArray([.. values.Select(v => (JsonNode?)v)]);
        }

        if (s.Default is { } d)
        {
            schema["default"] = d;
        }

        return new JsonObject
        {
            ["name"] = p.Name,
            ["in"] = p.In == ParameterIn.Path ? "path" : "query",
            ["required"] = p.Required,
            ["description"] = p.Description,
            ["schema"] = schema,
        };
    }

    /// <summary>A component for <paramref name="type"/> (arrays and lists: an array of the element's component).</summary>
    private static JsonNode Ref(Type type, bool request, JsonObject schemas)
    {
        var element = type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
        if (element is not null)
        {
            return new JsonObject { ["type"] = "array", ["items"] = Ref(element, request, schemas) };
        }

        var name = type.Name;
        if (!schemas.ContainsKey(name))
        {
            var schema = request ? ContractSchemas.Request(type) : ContractSchemas.Response(type);
            Rebase(schema, $"#/components/schemas/{name}");
            schemas[name] = schema;
        }

        return new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
    }

    /// <summary>The exporter refers to a type it met before by a pointer from the schema's root: from the document's root here.</summary>
    private static void Rebase(JsonNode? node, string root)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue r && r.GetValue<string>() is { } pointer && pointer.StartsWith('#') && !pointer.StartsWith("#/components/", StringComparison.Ordinal))
                {
                    o["$ref"] = root + pointer[1..];
                }

                foreach (var (_, child) in o.ToList())
                {
                    Rebase(child, root);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Rebase(child, root);
                }

                break;
        }
    }

    private static JsonObject SecuritySchemes() => new()
    {
        [ApiContract.SecuritySchemes.ApiKey] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["bearerFormat"] = "pg_{tenant}_{keyId}_{secret}",
            ["description"] = "A per-tenant API key with a role (ResidentPortal, Staff, Admin, Test), created with ./pushgov tenant create / rotate-key.",
        },
        [ApiContract.SecuritySchemes.ApiKeyHeader] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "x-api-key",
            ["description"] = "The same API key in the x-api-key header.",
        },
        [ApiContract.SecuritySchemes.EntraId] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["bearerFormat"] = "JWT",
            ["description"] = "A Microsoft Entra ID access token for the API's audience (PushGov:Entra), with the tenant claim (pushgov_tenant) and an app role PushGov.ResidentPortal, PushGov.Staff or PushGov.Admin.",
        },
        [ApiContract.SecuritySchemes.EventGridSecret] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = ApiContract.EventGridSecretHeader,
            ["description"] = "The shared secret (PushGov:EventGrid:Secret, kept in Key Vault), set on the Event Grid subscription as a static secret delivery attribute.",
        },
        [ApiContract.SecuritySchemes.EventGridCode] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "query",
            ["name"] = "code",
            ["description"] = "The same shared secret in the subscription's endpoint URL.",
        },
        [ApiContract.SecuritySchemes.EventGridEntra] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["bearerFormat"] = "JWT",
            ["description"] = "When PushGov:EventGrid:EntraTenantId and EntraAudience are set: the Entra ID token Event Grid sends (webhook delivery with Microsoft Entra authentication), required in addition to the secret when both are configured.",
        },
        [ApiContract.SecuritySchemes.DomesticSmsSignature] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "X-Signature",
            ["description"] = "t={unix seconds},v1={hex HMAC-SHA256 under PushGov:DomesticSms:Secret}; at most 5 minutes old.",
        },
        [ApiContract.SecuritySchemes.LineSignature] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "X-Line-Signature",
            ["description"] = "Base64 HMAC-SHA256 of the body under the tenant's LINE channel secret, as LINE signs its webhook.",
        },
    };
}
