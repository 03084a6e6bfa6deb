using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using PushGov.Domain.Cases;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using PushGov.Domain.Serialization;
using PushGov.Functions.Api;

namespace PushGov.Functions.Contract;

/// <summary>
/// JSON Schemas of the API's bodies, exported from the C# types with the serializer options the API writes with
/// (<see cref="JsonSchemaExporter"/>), then given the constraints the handlers check (enums, lengths, patterns, which
/// request fields are required). Responses: every property is present (null where the type allows it). Requests: a
/// field whose type allows null may be omitted or null; the <see cref="Constraints"/> say which are required.
/// </summary>
public static class ContractSchemas
{
    /// <summary>The options the API answers with (camelCase, enums as names, numbers as numbers).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The outcomes a close may name (every outcome but None).</summary>
    public static IReadOnlyList<string> CloseOutcomes { get; } = [.. EnumNames.Of<CaseOutcome>().Where(n => n != nameof(CaseOutcome.None))];

    /// <summary>Extra constraints by (type, JSON property): what the handler checks beyond the C# type.</summary>
    private static readonly Dictionary<(Type, string), Action<JsonObject>> Constraints = new()
    {
        [(typeof(CasesApi.CaseSummary), "state")] = s => s["enum"] = Strings(EnumNames.Of<CaseState>()),
        [(typeof(CasesApi.CaseSummary), "outcome")] = s => s["enum"] = Strings(EnumNames.Of<CaseOutcome>()),
        [(typeof(CasesApi.CaseSummary), "kind")] = s => s["enum"] = Strings(EnumNames.Of<Domain.Detection.LifeEventKind>()),
        [(typeof(CasesApi.MessageStatusView), "channel")] = s => s["enum"] = Strings(EnumNames.Of<Channel>()),
        [(typeof(PreferencesApi.ChannelPreference), "channel")] = s => s["enum"] = Strings(EnumNames.Of<Channel>(EnumNames.Lower)),
        [(typeof(StaffApi.ResendAccepted), "channel")] = s => s["enum"] = Strings(EnumNames.Of<Channel>(EnumNames.Lower)),
        [(typeof(DropReport), "dataset")] = s => Replace(s, new JsonObject { ["type"] = "string", ["enum"] = Strings(Datasets.Names) }),
        [(typeof(CasesApi.EventBody), "note")] = s => s["maxLength"] = ApiContract.MaxNoteLength,
        [(typeof(CasesApi.EventBody), "outcome")] = s => s["enum"] = Strings(CloseOutcomes),
        [(typeof(StaffApi.NoteBody), "text")] = s =>
        {
            s["minLength"] = 1;
            s["maxLength"] = ApiContract.MaxNoteLength;
            s["pattern"] = "\\S";
            s["description"] = $"1 to {ApiContract.MaxNoteLength} characters once trimmed.";
        },
        [(typeof(StaffApi.ResendBody), "residentId")] = s => s["pattern"] = ApiPatterns.Id,
        [(typeof(LineApi.LineLinkRequest), "linkToken")] = s =>
        {
            s["pattern"] = ApiPatterns.Id;
            s["description"] = "The linkToken LINE gave the portal (letters, digits and -_.:, at most 128).";
        },
        [(typeof(ResidentApi.LinkBody), "link")] = LinkToken,
        [(typeof(ResidentApi.AnswerBody), "link")] = LinkToken,
        [(typeof(ResidentApi.AnswerBody), "answer")] = s => s["enum"] = Strings([ExternalEvent.Applied, ExternalEvent.Declined]),
        [(typeof(ResidentApi.ConfirmBody), "link")] = LinkToken,
        [(typeof(ResidentApi.ConfirmBody), "service")] = s =>
        {
            s["pattern"] = ApiPatterns.Id;
            s["description"] = "The id of a service of the case (e.g. jidou-teate) whose one-step application the resident confirms.";
        },
        [(typeof(ResidentApi.RevokeBody), "residentId")] = s => s["pattern"] = ApiPatterns.Id,
        [(typeof(StaffApi.ResendBody), "channel")] = s => s["enum"] = Strings(EnumNames.Of<Channel>(EnumNames.Lower)),
        [(typeof(PreferencesApi.PreferencesUpdate), "language")] = s => s["description"] = "A BCP 47 language tag such as ja, en, zh-Hans, pt-BR or ja-x-easy (stored in canonical case).",
        [(typeof(PreferencesApi.PreferencesUpdate), "channels")] = s => s["maxItems"] = Enum.GetValues<Channel>().Length,
        [(typeof(PreferencesApi.PreferencesUpdate), "preferredChannel")] = s =>
        {
            s["enum"] = new JsonArray([.. PreferableChannels.Append(PreferencesApi.NoPreference).Select(c => (JsonNode?)JsonValue.Create(c)), null]);
            s["description"] = "The channel tried first, before the municipality's order, while the resident has consented to it; none clears the choice; absent or null leaves it. "
                + "A channel the resident has no consented address for (after this request's channels) or that the municipality does not send on: 400.";
        },
        [(typeof(PreferencesApi.Preferences), "preferredChannel")] = s =>
        {
            s["enum"] = new JsonArray([.. PreferableChannels.Select(c => (JsonNode?)JsonValue.Create(c)), null]);
            s["description"] = "The channel the resident chose to be tried first; null: none (the municipality's order). Not used while its consent is withdrawn.";
        },
        [(typeof(PreferencesApi.ChannelUpdate), "channel")] = s => s["enum"] = Strings(EnumNames.Of<Channel>(EnumNames.Lower)),
        [(typeof(PreferencesApi.ChannelUpdate), "address")] = s =>
        {
            s["maxLength"] = 200;
            s["description"] = "sms: a Japanese mobile number (090-1234-5678 or +819012345678); email: an e-mail address; post: one line of 1 to 200 characters.";
        },
    };

