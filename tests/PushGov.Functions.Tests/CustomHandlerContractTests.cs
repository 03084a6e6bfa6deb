using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PushGov.Functions.Tests.Support;
using PushGov.Testing;

namespace PushGov.Functions.Tests;

/// <summary>
/// The custom-handler contract: the Functions host POSTs <c>{"Data": …, "Metadata": …}</c> to <c>/{FunctionName}</c> and
/// reads <c>{"Outputs": …, "Logs": […], "ReturnValue": …}</c>; a non-2xx answer is a failed invocation.
/// Payload shapes as documented in https://learn.microsoft.com/azure/azure-functions/functions-custom-handlers
/// (request payload, response payload; queue trigger metadata DequeueCount, Id, InsertionTime, …, sys).
/// </summary>
[Collection("Azurite")]
public sealed class CustomHandlerContractTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PushGovApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new PushGovApp(azurite.ConnectionString, triggerHost: false);
        await _app.Storage.EnsureCreatedAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_queue_invocation_in_the_documented_shape_answers_outputs_logs_and_return_value()
    {
        // The host passes the queue message as the binding's value and the trigger metadata beside it.
        var payload = """
        {
          "Data": { "message": "{\"tenant\":\"401307\",\"caseId\":\"BIRTH-unknown\",\"step\":\"match\"}" },
          "Metadata": {
            "DequeueCount": 1,
            "ExpirationTime": "2026-11-29T01:00:00+00:00",
            "Id": "5a2b7e1e-0b0f-4a4c-9f0e-8e2f0c6f1a11",
            "InsertionTime": "2026-11-22T01:00:00+00:00",
            "NextVisibleTime": "2026-11-22T01:00:30+00:00",
            "PopReceipt": "AgAAAAMAAAAAAAAA",
            "sys": { "MethodName": "AdvanceCase", "UtcNow": "2026-11-22T01:00:00Z", "RandGuid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" }
          }
        }
        """;
        var response = await _app.CreateClient().PostAsync(new Uri("/AdvanceCase", UriKind.Relative), Json(payload));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body.ContainsKey("Outputs"));
        Assert.True(body.ContainsKey("Logs"));
        Assert.True(body.ContainsKey("ReturnValue"));
    }

    [Fact]
    public async Task A_timer_invocation_runs_the_sweep()
    {
        var payload = """
        { "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": { "Last": "2026-11-22T00:59:00Z", "Next": "2026-11-22T01:01:00Z", "LastUpdated": "2026-11-22T01:00:00Z" }, "IsPastDue": false } },
          "Metadata": { "sys": { "MethodName": "Sweep", "UtcNow": "2026-11-22T01:00:00Z", "RandGuid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" } } }
        """;
        var response = await _app.CreateClient().PostAsync(new Uri("/Sweep", UriKind.Relative), Json(payload));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.StartsWith("timers=", body!["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("poisoned=", body["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_invocation_with_a_path_outside_the_contract_is_reported_and_succeeds()
    {
        // Retrying a bad path would never help: the invocation succeeds and the reason is written for staff.
        var payload = """
        { "Data": { "blob": null },
          "Metadata": { "tenant": "999999", "dataset": "residents", "name": "x.csv", "BlobTrigger": "drops/999999/residents/x.csv",
                        "Uri": "http://127.0.0.1/devstoreaccount1/drops/999999/residents/x.csv", "sys": { "MethodName": "IngestDrop" } } }
        """;
        var response = await _app.CreateClient().PostAsync(new Uri("/IngestDrop", UriKind.Relative), Json(payload));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("not a local government code", body!["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_function_is_404_and_a_malformed_payload_is_400()
    {
        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(new Uri("/NoSuchFunction", UriKind.Relative), Json("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/AdvanceCase", UriKind.Relative), Json("{not json"))).StatusCode);
    }

    [Fact]
    public async Task A_queue_message_that_cannot_be_understood_is_not_retried_forever()
    {
        var payload = JsonSerializer.Serialize(new { Data = new { message = "not a case step" }, Metadata = new { DequeueCount = 1 } });
        var response = await _app.CreateClient().PostAsync(new Uri("/AdvanceCase", UriKind.Relative), Json(payload));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("not understood", body!["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_invocation_answers_500_so_the_host_retries()
    {
        // A case step for a storage account that cannot be reached fails; the host must see a failure.
        await using var broken = new PushGovApp("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Azurite.AccountKey +
            ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;", triggerHost: false);
        var payload = JsonSerializer.Serialize(new { Data = new { message = """{"tenant":"401307","caseId":"c","step":"match"}""" }, Metadata = new { DequeueCount = 1 } });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var response = await broken.CreateClient().PostAsync(new Uri("/AdvanceCase", UriKind.Relative), Json(payload), timeout.Token);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("AdvanceCase failed", body!["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
