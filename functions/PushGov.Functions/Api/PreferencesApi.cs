using Microsoft.DurableTask.Client;
using PushGov.Domain.Cases;
using PushGov.Domain.Drops;
using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;
using PushGov.Domain.Serialization;
using PushGov.Functions.Cases;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Tenants;

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
/// <c>preferredChannel</c> (line, sms or email; none clears it) is tried first, before the tenant's channel order, while
/// the resident has consented to it; choosing a channel they have no consented address for (after this request's channel
/// changes), or one the municipality does not send on, is a 400. A later withdrawal keeps the choice but it is not used
/// until consent is given again.
/// </summary>
public static class PreferencesApi
{
    public const string PortalSource = "portal";

    /// <summary>The <c>preferredChannel</c> that clears the choice: the tenant's order alone.</summary>
    public const string NoPreference = "none";

    /// <summary>One channel in effect: the newest record for it, from a drop or the portal.</summary>
    public sealed record ChannelPreference(string Channel, string Address, bool Consent, DateTimeOffset ConsentedAt, string Source, string? Language);

    /// <summary><c>PreferredChannel</c>: line, sms or email, or null (none chosen: the tenant's order).</summary>
    public sealed record Preferences(string ResidentId, string? Language, bool TaxDataConsent, IReadOnlyList<ChannelPreference> Channels, string? PreferredChannel);

    /// <summary>
    /// A channel choice: <c>channel</c> is sms, email, post or line; the address is required when consenting. LINE is only
    /// withdrawn here (<c>{"channel": "line", "consent": false}</c>): it is given by linking the LINE account (line-link).
    /// </summary>
    public sealed record ChannelUpdate(string? Channel, string? Address, bool? Consent);

    /// <summary><c>PreferredChannel</c>: line, sms or email to try first, none to clear; absent or null leaves it.</summary>
    public sealed record PreferencesUpdate(string? Language, bool? TaxDataConsent, IReadOnlyList<ChannelUpdate>? Channels, string? PreferredChannel = null);

    /// <summary>A valid <c>preferredChannel</c> of a request: the channel, or null to clear the choice.</summary>
    private sealed record PreferenceChoice(Channel? Channel);

    internal static async Task<IResult> GetAsync(string tenant, string residentId, ResidentStore residents, CancellationToken ct)
    {
        if (!Problems.IsSafeId(residentId) || await residents.HouseholdOfAsync(tenant, residentId, ct) is null)
        {
            return Problems.NotFound("resident", residentId);
        }

        return Results.Ok(await ReadAsync(tenant, residentId, residents, ct));
    }

    internal static async Task<IResult> PutAsync(string tenant, string residentId, HttpContext http, ResidentStore residents, ICaseInbox cases, TenantDirectory tenants, TimeProvider clock, ILogger<PreferencesUpdate> logger, CancellationToken ct)
    {
        if (!Problems.IsSafeId(residentId))
        {
            return Problems.NotFound("resident", residentId);
        }

        var (body, problem) = await Problems.ReadJsonAsync<PreferencesUpdate>(http, ApiContract.PutPreferences, ct);
        if (problem is not null)
        {
            return problem;
        }

        var (choices, language, preferred, errors) = Validate(body!);
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }

        if (await residents.HouseholdOfAsync(tenant, residentId, ct) is null || await tenants.FindAsync(tenant, ct) is not { } config)
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

