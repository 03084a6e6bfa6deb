using Microsoft.Extensions.Logging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Sending;

namespace PushGov.Infrastructure.Notifications.DeliveryReports;

/// <summary>What became of one delivery report.</summary>
public enum ReportOutcome
{
    /// <summary>The message's status changed (and the case was told when the status is final).</summary>
    Applied,

    /// <summary>Nothing to change: the same status, an unknown provider value, or the message had already ended.</summary>
    Ignored,

    /// <summary>No message has this provider id (yet).</summary>
    UnknownMessage,
}

/// <summary>
/// Applies provider delivery reports (ACS via Event Grid, the domestic aggregator's callbacks) to the messages table: finds
/// the message by the provider's id (<see cref="SendIndex"/>, one point read), maps the provider's status through
/// <see cref="ProviderStatusMap"/>, changes the row with an ETag (retrying on a conflict) and tells the case a final status.
/// Only a message still 'sending' changes: a late or repeated report of a message that has ended changes nothing, so
/// reports are idempotent and may come in any order.
/// </summary>
public sealed class DeliveryReportHandler(SendIndex index, MessageStore messages, SendWorker worker, TimeProvider clock, ILogger<DeliveryReportHandler> logger)
{
    public async Task<ReportOutcome> ApplyAsync(string providerMessageId, NotificationStatus? status, string rawStatus, string? detail, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        if (await index.FindProviderIdAsync(providerMessageId, ct) is not { } at)
        {
            return ReportOutcome.UnknownMessage;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["tenant"] = at.Tenant, ["messageId"] = at.MessageId });
        if (status is null)
        {
            logger.LogWarning("Delivery report with a status the map does not know: {Status}", rawStatus);
            return ReportOutcome.Ignored;
        }

        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await messages.GetAsync(at.Tenant, at.MessageId, ct) is not { } row)
            {
                return ReportOutcome.UnknownMessage;
            }

            var (message, etag) = row;
            if (message.Status != NotificationStatus.Sending || status == NotificationStatus.Sending)
            {
                return ReportOutcome.Ignored;
            }

            var failed = status.Value.IsFailed();
            var next = message with
            {
                Status = status.Value,
                ProviderMessageId = message.ProviderMessageId ?? providerMessageId,
                LastError = failed ? $"{rawStatus}{(string.IsNullOrWhiteSpace(detail) ? string.Empty : ": " + Providers.HttpSendAnswers.Redact(detail))}" : null,
                UpdatedAt = clock.GetUtcNow(),
            };
            if (await messages.TryUpdateAsync(next, etag, ct) is null)
            {
                continue;
            }

            logger.LogInformation("Delivery report: {Status}", status.Value.ToWireName());
            if (status.Value.IsFinal())
            {
                await worker.ReportToCaseAsync(next, ct);
            }

            return ReportOutcome.Applied;
        }

        throw new InvalidOperationException("The message kept changing while a delivery report was applied.");
    }
}