    /// <summary>The channels a resident may prefer: every digital one (post is always the last resort).</summary>
    private static IReadOnlyList<string> PreferableChannels => [.. EnumNames.Of<Channel>(EnumNames.Lower).Where(c => c != "post")];

    /// <summary>Required request fields (never null), by type.</summary>
    private static readonly Dictionary<Type, string[]> RequiredRequestFields = new()
    {
        [typeof(StaffApi.NoteBody)] = ["text"],
        [typeof(StaffApi.ResendBody)] = ["residentId", "channel"],
        [typeof(LineApi.LineLinkRequest)] = ["linkToken"],
        [typeof(ResidentApi.LinkBody)] = ["link"],
        [typeof(ResidentApi.AnswerBody)] = ["link", "answer"],
        [typeof(ResidentApi.ConfirmBody)] = ["link", "service"],
        [typeof(ResidentApi.RevokeBody)] = ["residentId"],
        [typeof(ApiContract.LineWebhookSchema)] = ["destination", "events"],
        [typeof(PreferencesApi.ChannelUpdate)] = ["channel", "consent"],
        [typeof(ApiContract.EventGridEventSchema)] = ["id", "eventType"],
        [typeof(ApiContract.DomesticSmsCallbackSchema)] = ["id", "status"],
        [typeof(ApiContract.OneClickForm)] = ["List-Unsubscribe"],
    };

    private static void LinkToken(JsonObject s)
    {
        s["minLength"] = 1;
        s["description"] = "The token of the resident's link: the last segment of {portalBaseUrl}/r/{tenant}/{caseId}/{token}. A token that does not open the case: 404.";
    }

    /// <summary>A response body's schema.</summary>
    public static JsonNode Response(Type type) => Export(type, request: false);

    /// <summary>A request body's schema.</summary>
    public static JsonNode Request(Type type) => Export(type, request: true);

