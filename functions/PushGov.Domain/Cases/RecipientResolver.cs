using PushGov.Domain.Residents;

namespace PushGov.Domain.Cases;

/// <summary>
/// The resolve step: who is told, on which channel, in which language. Consent first: a digital channel is used
/// only with the resident's consent for it, newest choice winning (a portal choice over an older drop; withdrawing
/// LINE consent in the portal or blocking the account takes LINE out). The digital channels are tried in the order
/// <see cref="ChannelOrderFor"/> gives: the resident's preferred channel (<see cref="HouseholdSnapshot.PreferredChannels"/>)
/// first, then the tenant's <see cref="Tenants.TenantConfig.ChannelOrder"/> (default LINE, where the resident linked it,
/// then SMS — municipal pilots see 30–34% act on it — then e-mail), skipping channels not available to the tenant now
/// (LINE not connected, or its monthly quota nearly spent); with none, a postal letter to the registered address. The
/// dead and those who left the registry are never recipients.
/// </summary>
public static class RecipientResolver
{
    public static IReadOnlyList<Delivery> Resolve(
        CaseData c,
        HouseholdSnapshot household,
        IReadOnlyList<ContactRecord> contacts,
        IReadOnlySet<(string ResidentId, Channel Channel)>? excluded = null,
        IReadOnlyList<Channel>? order = null,
        IReadOnlySet<Channel>? unavailable = null)
    {
        var deliveries = new List<Delivery>();
        var recipients = c.Matches.SelectMany(m => m.RecipientIds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var residentId in recipients)
        {
            var person = household.Find(residentId);
            if (person is null || person.Status != RegistryStatus.Registered)
            {
                continue;
            }

            var services = c.Matches.Where(m => m.RecipientIds.Contains(residentId)).Select(m => m.ServiceId).ToList();
            var own = contacts.Where(x => x.ResidentId == residentId).ToList();
            var preferred = household.PreferredChannels.TryGetValue(residentId, out var p) ? p : (Channel?)null;
            var choice = ChooseChannel(person, own, ChannelOrderFor(order, preferred), ch => unavailable?.Contains(ch) == true || excluded?.Contains((residentId, ch)) == true);
            if (choice is { } chosen)
            {
                deliveries.Add(new Delivery(MessageIds.For(c.MessageKey, Purposes.Initial, residentId, chosen.Channel), residentId, chosen.Channel, chosen.Address, LanguageOf(own), services, Purposes.Initial, GivenName: person.GivenName, FamilyName: person.FamilyName, GivenNameKana: person.GivenNameKana, FamilyNameKana: person.FamilyNameKana));
            }
        }

        return deliveries;
    }

    /// <summary>
    /// The digital channels in the order they are tried for one resident: their <paramref name="preferred"/> channel first
    /// when the tenant's <paramref name="tenantOrder"/> uses it (a channel the tenant left out is never used), then the
    /// tenant's order. Post is never in it: it is always the last resort.
    /// </summary>
    public static IReadOnlyList<Channel> ChannelOrderFor(IReadOnlyList<Channel>? tenantOrder, Channel? preferred)
    {
        var order = (tenantOrder ?? Tenants.TenantConfig.DefaultChannelOrder).Where(ch => ch != Channel.Post).ToList();
        return preferred is { } first && order.Remove(first) ? [first, .. order] : order;
    }

    /// <summary>
    /// One resident's channel and address: the first digital channel of <paramref name="order"/> they consented to (newest
    /// record per channel) and that is not <paramref name="skip"/>ped; else post, to a consented postal address or the
    /// registered one, unless post is skipped or there is no address. Null: no channel is usable.
    /// </summary>
    public static (Channel Channel, string Address)? ChooseChannel(Person person, IEnumerable<ContactRecord> contacts, IReadOnlyList<Channel> order, Func<Channel, bool> skip)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(skip);
        var current = Current(contacts.Where(x => x.ResidentId == person.ResidentId));
        var digital = order
            .Where(ch => ch != Channel.Post && !skip(ch))
            .Select(ch => current.GetValueOrDefault(ch))
            .FirstOrDefault(x => x is { Consent: true } && !string.IsNullOrEmpty(x.Address));
        if (digital is not null)
        {
            return (digital.Channel, digital.Address);
        }

        var post = current.GetValueOrDefault(Channel.Post) is { Consent: true } p ? p.Address : PostalAddress(person);
        return post is not null && !skip(Channel.Post) ? (Channel.Post, post) : null;
    }

    /// <summary>Whether the resident has an address they consented to on <paramref name="channel"/> (newest record wins).</summary>
    public static bool HasConsent(IEnumerable<ContactRecord> contacts, Channel channel) =>
        Current(contacts).GetValueOrDefault(channel) is { Consent: true, Address.Length: > 0 };

    /// <summary>The language of the resident's newest contact record that names one; Japanese when none does.</summary>
    public static string LanguageOf(IEnumerable<ContactRecord> contacts) =>
        Current(contacts).Values.OrderByDescending(x => x.ConsentedAt).Select(x => x.Language).FirstOrDefault(l => !string.IsNullOrEmpty(l)) ?? "ja";

    /// <summary>The newest record per channel (a withdrawal newer than a consent wins).</summary>
    private static Dictionary<Channel, ContactRecord> Current(IEnumerable<ContactRecord> records) =>
        records.GroupBy(r => r.Channel).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.ConsentedAt).First());

    /// <summary>The registered address as a postal address: 〒 code on the first line, the address on the second.</summary>
    public static string? PostalAddress(Person person) =>
        string.IsNullOrWhiteSpace(person.Address) ? null : $"{person.PostalCode}\n{person.Address}";
}
