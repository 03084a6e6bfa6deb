using System.Text.Json.Nodes;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;

namespace PushGov.Infrastructure.Notifications.Providers.Line;

/// <summary>
/// Sends a LINE message: a push to the resident's LINE user id (the message's address) of the text, then a card whose
/// button opens the resident's case page. Every attempt of one message carries the same <c>X-Line-Retry-Key</c> (a
/// UUID derived from the idempotency key), so a retry after a timeout never delivers twice: LINE answers 409 to a key it
/// accepted, which counts as sent. Answers map through <see cref="ProviderStatusMap"/> (source LinePush): 200 and 409
/// are delivered (push has no delivery report), 429 waits and retries (a "monthly limit" 429 first marks the tenant's
/// quota spent, so the retry finds LINE stopped and the message moves to the resident's next channel), 5xx and timeouts retry.
/// </summary>
public sealed class LineSender(LineClient client, LineQuota quota) : IMessageSender
{
    public const string ProviderName = "line";

    public string Provider => ProviderName;

    /// <summary>The X-Line-Retry-Key of a message's idempotency key: the same on every attempt.</summary>
    public static Guid RetryKeyFor(string idempotencyKey) => DeterministicIds.FromKey(ProviderName, idempotencyKey);

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel.Line)
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: channel {message.Channel} is not LINE"));
        }

        if (!client.IsConfigured(message.Tenant))
        {
            return Task.FromResult(new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: not configured for this tenant"));
        }

        return HttpSendAnswers.GuardAsync(ProviderName, () => SendOnceAsync(message, cancellationToken), cancellationToken);
    }

    /// <summary>The message objects of one push: the text, then (when the message has one) the card with its button.</summary>
    public static JsonArray Messages(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var messages = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = message.TextBody } };
        if (message.ActionUrl is { Length: > 0 } url && message.ActionLabel is { Length: > 0 } label)
        {
            messages.Add(new JsonObject
            {
                ["type"] = "flex",
                ["altText"] = label,
                ["contents"] = new JsonObject
                {
                    ["type"] = "bubble",
                    ["size"] = "kilo",
                    ["footer"] = new JsonObject
                    {
                        ["type"] = "box",
                        ["layout"] = "vertical",
                        ["contents"] = new JsonArray
                        {
                            new JsonObject
                            {
                                ["type"] = "button",
                                ["style"] = "primary",
                                ["action"] = new JsonObject { ["type"] = "uri", ["label"] = label, ["uri"] = url },
                            },
                        },
                    },
                },
            });
        }

        return messages;
    }

    private async Task<SendResult> SendOnceAsync(OutgoingMessage message, CancellationToken ct)
    {
        var answer = await client.PushAsync(message.Tenant, message.To, Messages(message), RetryKeyFor(message.IdempotencyKey), ct);
        var monthly = answer.Status == 429 && answer.ErrorMessage?.Contains("monthly limit", StringComparison.OrdinalIgnoreCase) == true;
        var key = monthly ? "monthly-limit" : answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var status = ProviderStatusMap.Lookup(ProviderAnswerSource.LinePush, key);
        var detail = $"{ProviderName}: HTTP {answer.Status}" + (answer.ErrorMessage is { Length: > 0 } m ? " " + HttpSendAnswers.Redact(m) : string.Empty);
        switch (status)
        {
            case NotificationStatus.Delivered:
                return SendResult.Accepted(answer.Status == 409 ? answer.AcceptedRequestId ?? answer.RequestId : answer.RequestId);
            case NotificationStatus.Created when answer.Status == 429:
                if (monthly)
                {
                    // LINE is stopped for the tenant: the retry finds it so and moves the message to the next channel.
                    await quota.MarkSpentAsync(message.Tenant, ct);
                }

                // LINE sends no Retry-After: a short wait with jitter, so throttled workers do not come back in step.
                return new SendResult(SendOutcome.Throttled, RetryAfter: answer.RetryAfter ?? TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(2000)), Detail: detail);
            case NotificationStatus.Created:
                return new SendResult(SendOutcome.TransientFailure, RetryAfter: answer.RetryAfter, Detail: detail);
            default:
                return new SendResult(SendOutcome.PermanentFailure, Detail: detail);
        }
    }
}
