using PushGov.Domain.Drops;
using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;
using Microsoft.DurableTask.Client;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Residents;

namespace PushGov.Functions.Api;

/// <summary>
/// A resident's contact preferences, for the residents' portal (and staff, audited):
/// <code>
/// GET /api/tenants/{tenant}/residents/{residentId}/preferences   channels in effect (newest per channel), consent, language
/// PUT /api/tenants/{tenant}/residents/{residentId}/preferences   the resident's choices for the channels given
/// </code>
/// Choices are stored as contact facts with source "portal" and the time of the choice, so they win over any older drop
/// (the recipient resolver takes the newest record per channel). Channels not named in a PUT are left as they are;
/// a language given applies to every channel in effect. A withdrawal (consent true → false) is honoured at once:
/// messages to that channel not yet sent are cancelled and each case concerned is told.
/// </summary>
public static class PreferencesApi
{
    public const string PortalSource = "portal";

    /// <summary>One channel in effect: the newest record for it, from a drop or the portal.</summary>
    public sealed record ChannelPreference(string Channel, string Address, bool Consent, DateTimeOffset ConsentedAt, string Source, string? Language);

    public sealed record Preferences(string ResidentId, string? Language, bool TaxDataConsent, IReadOnlyList<ChannelPreference> Channels);

    /// <summary>A channel choice: <c>channel</c> is sms, email or post; the address is required when consenting.</summary>
    public sealed record ChannelUpdate(string? Channel, string? Address, bool? Consent);

    public sealed record PreferencesUpdate(string? Language, bool? TaxDataConsent, IReadOnlyList<ChannelUpdate>? Channels);

    internal static async Task<IResult> GetAsync(string tenant, string residentId, ResidentStore residents, CancellationToken ct)
    {
        if (!Problems.IsSafeId(residentId) || await residents.HouseholdOfAsync(tenant, residentId, ct) is null)
        {
            return Problems.NotFound("resident", residentId);
        }

        return Results.Ok(await ReadAsync(tenant, residentId, residents, ct));
    }

    internal static async Task<IResult> PutAsync(string tenant, string residentId, HttpContext http, ResidentStore residents, ICaseInbox cases, TimeProvider clock, ILogger<PreferencesUpdate> logger, CancellationToken ct)
    {
        if (!Problems.IsSafeId(residentId))
        {
            return Problems.NotFound("resident", residentId);
        }

        var (body, problem) = await Problems.ReadJsonAsync<PreferencesUpdate>(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var (choices, language, errors) = Validate(body!);
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }

        if (await residents.HouseholdOfAsync(tenant, residentId, ct) is null)
        {
            return Problems.NotFound("resident", residentId);
        }

        var now = clock.GetUtcNow();
        var before = Effective(await residents.ContactsAsync(tenant, residentId, ct));
        var writes = new Dictionary<Channel, ContactRecord>();
        foreach (var (channel, address, consent) in choices)
        {
            var keepAddress = address ?? (before.TryGetValue(channel, out var old) ? old.Address : string.Empty);
            writes[channel] = new ContactRecord(residentId, channel, keepAddress, language ?? (before.TryGetValue(channel, out var o) ? o.Language : null), consent, now, PortalSource);
        }

        if (language is not null)
        {
            foreach (var (channel, current) in before)
            {
                writes.TryAdd(channel, current with { Language = language, ConsentedAt = now, Source = PortalSource });
            }
        }

        await residents.WriteContactsAsync(tenant, writes.Values, ct);
        if (body!.TaxDataConsent is { } tax)
        {
            await residents.SetTaxConsentAsync(tenant, residentId, tax, now, ct);
        }

        var cancelled = 0;
        foreach (var (channel, record) in writes)
        {
            if (!record.Consent && before.TryGetValue(channel, out var was) && was.Consent)
            {
                cancelled += await cases.WithdrawConsentAsync(tenant, residentId, channel, ct);
                logger.LogInformation("Consent for {Channel} withdrawn through the portal ({Address}); {Cancelled} pending messages cancelled", channel, Masking.Mask(was.Address), cancelled);
            }
        }

        AuditApi.Note(http, residentIds: [residentId], detail: $"channels={string.Join(',', writes.Keys)} taxConsent={body.TaxDataConsent?.ToString() ?? "unchanged"} cancelled={cancelled}");
        return Results.Ok(await ReadAsync(tenant, residentId, residents, ct));
    }