        if (preferred is { Channel: { } wanted } && PreferenceProblem(wanted, config.ChannelOrder, [.. before.Values.Where(c => !writes.ContainsKey(c.Channel)), .. writes.Values]) is { } refused)
        {
            return Problems.Validation(("preferredChannel", refused));
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

        if (preferred is { } choice)
        {
            await residents.SetPreferredChannelAsync(tenant, residentId, choice.Channel, now, ct);
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

        AuditApi.Note(http, residentIds: [residentId], detail: $"channels={string.Join(',', writes.Keys)} taxConsent={body.TaxDataConsent?.ToString() ?? "unchanged"} preferred={(preferred is { } p ? p.Channel?.ToString() ?? NoPreference : "unchanged")} cancelled={cancelled}");
        return Results.Ok(await ReadAsync(tenant, residentId, residents, ct));
    }

    /// <summary>
    /// Why <paramref name="channel"/> cannot be the preferred one, given the tenant's order and the resident's contact
    /// records as they will be after this request; null when it can.
    /// </summary>
    private static string? PreferenceProblem(Channel channel, IReadOnlyList<Channel> tenantOrder, IReadOnlyList<ContactRecord> after)
    {
        var name = channel.ToString().ToLowerInvariant();
        if (!tenantOrder.Contains(channel))
        {
            return $"This municipality does not send on {name} (its channels: {string.Join(", ", tenantOrder.Select(c => c.ToString().ToLowerInvariant()))}).";
        }

        return RecipientResolver.HasConsent(after, channel) ? null
            : channel == Channel.Line ? "LINE is not linked with consent for this resident: link the LINE account first (POST …/line-link), then choose it."
            : $"The resident has no {name} address they consented to: give one with consent true in channels (in this request or before), or choose another channel.";
    }

    private static (List<(Channel Channel, string? Address, bool Consent)> Choices, string? Language, PreferenceChoice? Preferred, List<(string, string)> Errors) Validate(PreferencesUpdate body)
    {
        var errors = new List<(string, string)>();
        PreferenceChoice? preferred = null;
        if (body.PreferredChannel is { } wanted)
        {
            if (wanted == NoPreference)
            {
                preferred = new(null);
            }
            else if (ParseChannel(wanted) is { } channel and not Channel.Post)
            {
                preferred = new(channel);
            }
            else
            {
                errors.Add(("preferredChannel", "One of line, sms, email (tried first), or none (the municipality's order). Post is not a preference: it is always the last resort."));
            }
        }

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
        if (list.Count > 4)
        {
            errors.Add(("channels", "At most one entry per channel (sms, email, post, line)."));
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
                errors.Add(($"{field}.channel", "One of sms, email, post, line."));
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

            if (channel == Channel.Line && (c.Address is not null || c.Consent == true))
            {
                errors.Add(($"{field}.{(c.Address is not null ? "address" : "consent")}", "LINE is linked through LINE's account link (POST …/line-link), not set here; here it can only be withdrawn (consent false)."));
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

        if (body.Language is null && body.TaxDataConsent is null && list.Count == 0 && body.PreferredChannel is null)
        {
            errors.Add(("$", "Nothing to change: give language, taxDataConsent, channels or preferredChannel."));
        }

        return (choices, language, preferred, errors);
    }

    /// <summary>sms, email, post or line, exactly (lowercase); nothing else (no numbers, no comma lists, no other case).</summary>
    public static Channel? ParseChannel(string? text) =>
        EnumNames.TryParse<Channel>(text, out var channel, EnumNames.Lower) ? channel : null;

    private static Dictionary<Channel, ContactRecord> Effective(IEnumerable<ContactRecord> records) =>
        records.GroupBy(r => r.Channel).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.ConsentedAt).ThenBy(r => r.Source == PortalSource ? 0 : 1).First());

    private static async Task<Preferences> ReadAsync(string tenant, string residentId, ResidentStore residents, CancellationToken ct)
    {
        var effective = Effective(await residents.ContactsAsync(tenant, residentId, ct));
        var channels = effective.Values.OrderBy(c => c.Channel)
            .Select(c => new ChannelPreference(c.Channel.ToString().ToLowerInvariant(), c.Address, c.Consent, c.ConsentedAt, c.Source, c.Language))
            .ToList();
        var language = effective.Values.OrderByDescending(c => c.ConsentedAt).Select(c => c.Language).FirstOrDefault(l => l is not null);
        var preferred = await residents.PreferredChannelAsync(tenant, residentId, ct);
        return new Preferences(residentId, language, await residents.HasTaxConsentAsync(tenant, residentId, ct), channels, preferred?.ToString().ToLowerInvariant());
    }
}

/// <summary>A resident's preferences as HTTP functions; a withdrawal reaches the cases at once, so PUT binds the Durable client.</summary>
public sealed class PreferencesFunctions(ApiGate gate, ResidentStore residents, DurableCases cases, TenantDirectory tenants, TimeProvider clock, ILogger<PreferencesApi.PreferencesUpdate> logger)
{
    [Function("GetPreferences")]
    public Task<IResult> GetPreferences([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/residents/{residentId}/preferences")] HttpRequest req, string tenant, string residentId) =>
        gate.RunAsync(req, ApiContract.GetPreferences, new { tenant, residentId }, (http, ct) => PreferencesApi.GetAsync(tenant, residentId, residents, ct));

    [Function("PutPreferences")]
    public Task<IResult> PutPreferences([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "tenants/{tenant}/residents/{residentId}/preferences")] HttpRequest req, string tenant, string residentId, [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(req, ApiContract.PutPreferences, new { tenant, residentId }, (http, ct) => PreferencesApi.PutAsync(tenant, residentId, http, residents, cases.Use(client), tenants, clock, logger, ct));
}
