using Microsoft.Extensions.Logging;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Residents;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Infrastructure.Notifications.Sending;

/// <summary>
/// A message whose channel the sender finds stopped for the tenant (<see cref="SendRoute.ChannelStopped"/>: LINE with its
/// monthly quota nearly or wholly spent) moves to the resident's next usable channel instead of failing: the channel is
/// chosen as the resolve step chooses (<see cref="RecipientResolver.ChooseChannel"/>: preferred channel, the tenant's
/// order, post last) without the stopped one, read afresh; the replacement's id (its idempotency key) is derived from the
/// original's (<see cref="MessageIds.Rerouted"/>), so a repeated attempt makes the same one. The case decides
/// (<see cref="DeliveryRerouted"/>): it cancels the original and sends the replacement, one message per resident and
/// purpose; the effect that cancels the original says why on its row (<see cref="MessageRecord.LastError"/>
/// "superseded by …", <see cref="CancelMessage.Superseded"/>).
/// When no channel is usable, or the case does not take it (the message is not one of its pending deliveries, e.g. a
/// staff resend), nothing is changed and the sender fails the message as before: the case goes to staff.
/// </summary>
public sealed class ChannelFallback(ResidentStore residents, TenantDirectory tenants, ICaseInbox cases, ILogger<ChannelFallback> logger)
{
    /// <summary>True when the case took a replacement for <paramref name="message"/> (the original is then cancelled).</summary>
    public async Task<bool> TryRerouteAsync(MessageRecord message, string why, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var tenant = await tenants.FindAsync(message.Tenant, ct);
        var household = await residents.HouseholdOfAsync(message.Tenant, message.ResidentId, ct);
        var person = household is null ? null : (await residents.HouseholdAsync(message.Tenant, household, ct)).FirstOrDefault(p => p.ResidentId == message.ResidentId);
        if (tenant is null || person is not { Status: RegistryStatus.Registered })
        {
            return false;
        }

        var contacts = await residents.ContactsAsync(message.Tenant, message.ResidentId, ct);
        var preferred = await residents.PreferredChannelAsync(message.Tenant, message.ResidentId, ct);
        var order = RecipientResolver.ChannelOrderFor(tenant.ChannelOrder, preferred);
        if (RecipientResolver.ChooseChannel(person, contacts, order, ch => ch == message.Channel) is not { } next)
        {
            logger.LogWarning("{Channel} stopped and no other channel is usable for the resident", message.Channel);
            return false;
        }

        var replacement = new Delivery(
            MessageIds.Rerouted(message.MessageId, next.Channel),
            message.ResidentId,
            next.Channel,
            next.Address,
            RecipientResolver.LanguageOf(contacts),
            message.ServiceIds,
            message.Purpose,
            GivenName: person.GivenName,
            FamilyName: person.FamilyName,
            GivenNameKana: person.GivenNameKana,
            FamilyNameKana: person.FamilyNameKana);
        var reason = $"{Name(message.Channel)} → {Name(next.Channel)}: {why}";
        var decision = await cases.SendAsync(message.Tenant, message.CaseId, new DeliveryRerouted(message.MessageId, replacement, reason), ct);
        if (decision is null || decision.State.Deliveries.All(d => d.MessageId != replacement.MessageId))
        {
            logger.LogWarning("The case did not take a replacement for the {Channel} message ({Reason})", message.Channel, decision?.RefusedBecause ?? "unknown case");
            return false;
        }

        logger.LogInformation("{From} stopped for the tenant: the message moved to {To} ({Replacement})", message.Channel, next.Channel, replacement.MessageId);
        return true;
    }

    private static string Name(Channel channel) => channel.ToString().ToLowerInvariant();
}
