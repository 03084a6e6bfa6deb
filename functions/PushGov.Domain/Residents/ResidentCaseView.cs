using PushGov.Domain.Applications;
using PushGov.Domain.Cases;
using PushGov.Domain.Drops;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Tenants;

namespace PushGov.Domain.Residents;

/// <summary>How to apply for a service: the online page, the counter and its department (from the catalog).</summary>
public sealed record HowToApply(string? PortalUrl, string? Counter, string? Department);

/// <summary>
/// One thing a resident can get from their case: the service's names (ja, ja-x-easy, en), the deadline in 西暦
/// (<see cref="Deadline"/>) and 和暦 (<see cref="DeadlineWareki"/>), the amount, whether a claim is needed, how to apply,
/// and why, in plain words; and, when the catalog lets the service be applied for in one step (申請不要), the application
/// already filled from the resident view (<see cref="OneStep"/>), which the resident only confirms.
/// </summary>
public sealed record ResidentOffer(
    string ServiceId,
    PlainText Name,
    DateOnly? Deadline,
    string? DeadlineWareki,
    long? AmountYen,
    string? AmountPeriod,
    bool AmountUpTo,
    bool NeedsClaim,
    HowToApply Apply,
    IReadOnlyList<PlainText> Reasons,
    PrefilledApplication? OneStep);

/// <summary>
/// What a resident sees of their case through their signed link: who sends it (the municipality and its portal's
/// domain, to check the message is genuine), the life event (its day in 西暦 and 和暦), the case's state, the resident's language (pages open in
/// it first), the link's last day, and the offers made to this resident only (never another resident's, nor any
/// other resident's data).
/// </summary>
public sealed record ResidentCaseView(
    string Tenant,
    string CaseId,
    string ResidentId,
    string Municipality,
    string PortalHost,
    string EventKind,
    PlainText EventName,
    DateOnly EventDate,
    string EventDateWareki,
    string State,
    string Outcome,
    string Language,
    DateOnly LinkLastDay,
    string LinkLastDayWareki,
    IReadOnlyList<ResidentOffer> Offers)
{
    /// <summary>
    /// The view of <paramref name="c"/> for one of its residents: the services they are a recipient of, most urgent first;
    /// one-step applications are filled from <paramref name="household"/> (the resident's household now) as of
    /// <paramref name="today"/> (Asia/Tokyo).
    /// </summary>
    public static ResidentCaseView For(TenantConfig tenant, CaseData c, string residentId, Catalog catalog, DateOnly linkLastDay, IReadOnlyList<Person> household, DateOnly today)
    {
        var offers = c.Matches
            .Where(m => m.RecipientIds.Contains(residentId, StringComparer.Ordinal))
            .OrderBy(m => m.Deadline ?? DateOnly.MaxValue)
            .ThenBy(m => m.ServiceId, StringComparer.Ordinal)
            .Select(m => Offer(c, m, catalog.Find(m.ServiceId), PrefilledApplication.For(catalog.Find(m.ServiceId), residentId, household, today)))
            .ToList();
        var language = c.Deliveries.Where(d => d.ResidentId == residentId).Select(d => d.Language).FirstOrDefault();
        return new ResidentCaseView(
            tenant.Code,
            c.CaseId,
            residentId,
            tenant.Name,
            new Uri(tenant.PortalBaseUrl).Host,
            c.Event.Kind.ToString(),
            ResidentReasons.EventName(c.Event.Kind),
            c.Event.EventDate,
            JapaneseDate.FormatWareki(c.Event.EventDate),
            c.State.ToString(),
            c.Outcome.ToString(),
            ResidentLanguages.Of(language),
            linkLastDay,
            JapaneseDate.FormatWareki(linkLastDay),
            offers);
    }

    /// <summary>True when a service the resident is offered in <paramref name="c"/> may be applied for in one step (the view then needs their household).</summary>
    public static bool OffersOneStep(CaseData c, string residentId, Catalog catalog) =>
        c.Matches.Any(m => m.RecipientIds.Contains(residentId, StringComparer.Ordinal) && catalog.Find(m.ServiceId)?.OneStepFields is not null);

    private static ResidentOffer Offer(CaseData c, ServiceMatch m, ServiceDefinition? service, PrefilledApplication? oneStep)
    {
        var names = service?.NamesOn(c.Event.EventDate);
        string Name(string language) => names is not null && names.TryGetValue(language, out var n) ? n : names?.GetValueOrDefault(ResidentLanguages.Japanese) ?? m.ServiceId;
        var amount = service?.VersionOn(c.Event.EventDate)?.Parts.FirstOrDefault(p => p.Id == m.Part)?.Amount;
        return new ResidentOffer(
            m.ServiceId,
            new PlainText(Name(ResidentLanguages.Japanese), Name(ResidentLanguages.Easy), Name(ResidentLanguages.English)),
            m.Deadline,
            m.Deadline is { } d ? JapaneseDate.FormatWareki(d) : null,
            m.AmountYen,
            m.AmountYen is null ? null : (amount?.Period ?? AmountPeriod.Once).ToString().ToLowerInvariant(),
            m.AmountYen is not null && amount?.UpTo == true,
            m.NeedsClaim,
            new HowToApply(service?.PortalUrl, service?.Counter, service?.Department),
            ResidentReasons.Explain(c.Event.Kind, c.Event.EventDate, m),
            oneStep);
    }
}
