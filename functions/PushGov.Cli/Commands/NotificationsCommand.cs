using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using PushGov.Domain.Serialization;
using Spectre.Console;

namespace PushGov.Cli.Commands;

/// <summary><c>./pushgov notifications</c>: the messages PushGov would send, as a table (from the running app's API).</summary>
public static partial class NotificationsCommand
{
    private sealed record Notification(string MessageId, string Channel, string To, string? Subject, string Text, string Language, string? TemplateVersion, DateTimeOffset RecordedAt);

    /// <summary>The first lines of a long body, enough to see what it is about.</summary>
    private static string Opening(string text)
    {
        var lines = text.Split('\n').Where(l => l.Trim().Length > 0).Take(3);
        var opening = string.Join("\n", lines);
        return opening.Length > 160 ? opening[..160] + "…" : opening + " …";
    }

    public static Command Build()
    {
        var url = new Option<string>("--url") { Description = "The app's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:7071" };
        var tenant = new Option<string>("--tenant") { Description = "Tenant code.", Required = true };
        var key = new Option<string>("--key") { Description = "A staff or admin API key of the tenant (default: PUSHGOV_API_KEY).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PUSHGOV_API_KEY") ?? string.Empty };
        var waitFor = new Option<int>("--wait-for") { Description = "Wait until at least this many messages are there.", DefaultValueFactory = _ => 0 };
        var settledCases = new Option<bool>("--settled") { Description = "Also wait until every case of the tenant has settled (none still detected or matched)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait at most.", DefaultValueFactory = _ => 60 };
        var command = new Command("notifications", "Show the messages PushGov would send (the development sink).") { url, tenant, key, waitFor, settledCases, timeout };
        command.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(r.GetValue(url)!), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", r.GetValue(key));
            var deadline = DateTime.UtcNow.AddSeconds(r.GetValue(timeout));
            List<Notification> list;
            var last = -1;
            var stableSince = DateTime.UtcNow;
            while (true)
            {
                var response = await http.GetAsync(new Uri($"/api/tenants/{r.GetValue(tenant)}/notifications", UriKind.Relative), ct);
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"The API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                    return 1;
                }

                list = await response.Content.ReadFromJsonAsync<List<Notification>>(PushGovJson.Options, ct) ?? [];
                if (list.Count != last)
                {
                    last = list.Count;
                    stableSince = DateTime.UtcNow;
                }

                // Enough, no new message for 3 seconds (the rest of a drop may still be on its way) and, when asked, no case
                // still on its way to its first messages.
                var settled = list.Count >= r.GetValue(waitFor) && DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(3)
                    && (!r.GetValue(settledCases) || await NoCaseInFlightAsync(http, r.GetValue(tenant)!, ct));
                if (settled || DateTime.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(500, ct);
            }

            // Wide enough to read, also when the output is not a terminal.
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180);
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{list.Count} message(s) PushGov would send[/]");
            table.AddColumns("#", "channel", "to (masked)", "lang", "message (SMS in full; e-mail and letters: subject and opening)");
            var i = 0;
            foreach (var n in list)
            {
                var text = n.Channel == "Sms" ? n.Text : (n.Subject is null ? string.Empty : n.Subject + "\n") + Opening(n.Text);
                table.AddRow(Markup.Escape((++i).ToString()), Markup.Escape(n.Channel), Markup.Escape(n.To), Markup.Escape(n.Language), Markup.Escape(text));
            }

            AnsiConsole.Write(table);

            // The table cuts each message short: the page each one links to (the resident's signed case link) in full.
            var links = list.Select((n, index) => (Number: index + 1, Link: ResidentLinkIn(n.Text))).Where(l => l.Link is not null).ToList();
            if (links.Count > 0)
            {
                AnsiConsole.WriteLine("Residents' case pages the messages link to:");
                foreach (var (number, link) in links)
                {
                    AnsiConsole.WriteLine($"  #{number}  {link}");
                }
            }

            return list.Count >= r.GetValue(waitFor) ? 0 : 1;
        });
        return command;
    }

    /// <summary>The first resident's case link (<c>…/r/{tenant}/{caseId}/{token}</c>) in a message's text; null without one.</summary>
    internal static string? ResidentLinkIn(string text) => ResidentLink().Match(text) is { Success: true } m ? m.Value : null;

    [GeneratedRegex(@"https?://[^\s/]+(/[^\s]*)?/r/[0-9]{6}/[^\s/]+/[A-Za-z0-9_\-]+")]
    private static partial Regex ResidentLink();

    /// <summary>True when no case of the tenant is still detected or matched (each has reached its messages or closed).</summary>
    private static async Task<bool> NoCaseInFlightAsync(HttpClient http, string tenant, CancellationToken ct)
    {
        foreach (var state in new[] { "Detected", "Matched" })
        {
            using var response = await http.GetAsync(new Uri($"/api/tenants/{tenant}/cases?state={state}&pageSize=1", UriKind.Relative), ct);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (doc.RootElement.GetProperty("cases").GetArrayLength() > 0 || doc.RootElement.GetProperty("continuationToken").ValueKind == System.Text.Json.JsonValueKind.String)
            {
                return false;
            }
        }

        return true;
    }
}
