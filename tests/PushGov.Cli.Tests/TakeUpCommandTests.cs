using System.Net;
using System.Net.Sockets;
using System.Text;
using PushGov.Domain.Cases;
using PushGov.Domain.Serialization;

namespace PushGov.Cli.Tests;

/// <summary><c>./pushgov takeup</c> asks the API for the days given, with the key, and prints the funnel as a table.</summary>
public sealed class TakeUpCommandTests
{
    [Fact]
    public async Task Takeup_prints_each_row_of_the_apis_funnel_with_the_rate_and_the_median()
    {
        var report = new TakeUpReport(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30),
        [
            new TakeUpRow("total", "all", 4, 4, 2, 3, 1, 6),
            new TakeUpRow("service", "jidou-teate", 4, 4, 2, 3, 1, 6),
            new TakeUpRow("channel", "post", 1, 1, 0, 0, 1, null),
        ]);
        using var api = new OneAnswerApi(System.Text.Json.JsonSerializer.Serialize(report, PushGovJson.Options));

        var run = await CliRun.RunAsync("takeup", "--url", api.Url, "--tenant", "401307", "--from", "2026-11-01", "--to", "2026-11-30", "--key", "pg_401307_staff_key");

        Assert.True(run.ExitCode == CliApp.Ok, run.Error);
        var request = await api.Request;
        Assert.Equal("/api/tenants/401307/takeup?from=2026-11-01&to=2026-11-30", request.PathAndQuery);
        Assert.Equal("Bearer pg_401307_staff_key", request.Authorization);
        Assert.Contains("Take-up 2026-11-01 – 2026-11-30", run.Out, StringComparison.Ordinal);
        var lines = run.Out.Split('\n');
        Assert.Contains(lines, l => Cells(l).SequenceEqual(["total", "all", "4", "4", "2", "3", "1", "75.0%", "6"]));
        Assert.Contains(lines, l => Cells(l).SequenceEqual(["service", "jidou-teate", "4", "4", "2", "3", "1", "75.0%", "6"]));
        Assert.Contains(lines, l => Cells(l).SequenceEqual(["channel", "post", "1", "1", "0", "0", "1", "0.0%", "–"]));
    }

    [Fact]
    public async Task An_answer_other_than_200_is_reported_with_its_status()
    {
        using var api = new OneAnswerApi("""{"title":"Forbidden","status":403}""", HttpStatusCode.Forbidden);

        var run = await CliRun.RunAsync("takeup", "--url", api.Url, "--tenant", "401307", "--key", "pg_portal");

        Assert.Equal(CliApp.InternalError, run.ExitCode);
        Assert.Contains("The API answered 403", run.Error, StringComparison.Ordinal);
        Assert.Equal("/api/tenants/401307/takeup", (await api.Request).PathAndQuery);
    }

    private static string[] Cells(string line) =>
        line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(c => c.Length > 0).ToArray();

    /// <summary>An HTTP endpoint on a free local port that answers its first request with a fixed body and keeps what was asked.</summary>
    private sealed class OneAnswerApi : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly TaskCompletionSource<(string PathAndQuery, string? Authorization)> request = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public OneAnswerApi(string body, HttpStatusCode status = HttpStatusCode.OK)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
                probe.Stop();
            }

            listener.Prefixes.Add(Url + "/");
            listener.Start();
            _ = AnswerAsync(body, status);
        }

        public string Url { get; }

        public Task<(string PathAndQuery, string? Authorization)> Request => request.Task;

        public void Dispose() => listener.Close();

        private async Task AnswerAsync(string body, HttpStatusCode status)
        {
            var context = await listener.GetContextAsync();
            request.SetResult((context.Request.Url!.PathAndQuery, context.Request.Headers["Authorization"]));
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = status == HttpStatusCode.OK ? "application/json" : "application/problem+json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
