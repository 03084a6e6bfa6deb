using PushGov.Domain.Detection;
using PushGov.Tooling.Match;

namespace PushGov.Tooling.Pipeline;

/// <summary>
/// Writes <c>./pushgov detect</c> results as JSON lines, one object per life event:
/// <c>{"kind","tenant","eventId","residentId","householdId","eventDate","inferred","source":{"dataset","line","recordId"},"relatedResidentIds","details"}</c>.
/// UTF-8, Japanese unescaped. Only ids, dates and the event's non-personal details are written (no names or addresses).
/// </summary>
public sealed class EventOutput : JsonLinesWriter
{
    public EventOutput(Stream output)
        : base(output)
    {
    }

    public void Write(LifeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        BeginLine();
        Json.WriteStartObject();
        Json.WriteString("kind", e.Kind.ToString());
        Json.WriteString("tenant", e.Tenant);
        Json.WriteString("eventId", e.EventId);
        Json.WriteString("residentId", e.ResidentId);
        Json.WriteString("householdId", e.HouseholdId);
        WriteDate("eventDate", e.EventDate);
        Json.WriteBoolean("inferred", e.Inferred);
        Json.WriteStartObject("source");
        Json.WriteString("dataset", e.Source.Dataset);
        Json.WriteNumber("line", e.Source.Line);
        if (e.Source.RecordId is { } recordId)
        {
            Json.WriteString("recordId", recordId);
        }

        Json.WriteEndObject();
        Json.WriteStartArray("relatedResidentIds");
        foreach (var id in e.RelatedResidentIds)
        {
            Json.WriteStringValue(id);
        }

        Json.WriteEndArray();
        Json.WriteStartObject("details");
        foreach (var (key, value) in e.Details)
        {
            Json.WriteString(key, value);
        }

        Json.WriteEndObject();
        Json.WriteEndObject();
        EndLine();
    }

}
