using System.Text.Json;
using PushGov.Domain.Serialization;

namespace PushGov.Infrastructure.Notifications.Outbox;

/// <summary>A message on <c>send</c>: the message id only; the sender reloads the row (GOV.UK Notify's pattern).</summary>
public sealed record SendQueueMessage(string Tenant, string MessageId)
{
    public string ToJson() => JsonSerializer.Serialize(this, PushGovJson.Options);

    public static SendQueueMessage Parse(string json) =>
        JsonSerializer.Deserialize<SendQueueMessage>(json, PushGovJson.Options) is { Tenant.Length: > 0, MessageId.Length: > 0 } m
            ? m
            : throw new FormatException("A send message needs a tenant and a message id.");
}
