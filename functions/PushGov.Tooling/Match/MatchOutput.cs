using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;

namespace PushGov.Tooling.Match;

/// <summary>
/// Writes <c>./pushgov match</c> results as JSON lines: one object per (event, service[, part]) with the
/// event's ids, the recipients, the deadline, the amount, the flags and the reason trace. Text is written as
/// UTF-8 without escaping Japanese. Names and addresses are never written (only 宛名番号 and 世帯番号).
/// </summary>
public sealed class MatchOutput : JsonLinesWriter
{
    public MatchOutput(Stream output)
        : base(output)
    {
    }

    /// <summary>Writes one line per match of the event (nothing when it has none).</summary>
    public void Write(LifeEvent lifeEvent, IReadOnlyList<ServiceMatch> matches)
    {
        foreach (var m in matches)
        {
            BeginLine();
            Json.WriteStartObject();
            Json.WriteString("eventId", lifeEvent.EventId);
            Json.WriteString("kind", lifeEvent.Kind.ToString());
            Json.WriteString("residentId", lifeEvent.ResidentId);
            Json.WriteString("householdId", lifeEvent.HouseholdId);
            WriteDate("eventDate", lifeEvent.EventDate);
            Json.WriteString("serviceId", m.ServiceId);
            if (m.Part is null)
            {
                Json.WriteNull("part");
            }
            else
            {
                Json.WriteString("part", m.Part);
            }

            Json.WriteStartArray("recipientIds");
            foreach (var id in m.RecipientIds)
            {
                Json.WriteStringValue(id);
            }

            Json.WriteEndArray();
            if (m.Deadline is { } d)
            {
                WriteDate("deadline", d);
            }
            else
            {
                Json.WriteNull("deadline");
            }

            if (m.AmountYen is { } yen)
            {
                Json.WriteNumber("amountYen", yen);
            }
            else
            {
                Json.WriteNull("amountYen");
            }

            Json.WriteBoolean("needsClaim", m.NeedsClaim);
            Json.WriteBoolean("usesTaxData", m.UsesTaxData);
            Json.WriteBoolean("needsPerson", m.NeedsPerson);
            Json.WriteString("ruleVersion", m.RuleVersion);
            Json.WriteStartArray("reasons");
            foreach (var r in m.Reasons)
            {
                Json.WriteStartObject();
                Json.WriteString("condition", r.Condition);
                Json.WriteBoolean("holds", r.Holds);
                Json.WriteString("detail", r.Detail);
                Json.WriteEndObject();
            }

            Json.WriteEndArray();
            Json.WriteEndObject();
            EndLine();
        }
    }

}
