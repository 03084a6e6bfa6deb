using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PushGov.Domain.Drops;
using PushGov.Domain.Serialization;

namespace PushGov.Domain.Applications;

/// <summary>
/// A one-step application (申請不要) the resident confirmed, as PushGov hands it to the back office: which service
/// (id and Japanese name), which case and life event, when it was confirmed (<see cref="ConfirmedAt"/>, and the day in
/// Asia/Tokyo, <see cref="HandedOverOn"/>, whose batch it belongs to), and the prefilled application itself.
/// </summary>
public sealed record OneStepApplication(
    string ApplicationId,
    string Tenant,
    string ServiceId,
    string ServiceName,
    string CaseId,
    string EventKind,
    DateOnly EventDate,
    DateTimeOffset ConfirmedAt,
    DateOnly HandedOverOn,
    PrefilledApplication Form)
{
    /// <summary>An application confirmed at <paramref name="confirmedAt"/>; its day is Japan's (<see cref="JapanTime"/>).</summary>
    public static OneStepApplication Confirmed(string tenant, string caseId, string serviceName, string eventKind, DateOnly eventDate, DateTimeOffset confirmedAt, PrefilledApplication form) =>
        new(
            ApplicationFiles.IdFor(tenant, caseId, form.ServiceId),
            tenant,
            form.ServiceId,
            serviceName,
            caseId,
            eventKind,
            eventDate,
            TimeZoneInfo.ConvertTime(confirmedAt, JapanTime.Tokyo),
            JapanTime.LocalDay(confirmedAt, JapanTime.Tokyo),
            form);
}

/// <summary>
/// The hand-over format of one-step applications, in container <c>applications</c>:
/// <list type="bullet">
/// <item><c>{tenant}/{service}/{yyyy-MM-dd}/{applicationId}.json</c>: one application (<see cref="Json"/>), never rewritten.</item>
/// <item><c>{tenant}/{service}/{yyyy-MM-dd}.csv</c>: that day's batch for the 基幹システム (<see cref="Csv"/>): UTF-8 with
/// BOM, CRLF, RFC 4180, a header row, one row per application ordered by confirmation time then id; names and other
/// free text guarded against formula injection (<see cref="CsvEscaping"/>).</item>
/// </list>
/// The application id is derived from tenant, case and service, so one case hands over at most one application per
/// service however often the resident confirms.
/// </summary>
public static class ApplicationFiles
{
    /// <summary>The CSV's columns, in order.</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "application_id", "tenant", "service_id", "service_name", "case_id", "event_kind", "event_date", "confirmed_at",
        "applicant_resident_id", "applicant_family_name", "applicant_given_name", "applicant_family_name_kana", "applicant_given_name_kana", "applicant_birth_date", "applicant_relationship",
        "household_id", "household_head_resident_id", "household_members",
        "children_resident_ids", "children", "public_funds_account",
    ];

    /// <summary>The application id for a service of a case: <c>A</c> and 24 hex digits of SHA-256 over tenant, case and service.</summary>
    public static string IdFor(string tenant, string caseId, string serviceId)
    {
        var input = Encoding.UTF8.GetBytes($"pushgov/application/v1\n{tenant.Length}:{tenant}\n{caseId.Length}:{caseId}\n{serviceId.Length}:{serviceId}");
        return "A" + Convert.ToHexStringLower(SHA256.HashData(input).AsSpan(0, 12));
    }

    /// <summary>Where the day's applications of a service are: <c>{tenant}/{service}/{yyyy-MM-dd}/</c>.</summary>
    public static string DayPrefix(string tenant, string serviceId, DateOnly day) => $"{tenant}/{serviceId}/{Day(day)}/";

    public static string JsonName(OneStepApplication a) => $"{DayPrefix(a.Tenant, a.ServiceId, a.HandedOverOn)}{a.ApplicationId}.json";

    public static string CsvName(string tenant, string serviceId, DateOnly day) => $"{tenant}/{serviceId}/{Day(day)}.csv";

    /// <summary>The application as JSON (UTF-8, no BOM, indented, Japanese unescaped).</summary>
    public static byte[] Json(OneStepApplication application) => JsonSerializer.SerializeToUtf8Bytes(application, PushGovJson.Indented);

    public static OneStepApplication Read(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<OneStepApplication>(json, PushGovJson.Options) ?? throw new JsonException("An application file holds null.");

    /// <summary>The day's batch: every application given once, whatever order they come in.</summary>
    public static byte[] Csv(IEnumerable<OneStepApplication> applications)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', CsvColumns)).Append("\r\n");
        foreach (var a in applications.DistinctBy(a => a.ApplicationId).OrderBy(a => a.ConfirmedAt).ThenBy(a => a.ApplicationId, StringComparer.Ordinal))
        {
            var f = a.Form;
            var head = f.Household?.Head;
            string[] cells =
            [
                CsvEscaping.Value(a.ApplicationId),
                CsvEscaping.Value(a.Tenant),
                CsvEscaping.Value(a.ServiceId),
                CsvEscaping.Text(a.ServiceName),
                CsvEscaping.Text(a.CaseId),
                CsvEscaping.Value(a.EventKind),
                CsvEscaping.Value(Day(a.EventDate)),
                CsvEscaping.Value(a.ConfirmedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
                CsvEscaping.Text(f.Applicant.ResidentId),
                CsvEscaping.Text(f.Applicant.FamilyName),
                CsvEscaping.Text(f.Applicant.GivenName),
                CsvEscaping.Text(f.Applicant.FamilyNameKana ?? string.Empty),
                CsvEscaping.Text(f.Applicant.GivenNameKana ?? string.Empty),
                CsvEscaping.Text(f.Applicant.BirthDate),
                CsvEscaping.Text(f.Applicant.Relationship),
                CsvEscaping.Text(f.Household?.HouseholdId ?? string.Empty),
                CsvEscaping.Text(head?.ResidentId ?? string.Empty),
                f.Household is { } h ? h.Members.ToString(CultureInfo.InvariantCulture) : string.Empty,
                CsvEscaping.Text(string.Join(';', (f.Children ?? []).Select(c => c.ResidentId))),
                CsvEscaping.Text(f.ChildrenText()),
                CsvEscaping.Value(f.PublicFundsAccount ?? string.Empty),
            ];
            text.Append(string.Join(',', cells)).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