    private static (List<(Channel Channel, string? Address, bool Consent)> Choices, string? Language, List<(string, string)> Errors) Validate(PreferencesUpdate body)
    {
        var errors = new List<(string, string)>();
        string? language = null;
        if (body.Language is { } lang)
        {
            // (The domain's patterns end in '$', which also matches before a final newline: control characters are refused here.)
            if (ContactAddress.IsLanguageTag(lang) && !lang.Any(char.IsControl))
            {
                language = ContactAddress.CanonicalLanguageTag(lang);
            }
            else
            {
                errors.Add(("language", "A BCP 47 language tag such as ja, en, zh-Hans, pt-BR or ja-x-easy."));
            }
        }

        var choices = new List<(Channel, string?, bool)>();
        var seen = new HashSet<Channel>();
        var list = body.Channels ?? [];
        if (list.Count > 3)
        {
            errors.Add(("channels", "At most one entry per channel (sms, email, post)."));
        }

        for (var i = 0; i < Math.Min(list.Count, 10); i++)
        {
            var c = list[i];
            var field = $"channels[{i}]";
            if (c is null)
            {
                errors.Add((field, "A channel entry is an object {channel, address, consent}."));
                continue;
            }

            if (ParseChannel(c.Channel) is not { } channel)
            {
                errors.Add(($"{field}.channel", "One of sms, email, post."));
                continue;
            }

            if (!seen.Add(channel))
            {
                errors.Add(($"{field}.channel", $"{channel} is given twice."));
                continue;
            }

            if (c.Consent is null)
            {
                errors.Add(($"{field}.consent", "true (the resident agrees to be contacted on this channel) or false."));
                continue;
            }

            string? address = null;
            if (c.Address is { } raw)
            {
                var text = raw.Trim();
                if (text.Any(char.IsControl) && channel != Channel.Post)
                {
                    errors.Add(($"{field}.address", "An address on one line, without control characters."));
                    continue;
                }

                string? problem = null;
                if (channel == Channel.Sms)
                {
                    problem = ContactAddress.TryNormalizeMobile(text, out var e164, out var why) ? null : $"A Japanese mobile number such as 090-1234-5678 ({why}).";
                    address = e164;
                }
                else if (channel == Channel.Email)
                {
                    problem = ContactAddress.IsEmail(text) ? null : "An e-mail address such as name@example.jp.";
                    address = text;
                }
                else
                {
                    problem = text.Length is > 0 and <= 200 && !text.Any(char.IsControl) ? null : "A postal address of 1 to 200 characters on one line.";
                    address = text;
                }

                if (problem is not null)
                {
                    errors.Add(($"{field}.address", problem));
                    continue;
                }
            }
            else if (c.Consent == true)
            {
                errors.Add(($"{field}.address", "An address is needed to consent to a channel."));
                continue;
            }

            choices.Add((channel, address, c.Consent.Value));
        }

        if (body.Language is null && body.TaxDataConsent is null && list.Count == 0)
        {
            errors.Add(("$", "Nothing to change: give language, taxDataConsent or channels."));
        }

        return (choices, language, errors);
    }

    /// <summary>sms, email or post (any case); nothing else (no numbers, no comma lists).</summary>
    public static Channel? ParseChannel(string? text) =>
        text is null ? null : Enum.GetValues<Channel>().Select(c => (Channel?)c).FirstOrDefault(c => c!.Value.ToString().Equals(text, StringComparison.OrdinalIgnoreCase));

    private static Dictionary<Channel, ContactRecord> Effective(IEnumerable<ContactRecord> records) =>
        records.GroupBy(r => r.Channel).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.ConsentedAt).ThenBy(r => r.Source == PortalSource ? 0 : 1).First());

    private static async Task<Preferences> ReadAsync(string tenant, string residentId, ResidentStore residents, CancellationToken ct)
    {
        var effective = Effective(await residents.ContactsAsync(tenant, residentId, ct));
        var channels = effective.Values.OrderBy(c => c.Channel)
            .Select(c => new ChannelPreference(c.Channel.ToString().ToLowerInvariant(), c.Address, c.Consent, c.ConsentedAt, c.Source, c.Language))
            .ToList();
        var language = effective.Values.OrderByDescending(c => c.ConsentedAt).Select(c => c.Language).FirstOrDefault(l => l is not null);
        return new Preferences(residentId, language, await residents.HasTaxConsentAsync(tenant, residentId, ct), channels);
    }
}

/// <summary>The routes of preferences (see <see cref="PreferencesApi"/>).</summary>
public sealed class PreferencesFunctions(ApiGate gate, ResidentStore residents, DurableCases cases, TimeProvider clock, ILogger<PreferencesApi.PreferencesUpdate> logger)
{
    [Function("GetPreferences")]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/residents/{residentId}/preferences")] HttpRequest req, string tenant, string residentId) =>
        gate.RunAsync(req, tenant, new Audit("preferences.read", ResidentId: residentId), CasesApi.PortalOrStaff, (_, ct) => PreferencesApi.GetAsync(tenant, residentId, residents, ct));

    [Function("PutPreferences")]
    public Task<IResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "tenants/{tenant}/residents/{residentId}/preferences")] HttpRequest req,
        string tenant,
        string residentId,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(req, tenant, new Audit("preferences.write", ResidentId: residentId), CasesApi.PortalOrStaff, (http, ct) =>
            PreferencesApi.PutAsync(tenant, residentId, http, residents, cases.Use(client), clock, logger, ct));
}
