using System.Text.Json;
using PushGov.Domain.Cases;
using PushGov.Domain.Serialization;

namespace PushGov.Infrastructure.Cases;

/// <summary>
/// A message on <c>case-steps</c>: ids and the step or input only (never personal data). The handler reloads the case
/// and does nothing if the case has moved on, so a repeat is harmless.
/// </summary>
public sealed record CaseStepMessage(string Tenant, string CaseId, string? Step = null, CaseInput? Input = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, PushGovJson.Options);

    public static CaseStepMessage Parse(string json) =>
        JsonSerializer.Deserialize<CaseStepMessage>(json, PushGovJson.Options) is { Tenant.Length: > 0, CaseId.Length: > 0 } m
            ? m
            : throw new FormatException("A case step message needs a tenant and a case id.");
}

/// <summary>A message on <c>send</c>: the message id only; the sender reloads the row (GOV.UK Notify's pattern).</summary>
public sealed record SendQueueMessage(string Tenant, string MessageId)
{
    public string ToJson() => JsonSerializer.Serialize(this, PushGovJson.Options);

    public static SendQueueMessage Parse(string json) =>
        JsonSerializer.Deserialize<SendQueueMessage>(json, PushGovJson.Options) is { Tenant.Length: > 0, MessageId.Length: > 0 } m
            ? m
            : throw new FormatException("A send message needs a tenant and a message id.");
}
