using System.Text.Json;
using System.Text.Json.Serialization;

namespace PushGov.Domain.Drops;

/// <summary>
/// Per-tenant ingest configuration for drops (plain JSON, camelCase):
/// <code>
/// {
///   "encoding": "shift_jis",
///   "headers": { "宛名番号": "resident_id", "世帯番号": "household_id", "異動事由": "change_code" },
///   "codes": { "change_code": { "01": "BIRTH", "11": "MOVE_IN" }, "sex": { "男": "1", "女": "2" } },
///   "checkDigit": true,
///   "maxFieldLength": 4096,
///   "gaiji": [ { "code": "F040", "text": "𠮷" }, { "code": "F041", "text": "辻", "substitute": true, "note": "一点しんにょうの辻" } ]
/// }
/// </code>
/// </summary>
public sealed record DropOptions
{
    /// <summary>The default options: detect the encoding, canonical headers and codes, no check digit.</summary>
    public static DropOptions Default { get; } = new();

    /// <summary>Pinned encoding: <c>null</c> to detect, <c>utf-8</c>, or <c>shift_jis</c> / <c>cp932</c> (Windows code page 932).</summary>
    public string? Encoding { get; init; }

    /// <summary>The tenant's header → canonical column name (e.g. <c>宛名番号</c> → <c>resident_id</c>). Canonical names also work unmapped.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Per canonical column (<c>change_code</c>, <c>sex</c>, <c>channel</c>, <c>damage_level</c>, <c>consent</c>, <c>non_taxable</c>,
    /// <c>relationship</c>, <c>nationality</c>, …): the tenant's value → the canonical value. Values not in a map are read as canonical.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Codes { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>When true, <c>resident_id</c> and <c>household_id</c> must end in a valid modulus-11 check digit (<see cref="Drops.CheckDigit"/>).</summary>
    public bool CheckDigit { get; init; }

    /// <summary>A field longer than this (in characters) rejects its row.</summary>
    public int MaxFieldLength { get; init; } = 4096;

    /// <summary>The tenant's 外字 table: user-defined CP932 codes (0xF040–0xF9FC) to what they mean (<see cref="GaijiTable"/>).</summary>
    public IReadOnlyList<GaijiEntry> Gaiji { get; init; } = [];

    /// <summary>JSON settings for options and reports: camelCase, enums as strings, Japanese text unescaped.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    public static DropOptions FromJson(string json) =>
        JsonSerializer.Deserialize<DropOptions>(json, JsonOptions) ?? throw new JsonException("Drop options are null.");
}
