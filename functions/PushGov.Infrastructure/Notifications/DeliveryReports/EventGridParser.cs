using System.Text.Json;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;

namespace PushGov.Infrastructure.Notifications.DeliveryReports;

/// <summary>
/// Reads an Event Grid delivery in the EventGridEvent schema (a JSON array of events; a single object is accepted too)
/// with the Azure.Messaging.EventGrid SDK and its system event types, and turns the events PushGov acts on into its own
/// records (<see cref="EventGridNotification"/>: statuses mapped, addresses masked when logged). Schemas:
/// learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events,
/// …/communication-services-email-events, …/webhook-event-delivery (validation handshake).
/// </summary>
public static class EventGridParser
{
    /// <summary>Parses a delivery. Throws <see cref="FormatException"/> when it is not JSON or not events.</summary>
    public static IReadOnlyList<EventGridNotification> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        EventGridEvent[] events;
        try
        {
            // Read leniently first: ACS's published samples carry trailing commas, which the SDK's reader refuses.
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
            if (document.RootElement.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                throw new FormatException("An Event Grid delivery is a JSON array of events.");
            }

            events = EventGridEvent.ParseMany(BinaryData.FromString(JsonSerializer.Serialize(document.RootElement)));
        }
        catch (JsonException ex)
        {
            throw new FormatException("An Event Grid delivery must be JSON.", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new FormatException("An Event Grid event lacks a field the schema requires (id, subject, eventType, dataVersion…).", ex);
        }

        return events.Select(Convert).ToList();
    }

    /// <summary>The body to answer a subscription validation with: <c>{"validationResponse":"…"}</c>.</summary>
    public static string ValidationResponse(string validationCode) =>
        JsonSerializer.Serialize(new SubscriptionValidationResponse { ValidationResponse = validationCode }, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static EventGridNotification Convert(EventGridEvent e)
    {
        if (string.IsNullOrEmpty(e.Id) || string.IsNullOrEmpty(e.EventType))
        {
            throw new FormatException("An Event Grid event has no id or no eventType.");
        }

        var time = e.EventTime == default ? (DateTimeOffset?)null : e.EventTime;
        object? data;
        try
        {
            if (!e.TryGetSystemEventData(out data))
            {
                return new UnknownEvent(e.Id, e.EventType, e.Subject, time);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{e.EventType} has data of the wrong shape.", ex);
        }

        return data switch
        {
            SubscriptionValidationEventData v when v.ValidationCode is { } code =>
                new SubscriptionValidation(e.Id, e.EventType, e.Subject, time, code, v.ValidationUrl),
            AcsSmsDeliveryReportReceivedEventData r => new SmsDeliveryReport(
                e.Id, e.EventType, e.Subject, time,
                Required(r.MessageId, e.EventType, "messageId"), r.From ?? string.Empty, r.To ?? string.Empty,
                Required(r.DeliveryStatus, e.EventType, "deliveryStatus"), r.DeliveryStatusDetails,
                r.DeliveryAttempts.Select(a => new SmsDeliveryAttempt(a.Timestamp, a.SegmentsSucceeded ?? 0, a.SegmentsFailed ?? 0)).ToList(),
                r.ReceivedTimestamp),
            AcsEmailDeliveryReportReceivedEventData r => new EmailDeliveryReport(
                e.Id, e.EventType, e.Subject, time,
                Required(r.MessageId, e.EventType, "messageId"), r.Sender ?? string.Empty, r.Recipient ?? string.Empty,
                Required(r.Status?.ToString(), e.EventType, "status"), r.DeliveryStatusDetails?.StatusMessage, r.DeliveryAttemptTimestamp),
            AcsSmsReceivedEventData r => new SmsReceived(
                e.Id, e.EventType, e.Subject, time,
                Required(r.MessageId, e.EventType, "messageId"), r.From ?? string.Empty, r.To ?? string.Empty,
                r.Message ?? string.Empty, r.ReceivedTimestamp),
            _ => new UnknownEvent(e.Id, e.EventType, e.Subject, time),
        };
    }

    private static string Required(string? value, string type, string name) =>
        string.IsNullOrEmpty(value) ? throw new FormatException($"{type} has no data.{name}.") : value;
}
