using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using PushGov.Domain.Cases;
using PushGov.Domain.Serialization;
using Spectre.Console;

namespace PushGov.Cli.Commands;

/// <summary>
/// <c>./pushgov takeup --tenant … --from … --to …</c>: the take-up funnel (利用率・申請率) of the cases created over those
/// days, as a table, from the running app's API (<c>GET /api/tenants/{tenant}/takeup</c>, a staff or admin key).
/// </summary>
public static class TakeUpCommand
{
    public static Command Build(CliConsole console)
    {
        var url = new Option<string>("--url") { Description = "The app's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:7071" };
        var tenant = new Option<string>("--tenant") { Description = "Tenant code.", Required = true };
        var from = new Option<DateOnly?>("--from") { Description = "First day, yyyy-MM-dd (Asia/Tokyo; default: --to)." };
        var to = new Option<DateOnly?>("--to") { Description = "Last day, yyyy-MM-dd (Asia/Tokyo; default: today)." };
        var key = new Option<string>("--key") { Description = "A staff or admin API key of the tenant (default: PUSHGOV_API_KEY).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PUSHGOV_API_KEY") ?? string.Empty };
        var command = new Command("takeup", "Show the take-up funnel per service, channel and language: eligible → notified → link opened → applied → taken over, and the median days from event to application.") { url, tenant, from, to, key };
        command.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(r.GetValue(url)!), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", r.GetValue(key));
            var query = string.Join('&', new[] { ("from", r.GetValue(from)), ("to", r.GetValue(to)) }
                .Where(p => p.Item2 is not null)
                .Select(p => $"{p.Item1}={p.Item2!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
            using var response = await http.GetAsync(new Uri($"/api/tenants/{Uri.EscapeDataString(r.GetValue(tenant)!)}/takeup" + (query.Length > 0 ? "?" + query : string.Empty), UriKind.Relative), ct);
            if (!response.IsSuccessStatusCode)
            {
                await console.Error.WriteLineAsync($"The API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                return CliApp.InternalError;
            }

            var report = await response.Content.ReadFromJsonAsync<TakeUpReport>(PushGovJson.Options, ct)
                ?? throw new InvalidOperationException("The API answered an empty take-up report.");
            await using var writer = new StreamWriter(console.Out, new UTF8Encoding(false), 1 << 12, leaveOpen: true);
            Write(report, writer);
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>The report as a plain table (no colours, wide enough for service ids) on <paramref name="writer"/>.</summary>
    public static void Write(TakeUpReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        ansi.Profile.Width = 160;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Take-up {report.From:yyyy-MM-dd} – {report.To:yyyy-MM-dd} (cases created; Asia/Tokyo)");
        table.AddColumns("dimension", "key", "eligible", "notified", "opened", "applied", "taken over", "take-up", "median days");
        foreach (var column in table.Columns.Skip(2))
        {
            column.RightAligned();
        }

        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Dimension),
                Markup.Escape(row.Key),
                Count(row.Eligible),
                Count(row.Notified),
                Count(row.Opened),
                Count(row.Applied),
                Count(row.TakenOver),
                row.Eligible == 0 ? "–" : ((double)row.Applied / row.Eligible).ToString("0.0%", CultureInfo.InvariantCulture),
                row.MedianDaysToApply is { } d ? d.ToString("0.#", CultureInfo.InvariantCulture) : "–");
        }

        ansi.Write(table);
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
