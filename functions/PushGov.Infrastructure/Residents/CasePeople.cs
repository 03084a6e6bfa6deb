using PushGov.Domain.Cases;
using PushGov.Domain.Residents;

namespace PushGov.Infrastructure.Residents;

/// <summary>A contact address of a resident and whether they consented to proactive contact on it.</summary>
public sealed record ContactView(string Channel, string Address, bool Consent, string? Language, DateTimeOffset ConsentedAt, string Source);

/// <summary>
/// One person a case concerns, in clear: personal data. Only the audited staff read returns it.
/// <see cref="Roles"/>: <c>subject</c> (the person of the event), <c>recipient</c> (told about a service), <c>messaged</c>.
/// </summary>
public sealed record PersonView(
    string ResidentId,
    IReadOnlyList<string> Roles,
    string FamilyName,
    string GivenName,
    string? FamilyNameKana,
    string? GivenNameKana,
    string BirthDate,
    string Relationship,
    string Status,
    string? PostalCode,
    string? Address,
    IReadOnlyList<ContactView> Contacts);

/// <summary>The people of one case of one tenant: the event's resident, every recipient and every messaged resident.</summary>
public sealed class CasePeople(ICaseReader cases, ResidentStore residents)
{
    /// <summary>The people, or null when the tenant has no such case. Residents no longer in the view are left out.</summary>
    public async Task<IReadOnlyList<PersonView>?> ReadAsync(string tenant, string caseId, CancellationToken ct)
    {
        var c = await cases.GetAsync(tenant, caseId, ct);
        if (c is null)
        {
            return null;
        }

        var roles = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Role(string id, string role)
        {
            if (!roles.TryGetValue(id, out var list))
            {
                roles[id] = list = [];
            }

            if (!list.Contains(role))
            {
                list.Add(role);
            }
        }

        Role(c.Event.ResidentId, "subject");
        foreach (var id in c.Matches.SelectMany(m => m.RecipientIds))
        {
            Role(id, "recipient");
        }

        foreach (var d in c.Deliveries)
        {
            Role(d.ResidentId, "messaged");
        }

        var households = new Dictionary<string, IReadOnlyList<Person>>(StringComparer.Ordinal);
        var people = new List<PersonView>();
        foreach (var (id, personRoles) in roles)
        {
            var household = await residents.HouseholdOfAsync(tenant, id, ct) ?? c.Event.HouseholdId;
            if (!households.TryGetValue(household, out var members))
            {
                households[household] = members = await residents.HouseholdAsync(tenant, household, ct);
            }

            if (members.FirstOrDefault(p => p.ResidentId == id) is not { } person)
            {
                continue;
            }

            var contacts = (await residents.ContactsAsync(tenant, id, ct))
                .GroupBy(x => x.Channel)
                .Select(g => g.OrderByDescending(x => x.ConsentedAt).First())
                .OrderBy(x => x.Channel)
                .Select(x => new ContactView(x.Channel.ToString().ToLowerInvariant(), x.Address, x.Consent, x.Language, x.ConsentedAt, x.Source))
                .ToList();
            people.Add(new PersonView(id, personRoles, person.FamilyName, person.GivenName, person.FamilyNameKana, person.GivenNameKana,
                person.BirthDate.ToString(), person.Relationship, person.Status.ToString(), person.PostalCode, person.Address, contacts));
        }

        return people;
    }
}
