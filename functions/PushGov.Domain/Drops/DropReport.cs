using System.Text.Json;
using System.Text.Json.Serialization;

namespace PushGov.Domain.Drops;

/// <summary>One row-level finding: the 1-based physical line where the row starts, the canonical column (if any) and why.</summary>
public sealed record RowIssue(long Line, string? Column, string Message);

/// <summary>An unmapped 外字 in an accepted row: line, canonical column, 1-based character position in the field, CP932 code (e.g. <c>F040</c>).</summary>
public sealed record GaijiFinding(long Line, string Column, int Position, string Code);

/// <summary>The stages of ingesting a drop, in order, as <see cref="DropProgress.Phase"/> names them.</summary>
public enum DropPhase
{
    /// <summary>First pass: hashing the drop and learning the residents and households it concerns.</summary>
    Reading,

    /// <summary>Second pass: applying the rows to the resident view and detecting life events.</summary>
    Detecting,

    /// <summary>Starting one case per event.</summary>
    StartingCases,

    /// <summary>Writing the residents and facts that changed.</summary>
    WritingResidents,
}

/// <summary>
/// Progress of a drop being ingested: the phase, the data rows read so far in it (of the drop's), the rows applied to the
/// view, the cases started of those to start, and when this was written. Counts only, never personal data.
/// </summary>
public sealed record DropProgress
{
    public required DropPhase Phase { get; init; }

    /// <summary>Data rows read in this phase's pass over the drop.</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows applied to the resident view (the detecting pass); all of them from then on.</summary>
    public long RowsApplied { get; init; }

    /// <summary>Bytes of the drop read in this phase's pass, and the drop's size.</summary>
    public long BytesRead { get; init; }

    public long TotalBytes { get; init; }

    public long CasesStarted { get; init; }

    public long CasesToStart { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// What reading one drop found; written next to the drop as <c>{path}.report.json</c>. Counts are exact; the lists
/// hold at most <see cref="MaxListed"/> entries each, so a million bad rows do not make a huge report. Reasons never
/// contain names, addresses, phone numbers or e-mail addresses.
/// </summary>
public sealed class DropReport
{
    public const int MaxListed = 1000;

    [JsonConverter(typeof(DatasetNameConverter))]
    public Dataset Dataset { get; set; }

    /// <summary>Data rows read (blank lines not counted).</summary>
    public long RowsRead { get; set; }

    public long Accepted { get; set; }

    /// <summary>Number of rejected rows (exact, even when the list is capped).</summary>
    public long RejectedCount { get; set; }

    /// <summary>Number of warnings (exact, even when the list is capped).</summary>
    public long WarningCount { get; set; }

    public List<RowIssue> Rejected { get; init; } = [];

    public List<RowIssue> Warnings { get; init; } = [];

    /// <summary>外字 (CP932 user-defined characters) in accepted rows that the tenant's 外字 table mapped.</summary>
    public long GaijiMappedCount { get; set; }

    /// <summary>
    /// 外字 in accepted rows that the tenant's 外字 table does not map (exact count): each is kept as its code, never
    /// printed as a box; staff map it in the table. The staff dashboard shows this count.
    /// </summary>
    public long GaijiUnmappedCount { get; set; }

    /// <summary>The unmapped 外字, at most <see cref="MaxListed"/>.</summary>
    public List<GaijiFinding> GaijiUnmapped { get; init; } = [];

    /// <summary>Why the drop as a whole was not read, or null when it was. When set, nothing of the drop may be applied.</summary>
    public string? RejectedWhole { get; set; }

    /// <summary><c>utf-8</c>, <c>utf-8-bom</c> or <c>cp932</c>; with <c>(pinned)</c> when the tenant pinned it.</summary>
    public string? Encoding { get; set; }

    /// <summary>Lowercase hex SHA-256 of the drop's bytes, computed while streaming (identifies the drop for idempotency).</summary>
    public string? ContentHash { get; set; }

    public long Bytes { get; set; }

    /// <summary>
    /// How far the ingestion has got while it runs (the report is written with it every few seconds, so the API and the
    /// staff portal can show a large drop's progress); null in a finished report, which is then written without it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DropProgress? Progress { get; set; }

    /// <summary>True when not every rejected row or warning is listed.</summary>
    public bool Truncated => RejectedCount > Rejected.Count || WarningCount > Warnings.Count || GaijiUnmappedCount > GaijiUnmapped.Count;

    public void Reject(long line, string? column, string message)
    {
        RejectedCount++;
        if (Rejected.Count < MaxListed)
        {
            Rejected.Add(new RowIssue(line, column, message));
        }
    }

    public void Warn(long line, string? column, string message)
    {
        WarningCount++;
        if (Warnings.Count < MaxListed)
        {
            Warnings.Add(new RowIssue(line, column, message));
        }
    }

    public void Unmapped(GaijiFinding finding)
    {
        GaijiUnmappedCount++;
        if (GaijiUnmapped.Count < MaxListed)
        {
            GaijiUnmapped.Add(finding);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, DropOptions.JsonOptions);

    public static DropReport FromJson(string json) =>
        JsonSerializer.Deserialize<DropReport>(json, DropOptions.JsonOptions) ?? throw new JsonException("Drop report is null.");

    private sealed class DatasetNameConverter : JsonConverter<Dataset>
    {
        public override Dataset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Datasets.TryParse(reader.GetString(), out var dataset) ? dataset : throw new JsonException("Unknown dataset.");

        public override void Write(Utf8JsonWriter writer, Dataset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Name());
    }
}