    /// <summary>The problem+json body (RFC 9457) every error has; validation problems add errors by field.</summary>
    public static JsonObject Problem() => new()
    {
        ["type"] = "object",
        ["required"] = Strings(["title", "status"]),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string" },
            ["title"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            ["status"] = new JsonObject { ["type"] = "integer", ["minimum"] = 400, ["maximum"] = 599 },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["instance"] = new JsonObject { ["type"] = "string" },
            ["errors"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "For invalid values: the field or parameter (e.g. pageSize, channels[0].address) and what is wrong with it.",
                ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            },
        },
    };

    private static JsonNode Export(Type type, bool request)
    {
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                var schema = node as JsonObject;
                if (context.PropertyInfo is { } property && Constraints.TryGetValue((property.DeclaringType, property.Name), out var constrain))
                {
                    // A custom converter exports as 'true' (anything): the constraint says what it writes.
                    schema ??= [];
                    constrain(schema);
                }

                if (schema is null)
                {
                    return node;
                }

                if (context.PropertyInfo is null && context.TypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object && schema["properties"] is JsonObject properties)
                {
                    var t = context.TypeInfo.Type;
                    var required = request
                        ? RequiredRequestFields.GetValueOrDefault(t) ?? []
                        : [.. context.TypeInfo.Properties.Where(p => p.AttributeProvider?.IsDefined(typeof(JsonIgnoreAttribute), true) != true).Select(p => p.Name)];
                    schema.Remove("required");
                    if (required.Length > 0)
                    {
                        schema["required"] = Strings(required);
                    }

                    foreach (var name in required.Where(n => request))
                    {
                        if (properties[name] is JsonObject p)
                        {
                            NotNull(p);
                        }
                    }

                    if (request)
                    {
                        RequestRules(t, schema);
                    }
                }

                return schema;
            },
        };
        return Options.GetJsonSchemaAsNode(type, exporter);
    }

    /// <summary>Rules across fields that the handlers check.</summary>
    private static void RequestRules(Type type, JsonObject schema)
    {
        if (type == typeof(PreferencesApi.PreferencesUpdate))
        {
            // At least one change: a language, a tax data consent, a non-empty list of channels, or a preferred channel.
            schema["anyOf"] = new JsonArray(
                new JsonObject { ["required"] = Strings(["language"]), ["properties"] = new JsonObject { ["language"] = new JsonObject { ["type"] = "string" } } },
                new JsonObject { ["required"] = Strings(["taxDataConsent"]), ["properties"] = new JsonObject { ["taxDataConsent"] = new JsonObject { ["type"] = "boolean" } } },
                new JsonObject { ["required"] = Strings(["channels"]), ["properties"] = new JsonObject { ["channels"] = new JsonObject { ["type"] = "array", ["minItems"] = 1 } } },
                new JsonObject { ["required"] = Strings(["preferredChannel"]), ["properties"] = new JsonObject { ["preferredChannel"] = new JsonObject { ["type"] = "string" } } });
        }
        else if (type == typeof(PreferencesApi.ChannelUpdate))
        {
            // Consenting needs an address.
            schema["if"] = new JsonObject { ["properties"] = new JsonObject { ["consent"] = new JsonObject { ["const"] = true } } };
            schema["then"] = new JsonObject { ["required"] = Strings(["address"]), ["properties"] = new JsonObject { ["address"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } } };
        }
    }

    /// <summary>A required field: its type no longer allows null.</summary>
    private static void NotNull(JsonObject property)
    {
        if (property["type"] is JsonArray types)
        {
            var rest = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            property["type"] = rest.Count == 1 ? rest[0] : Strings(rest);
        }

        if (property["enum"] is JsonArray values)
        {
            property["enum"] = Strings(values.Where(v => v is not null).Select(v => v!.GetValue<string>()));
        }
    }

    private static void Replace(JsonObject target, JsonObject with)
    {
        target.Clear();
        foreach (var (k, v) in with.ToList())
        {
            with.Remove(k);
            target[k] = v;
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(PushGovJson.Options) { NumberHandling = JsonNumberHandling.Strict };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
