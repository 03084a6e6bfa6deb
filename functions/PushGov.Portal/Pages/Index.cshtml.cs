using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Api;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages;

/// <summary>The dashboard: what PushGov did today, this month or in a chosen range (days in Asia/Tokyo).</summary>
public sealed class IndexModel(PushGovApi api, TimeProvider clock, Text text) : PageModel
{
    public string Range { get; private set; } = "today";

    public DateOnly From { get; private set; }

    public DateOnly To { get; private set; }

    public DashboardReport? Report { get; private set; }

    /// <summary>The take-up funnel of the same days.</summary>
    public TakeUpReport? TakeUp { get; private set; }

    public ApiProblemException? Problem { get; private set; }

    /// <summary>Service names by id in the page's language (from the tenant's catalog).</summary>
    public IReadOnlyDictionary<string, string> ServiceNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>A funnel key in words: a service's name, a channel's, or the language tag.</summary>
    public string Label(string dimension, string key, Text text) => dimension switch
    {
        "service" => ServiceNames.GetValueOrDefault(key, key),
        "channel" => text.Code("channel", key),
        "total" => text["dash.funnel.total"],
        _ => key,
    };

    public async Task OnGetAsync(string? range, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Text.Tokyo).DateTime);
        (Range, From, To) = range switch
        {
            "month" => ("month", new DateOnly(today.Year, today.Month, 1), today),
            "custom" when from is { } f && to is { } t => ("custom", f, t),
            _ => ("today", today, today),
        };
        try
        {
            Report = await api.DashboardAsync(From, To, ct);
            TakeUp = await api.TakeUpAsync(From, To, ct);
            ServiceNames = ServicesPage.Names(await api.CatalogAsync(ct), text);
        }
        catch (ApiProblemException e)
        {
            Problem = e;
            Response.StatusCode = (int)e.Status;
        }
    }
}
