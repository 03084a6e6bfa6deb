using PushGov.Domain.Residents;

namespace PushGov.Domain.Cases;

/// <summary>
/// The resolve step: who is told, on which channel, in which language. Consent first: a digital channel is used
/// only with the resident's consent for it, newest choice winning (a portal choice over an older drop; withdrawing
/// LINE consent in the portal or blocking the account takes LINE out). The digital channels are tried in the tenant's
/// <see cref="Tenants.TenantConfig.ChannelOrder"/> (default LINE, where the resident linked it, then SMS — municipal
/// pilots see 30–34% act on it — then e-mail), skipping channels not available to the tenant now (LINE not connected,
/// or its monthly quota nearly spent); with none, a postal letter to the registered address. The dead and those who
/// left the registry are never recipients.
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
        var digitalOrder = (order ?? Tenants.TenantConfig.DefaultChannelOrder).Where(ch => ch != Channel.Post && unavailable?.Contains(ch) != true).ToList();
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
            var current = Current(contacts.Where(x => x.ResidentId == residentId));
            var language = current.Values.Select(x => x.Language).FirstOrDefault(l => !string.IsNullOrEmpty(l)) ?? "ja";

            var digital = digitalOrder
                .Select(ch => current.GetValueOrDefault(ch))
                .FirstOrDefault(x => x is { Consent: true } && excluded?.Contains((residentId, x.Channel)) != true);
            if (digital is not null)
            {
                deliveries.Add(new Delivery(MessageIds.For(c.MessageKey, Purposes.Initial, residentId, digital.Channel), residentId, digital.Channel, digital.Address, language, services, Purposes.Initial, GivenName: person.GivenName, FamilyName: person.FamilyName, GivenNameKana: person.GivenNameKana, FamilyNameKana: person.FamilyNameKana));
                continue;
            }

            var post = current.GetValueOrDefault(Channel.Post) is { Consent: true } p ? p.Address : PostalAddress(person);
            if (post is not null && excluded?.Contains((residentId, Channel.Post)) != true)
            {
                deliveries.Add(new Delivery(MessageIds.For(c.MessageKey, Purposes.Initial, residentId, Channel.Post), residentId, Channel.Post, post, language, services, Purposes.Initial, GivenName: person.GivenName, FamilyName: person.FamilyName, GivenNameKana: person.GivenNameKana, FamilyNameKana: person.FamilyNameKana));
            }
        }

        return deliveries;
    }

    /// <summary>The newest record per channel (a withdrawal newer than a consent wins).</summary>
    private static Dictionary<Channel, ContactRecord> Current(IEnumerable<ContactRecord> records) =>
        records.GroupBy(r => r.Channel).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.ConsentedAt).First());

    /// <summary>The registered address as a postal address: 〒 code on the first line, the address on the second.</summary>
    public static string? PostalAddress(Person person) =>
        string.IsNullOrWhiteSpace(person.Address) ? null : $"{person.PostalCode}\n{person.Address}";
}
