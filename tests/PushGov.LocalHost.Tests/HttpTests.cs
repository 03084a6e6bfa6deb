using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PushGov.LocalHost.SampleApp;
using PushGov.Testing;

namespace PushGov.LocalHost.Tests;

[Collection("Azurite")]
public sealed class HttpTests(AzuriteFixture azurite)
{
    [Fact]
    public void The_built_functions_metadata_lists_every_sample_function_with_its_bindings()
    {
        var functions = FunctionMetadata.Load(SampleHost.AppDirectory).ToDictionary(f => f.Name);

        Assert.Equal(
            ["AlwaysFails", "BadDrop", "Drop", "DropClient", "Echo", "Hello", "HoldStock", "HoldWorkflow", "OrderStatus", "OrderWorkflow", "QueueOrder", "ReserveStock", "Slow", "StartOrder", "Tick", "Work"],
            functions.Keys.Order(StringComparer.Ordinal));
        var hello = functions["Hello"];
        Assert.Equal("PushGov.LocalHost.SampleApp.HttpFunctions.Hello", hello.EntryPoint);
        Assert.Equal("hello/{name}/{count:int}", hello.Trigger["route"]);
        Assert.Equal(["GET"], hello.Trigger.Methods);
        Assert.Equal("%DropContainer%/{tenant}/{dataset}/{name}", functions["Drop"].Trigger["path"]);
        Assert.Equal("EventGrid", functions["Drop"].Trigger["source"]);
        Assert.Equal("%WorkQueue%", functions["Work"].Trigger["queueName"]);
        Assert.Equal("%TickSchedule%", functions["Tick"].Trigger["schedule"]);
        Assert.Contains(functions["StartOrder"].Bindings, b => b.IsType("durableClient"));
        Assert.True(functions["OrderWorkflow"].Trigger.IsType("orchestrationTrigger"));
        Assert.True(functions["ReserveStock"].Trigger.IsType("activityTrigger"));
    }

    [Fact]
    public async Task An_http_function_gets_route_values_and_query_and_answers_with_its_action_result()
    {
        var probe = new Probe();
        await using var host = await SampleHost.StartAsync(azurite, probe, ["Hello", "Echo"], new Dictionary<string, string?>(), AzuriteFixture.Unique("h"));
        using var http = new HttpClient { BaseAddress = host.HttpAddress };

        using var response = await http.GetAsync("/api/hello/taro/42?q=x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("taro", body.GetProperty("name").GetString());
        Assert.Equal(42, body.GetProperty("count").GetInt32());
        Assert.Equal("x", body.GetProperty("query").GetString());
        Assert.Equal(["hello taro 42"], probe.Events);
    }

    [Fact]
    public async Task An_http_function_returning_IResult_executes_it_for_each_of_its_methods()
    {
        await using var host = await SampleHost.StartAsync(azurite, new Probe(), ["Echo"], new Dictionary<string, string?>(), AzuriteFixture.Unique("h"));
        using var http = new HttpClient { BaseAddress = host.HttpAddress };

        using var post = await http.PostAsync("/api/echo", new StringContent("ping"));
        using var put = await http.PutAsync("/api/echo", new StringContent("pong"));

        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal("POST Echo: ping", await post.Content.ReadAsStringAsync());
        Assert.Equal("PUT Echo: pong", await put.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_paths_get_404_and_other_methods_405_and_route_constraints_are_enforced()
    {
        var probe = new Probe();
        await using var host = await SampleHost.StartAsync(azurite, probe, ["Hello", "Echo"], new Dictionary<string, string?>(), AzuriteFixture.Unique("h"));
        using var http = new HttpClient { BaseAddress = host.HttpAddress };

        using var unknown = await http.GetAsync("/api/nothing-here");
        using var notInt = await http.GetAsync("/api/hello/taro/many");
        using var wrongMethod = await http.DeleteAsync("/api/echo");
        using var noPrefix = await http.GetAsync("/hello/taro/1");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notInt.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noPrefix.StatusCode);
        Assert.Empty(probe.Events);
    }
}
