using PushGov.Domain.Cases;
using PushGov.Domain.Eligibility;
using PushGov.Infrastructure.Notifications.Providers.Line;
using PushGov.Infrastructure.Residents;

namespace PushGov.Infrastructure.Cases;

/// <summary>
/// The I/O steps of a case: <c>match</c> reads the household from the resident view and asks eligibility;
/// <c>resolve</c> reads the recipients' contacts and consent and picks channel and language, in the tenant's channel order
/// and without LINE while the tenant's LINE is not available (<see cref="LineQuota"/>).
/// </summary>
public sealed class CaseActivities(ResidentStore residents, IEligibility eligibility, Tenants.TenantDirectory? tenants = null, LineQuota? line = null)
{
    public async Task<CaseSettings> SettingsForAsync(string tenant, CancellationToken ct) =>
        tenants is not null && await tenants.FindAsync(tenant, ct) is { } t
            ? new CaseSettings { ReminderDaysBeforeDeadline = t.ReminderDaysBeforeDeadline, EscalateDaysBeforeDeadline = t.EscalateDaysBeforeDeadline }
            : CaseSettings.Default;

    public async Task<CaseInput> RunAsync(string step, CaseData c, CancellationToken ct)
    {
        switch (step)
        {
            case RunStep.Match:
                var read = await residents.SnapshotAsync(c.Tenant, c.Event.HouseholdId, c.Event.RelatedResidentIds, ct);
                return new MatchCompleted(eligibility.Match(c.Tenant, c.Event, read.Snapshot));
            case RunStep.Resolve:
                var recipients = c.Matches.SelectMany(m => m.RecipientIds).Distinct(StringComparer.Ordinal).ToList();
                var (household, contacts) = await residents.SnapshotAsync(c.Tenant, c.Event.HouseholdId, recipients, ct);
                var others = recipients.Where(r => household.Find(r) is null).ToList();
                var members = household.Members.ToList();
                foreach (var other in others)
                {
                    // A recipient in another household (e.g. a parent living apart): read their household too.
                    if (await residents.HouseholdOfAsync(c.Tenant, other, ct) is { } hh)
                    {
                        members.AddRange((await residents.HouseholdAsync(c.Tenant, hh, ct)).Where(p => p.ResidentId == other));
                    }
                }

                var tenant = tenants is null ? null : await tenants.FindAsync(c.Tenant, ct);
                var lineAvailable = tenant is not null && line is not null && await line.IsAvailableAsync(tenant, ct);
                IReadOnlySet<Domain.Residents.Channel> unavailable = lineAvailable ? new HashSet<Domain.Residents.Channel>() : new HashSet<Domain.Residents.Channel> { Domain.Residents.Channel.Line };
                return new RecipientsResolved(RecipientResolver.Resolve(c, household with { Members = members }, contacts, order: tenant?.ChannelOrder, unavailable: unavailable));
            default:
                throw new InvalidOperationException($"Unknown step '{step}'.");
        }
    }
}
