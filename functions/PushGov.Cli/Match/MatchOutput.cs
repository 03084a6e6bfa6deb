using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;

namespace PushGov.Cli.Match;

/// <summary>
/// Writes <c>./pushgov match</c> results as JSON lines: one object per (event, service[, part]) with the
/// event's ids, the recipients, the deadline, the amount, the flags and the reason trace. Text is written as
/// UTF-8 without escaping Japanese. Names and addresses are never written (only 宛名番号 and 世帯番号).
/// </summary>
public sealed class MatchOutput : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Stream output;
    private readonly Utf8JsonWriter json;

    public MatchOutput(Stream output)
    {
        this.output = output;
        json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false });
    }

    /// <summary>Lines written so far.</summary>
    public long Lines { get; private set; }

    /// <summary>Writes one line per match of the event (nothing when it has none).</summary>
    public void Write(LifeEvent lifeEvent, IReadOnlyList<ServiceMatch> matches)
    {
        foreach (var m in matches)
        {
            json.Reset(output);
            json.WriteStartObject();
            json.WriteString("eventId", lifeEvent.EventId);
            json.WriteString("kind", lifeEvent.Kind.ToString());
            json.WriteString("residentId", lifeEvent.ResidentId);
            json.WriteString("householdId", lifeEvent.HouseholdId);
            json.WriteString("eventDate", lifeEvent.EventDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("serviceId", m.ServiceId);
            if (m.Part is null)
            {
                json.WriteNull("part");
            }
            else
            {
                json.WriteString("part", m.Part);
            }

            json.WriteStartArray("recipientIds");
            foreach (var id in m.RecipientIds)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
            if (m.Deadline is { } d)
            {
                json.WriteString("deadline", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull("deadline");
            }

            if (m.AmountYen is { } yen)
            {
                json.WriteNumber("amountYen", yen);
            }
            else
            {
                json.WriteNull("amountYen");
            }

            json.WriteBoolean("needsClaim", m.NeedsClaim);
            json.WriteBoolean("usesTaxData", m.UsesTaxData);
            json.WriteBoolean("needsPerson", m.NeedsPerson);
            json.WriteString("ruleVersion", m.RuleVersion);
            json.WriteStartArray("reasons");
            foreach (var r in m.Reasons)
            {
                json.WriteStartObject();
                json.WriteString("condition", r.Condition);
                json.WriteBoolean("holds", r.Holds);
                json.WriteString("detail", r.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            output.Write(NewLine);
            Lines++;
        }
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
