using System.Text.Json;

namespace PushGov.Functions.Tests;

/// <summary>The functions.metadata the Worker SDK writes at build time lists exactly the functions and bindings PushGov means to have.</summary>
public sealed class FunctionsMetadataTests
{
    /// <summary>Each function: its trigger (type and path, queue, schedule or route with methods) and its other bindings.</summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["IngestDrop"] = "blobTrigger drops/{tenant}/{dataset}/{name} source=EventGrid; durableClient",
        ["SendMessage"] = "queueTrigger send; durableClient",
        ["Sweep"] = "timerTrigger 0 */1 * * * *; durableClient",
        ["AgeSweep"] = "timerTrigger 0 0 16 * * *; durableClient",
        ["Letters"] = "timerTrigger 0 30 16 * * *",
        ["Retention"] = "timerTrigger 0 30 17 * * *",
        ["CaseOrchestration"] = "orchestrationTrigger",
        ["MatchCase"] = "activityTrigger",
        ["ResolveCase"] = "activityTrigger",
        ["ApplyCaseEffects"] = "activityTrigger",
        ["Unmatched"] = "httpTrigger  {*path}; http",
        ["GetHealth"] = "httpTrigger get health; http",
        ["GetOpenApi"] = "httpTrigger get openapi.json; http",
        ["ListCases"] = "httpTrigger get tenants/{tenant}/cases; http",
        ["GetCase"] = "httpTrigger get tenants/{tenant}/cases/{caseId}; http",
        ["RaiseCaseEvent"] = "httpTrigger post tenants/{tenant}/cases/{caseId}/events/{name}; durableClient; http",
        ["GetCasePeople"] = "httpTrigger get tenants/{tenant}/cases/{caseId}/people; http",
        ["ListEscalations"] = "httpTrigger get tenants/{tenant}/escalations; http",
        ["AddCaseNote"] = "httpTrigger post tenants/{tenant}/cases/{caseId}/notes; durableClient; http",
        ["ResendCaseMessage"] = "httpTrigger post tenants/{tenant}/cases/{caseId}/resend; http",
        ["ListNotifications"] = "httpTrigger get tenants/{tenant}/notifications; http",
        ["UploadDrop"] = "httpTrigger post tenants/{tenant}/drops/{dataset}; http",
        ["GetDropReport"] = "httpTrigger get tenants/{tenant}/drops/{dataset}/{name}/report; http",
        ["ListDrops"] = "httpTrigger get tenants/{tenant}/drops; http",
        ["GetDashboard"] = "httpTrigger get tenants/{tenant}/dashboard; http",
        ["GetTakeUp"] = "httpTrigger get tenants/{tenant}/takeup; http",
        ["GetCatalog"] = "httpTrigger get tenants/{tenant}/catalog; http",
        ["GetPreferences"] = "httpTrigger get tenants/{tenant}/residents/{residentId}/preferences; http",
        ["PutPreferences"] = "httpTrigger put tenants/{tenant}/residents/{residentId}/preferences; durableClient; http",
        ["StartLineLink"] = "httpTrigger post tenants/{tenant}/residents/{residentId}/line-link; http",
        ["GetLineQuota"] = "httpTrigger get tenants/{tenant}/line/quota; http",
        ["PostLineWebhook"] = "httpTrigger post tenants/{tenant}/events/line; durableClient; http",
        ["GetResidentCase"] = "httpTrigger post tenants/{tenant}/cases/{caseId}/resident-view; http",
        ["AnswerResidentCase"] = "httpTrigger post tenants/{tenant}/cases/{caseId}/resident-answer; durableClient; http",
        ["ConfirmResidentApplication"] = "httpTrigger post tenants/{tenant}/cases/{caseId}/resident-application; durableClient; http",
        ["RevokeResidentLinks"] = "httpTrigger post tenants/{tenant}/cases/{caseId}/resident-links/revoke; http",
        ["ListAudit"] = "httpTrigger get tenants/{tenant}/audit; http",
        ["PostEventGridEvents"] = "httpTrigger post events/acs; durableClient; http",
        ["PostDomesticSmsCallback"] = "httpTrigger post events/domestic-sms; durableClient; http",
        ["GetUnsubscribePage"] = "httpTrigger get unsubscribe/{messageId}; http",
        ["PostUnsubscribe"] = "httpTrigger post unsubscribe/{messageId}; durableClient; http",
    };

    [Fact]
    public void The_built_metadata_lists_exactly_the_expected_functions_and_bindings()
    {
        using var doc = BuiltMetadata.Read();
        var actual = doc.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, Describe, StringComparer.Ordinal);

        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bindings) in Expected)
        {
            Assert.Equal($"{name}: {bindings}", $"{name}: {actual[name]}");
        }
    }

    [Fact]
    public void Every_queue_and_blob_trigger_reads_the_app_storage_connection()
    {
        using var doc = BuiltMetadata.Read();
        var storageBindings = doc.RootElement.EnumerateArray().SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() is "queueTrigger" or "blobTrigger").ToList();
        Assert.NotEmpty(storageBindings);
        Assert.All(storageBindings, b => Assert.Equal("AzureWebJobsStorage", b.GetProperty("connection").GetString()));
    }

    private static string Describe(JsonElement function) =>
        string.Join("; ", function.GetProperty("bindings").EnumerateArray().Select(b =>
        {
            var type = b.GetProperty("type").GetString()!;
            string? Text(string name) => b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return type switch
            {
                "blobTrigger" => $"{type} {Text("path")} source={Text("source")}",
                "queueTrigger" => $"{type} {Text("queueName")}",
                "timerTrigger" => $"{type} {Text("schedule")}",
                "httpTrigger" => $"{type} {(b.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array ? string.Join(',', methods.EnumerateArray().Select(m => m.GetString())) : string.Empty)} {Text("route")}",
                _ => type,
            };
        }));
}
