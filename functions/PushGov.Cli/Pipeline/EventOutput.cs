using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using PushGov.Domain.Detection;

namespace PushGov.Cli.Pipeline;

/// <summary>
/// Writes <c>./pushgov detect</c> results as JSON lines, one object per life event:
/// <c>{"kind","tenant","eventId","residentId","householdId","eventDate","inferred","source":{"dataset","line","recordId"},"relatedResidentIds","details"}</c>.
/// UTF-8, Japanese unescaped. Only ids, dates and the event's non-personal details are written (no names or addresses).
/// </summary>
public sealed class EventOutput : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Stream output;
    private readonly Utf8JsonWriter json;

    public EventOutput(Stream output)
    {
        this.output = output;
        json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Lines written so far.</summary>
    public long Lines { get; private set; }

    public void Write(LifeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("kind", e.Kind.ToString());
        json.WriteString("tenant", e.Tenant);
        json.WriteString("eventId", e.EventId);
        json.WriteString("residentId", e.ResidentId);
        json.WriteString("householdId", e.HouseholdId);
        json.WriteString("eventDate", e.EventDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteBoolean("inferred", e.Inferred);
        json.WriteStartObject("source");
        json.WriteString("dataset", e.Source.Dataset);
        json.WriteNumber("line", e.Source.Line);
        if (e.Source.RecordId is { } recordId)
        {
            json.WriteString("recordId", recordId);
        }

        json.WriteEndObject();
        json.WriteStartArray("relatedResidentIds");
        foreach (var id in e.RelatedResidentIds)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
        json.WriteStartObject("details");
        foreach (var (key, value) in e.Details)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.Write(NewLine);
        Lines++;
    }

    public void Flush()
    {
        json.Flush();
        output.Flush();
    }

    public void Dispose()
    {
        Flush();
        json.Dispose();
    }
}
