using System.Globalization;
using System.Text.Json;

namespace PushGov.Infrastructure.Acs;

/// <summary>
/// Reads an Event Grid delivery in the EventGridEvent schema (a JSON array of events; a single object is accepted too):
/// <c>{id, topic, subject, eventType, eventTime, data, dataVersion, metadataVersion}</c>. Property names are matched
/// without regard to case (ACS's own sample writes <c>"Tag"</c>). Schemas:
/// learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events,
/// …/communication-services-email-events, …/webhook-event-delivery (validation handshake).
/// </summary>
public static class EventGridParser
{
    public const string SubscriptionValidationType = "Microsoft.EventGrid.SubscriptionValidationEvent";
    public const string SmsDeliveryReportType = "Microsoft.Communication.SMSDeliveryReportReceived";
    public const string EmailDeliveryReportType = "Microsoft.Communication.EmailDeliveryReportReceived";
    public const string SmsReceivedType = "Microsoft.Communication.SMSReceived";

    /// <summary>Parses a delivery. Throws <see cref="FormatException"/> when it is not JSON or not events.</summary>
    public static IReadOnlyList<EventGridNotification> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
            var root = document.RootElement;
            var events = new List<EventGridNotification>();
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in root.EnumerateArray())
                {
                    events.Add(ParseOne(item));
                }
            }
            else if (root.ValueKind == JsonValueKind.Object)
            {
                events.Add(ParseOne(root));
            }
            else
            {
                throw new FormatException("An Event Grid delivery is a JSON array of events.");
            }

            return events;
        }
        catch (JsonException ex)
        {
            throw new FormatException("An Event Grid delivery must be JSON.", ex);
        }
    }

    /// <summary>The body to answer a subscription validation with: <c>{"validationResponse":"…"}</c>.</summary>
    public static string ValidationResponse(string validationCode) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["validationResponse"] = validationCode });

    private static EventGridNotification ParseOne(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("An Event Grid event is a JSON object.");
        }

        var id = Str(e, "id") ?? throw new FormatException("An Event Grid event has no id.");
        var type = Str(e, "eventType") ?? throw new FormatException("An Event Grid event has no eventType.");
        var subject = Str(e, "subject");
        var time = Time(e, "eventTime");
        var data = Prop(e, "data") is { ValueKind: JsonValueKind.Object } d ? d : default;
        var hasData = data.ValueKind == JsonValueKind.Object;

        switch (type)
        {
            case SubscriptionValidationType when hasData && Str(data, "validationCode") is { } code:
                return new SubscriptionValidation(id, type, subject, time, code, Str(data, "validationUrl"));

            case SmsDeliveryReportType when hasData:
                var attempts = new List<SmsDeliveryAttempt>();
                if (Prop(data, "deliveryAttempts") is { ValueKind: JsonValueKind.Array } list)
                {
                    foreach (var a in list.EnumerateArray())
                    {
                        attempts.Add(new SmsDeliveryAttempt(Time(a, "timestamp"), Int(a, "segmentsSucceeded") ?? 0, Int(a, "segmentsFailed") ?? 0));
                    }
                }

                return new SmsDeliveryReport(
                    id, type, subject, time,
                    Required(data, "messageId", type), Str(data, "from") ?? string.Empty, Str(data, "to") ?? string.Empty,
                    Required(data, "deliveryStatus", type), Str(data, "deliveryStatusDetails"),
                    attempts, Time(data, "receivedTimestamp"), Str(data, "tag"));

            case EmailDeliveryReportType when hasData:
                // deliveryStatusDetails is an object {statusMessage} in current payloads; older ones had a string.
                var details = Prop(data, "deliveryStatusDetails");
                var statusMessage = details?.ValueKind switch
                {
                    JsonValueKind.Object => Str(details.Value, "statusMessage"),
                    JsonValueKind.String => details.Value.GetString(),
                    _ => null,
                };
                return new EmailDeliveryReport(
                    id, type, subject, time,
                    Required(data, "messageId", type), Str(data, "sender") ?? string.Empty, Str(data, "recipient") ?? string.Empty,
                    Required(data, "status", type), statusMessage, Time(data, "deliveryAttemptTimestamp"));

            case SmsReceivedType when hasData:
                return new SmsReceived(
                    id, type, subject, time,
                    Required(data, "messageId", type), Str(data, "from") ?? string.Empty, Str(data, "to") ?? string.Empty,
                    Str(data, "message") ?? string.Empty, Time(data, "receivedTimestamp"), Int(data, "segmentCount"));

            default:
                return new UnknownEvent(id, type, subject, time);
        }
    }

    private static JsonElement? Prop(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    private static string? Str(JsonElement obj, string name) =>
        Prop(obj, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static string Required(JsonElement obj, string name, string type) =>
        Str(obj, name) ?? throw new FormatException($"{type} has no data.{name}.");

    private static int? Int(JsonElement obj, string name) =>
        Prop(obj, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : null;

    private static DateTimeOffset? Time(JsonElement obj, string name) =>
        Str(obj, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
