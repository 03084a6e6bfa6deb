using Microsoft.Extensions.Logging;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Residents;

namespace PushGov.Infrastructure.Notifications.Outbox;

/// <summary>
/// A resident's "no more of these", honoured at once: an SMS reply STOP/配信停止 (withdraws SMS consent for every resident
/// we sent an SMS to that number, found through <see cref="SendIndex"/> without scanning tenants) or a one-click unsubscribe
/// of an e-mail (withdraws e-mail consent of that message's resident), or blocking the LINE account (withdraws LINE consent
/// of the residents linked to that LINE user). Each: <see cref="ICaseInbox.WithdrawConsentAsync"/>
/// (cancels every pending message on that channel, the cases re-route) and a contact fact with consent=false (source
/// "reply", "unsubscribe" or "line-unfollow"), which is newer than the drop's and so wins when recipients are next resolved.
/// </summary>
public sealed class OptOuts(SendIndex index, MessageStore messages, ICaseInbox cases, ResidentStore residents, TimeProvider clock, ILogger<OptOuts> logger)
{
    public const string ReplySource = "reply";
    public const string UnsubscribeSource = "unsubscribe";

    /// <summary>The resident blocked (unfollowed) the municipality's LINE account.</summary>
    public const string LineUnfollowSource = "line-unfollow";

    /// <summary>An inbound opt-out SMS from <paramref name="phone"/>; returns how many residents it concerned.</summary>
    public async Task<int> OptOutSmsAsync(string phone, CancellationToken ct)
    {
        var recipients = await index.SmsRecipientsAsync(phone, ct);
        foreach (var (tenant, residentId) in recipients)
        {
            await WithdrawAsync(tenant, residentId, Channel.Sms, SendIndex.NormalizePhone(phone), ReplySource, ct);
        }

        logger.LogInformation("SMS opt-out from {Phone}: {Residents} residents", Domain.Messaging.Masking.Mask(phone), recipients.Count);
        return recipients.Count;
    }

    /// <summary>One-click unsubscribe of the e-mail <paramref name="messageId"/>; false when there is no such e-mail.</summary>
    public async Task<bool> UnsubscribeAsync(string messageId, CancellationToken ct)
    {
        if (await index.TenantOfMessageAsync(messageId, ct) is not { } tenant
            || await messages.GetAsync(tenant, messageId, ct) is not { } row
            || row.Message.Channel != Channel.Email)
        {
            return false;
        }

        await WithdrawAsync(tenant, row.Message.ResidentId, Channel.Email, row.Message.To, UnsubscribeSource, ct);
        return true;
    }

    /// <summary>
    /// The LINE user <paramref name="userId"/> blocked the tenant's official account (<c>unfollow</c>): LINE consent of every
    /// resident linked to that user is withdrawn at once and their pending LINE messages cancelled. Returns how many residents.
    /// </summary>
    public async Task<int> UnfollowLineAsync(string tenant, IReadOnlyList<string> residentIds, string userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(residentIds);
        foreach (var residentId in residentIds)
        {
            await WithdrawAsync(tenant, residentId, Channel.Line, userId, LineUnfollowSource, ct);
        }

        return residentIds.Count;
    }

    private async Task WithdrawAsync(string tenant, string residentId, Channel channel, string address, string source, CancellationToken ct)
    {
        var language = (await residents.ContactsAsync(tenant, residentId, ct))
            .Where(c => c.Channel == channel)
            .OrderByDescending(c => c.ConsentedAt)
            .FirstOrDefault()?.Language;
        await residents.WriteContactsAsync(tenant, [new ContactRecord(residentId, channel, address, language, Consent: false, clock.GetUtcNow(), source)], ct);
        var cancelled = await cases.WithdrawConsentAsync(tenant, residentId, channel, ct);
        logger.LogInformation("Consent for {Channel} withdrawn ({Source}); {Cancelled} pending messages cancelled", channel, source, cancelled);
    }
}
