using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using PushGov.Domain.Serialization;

namespace PushGov.Domain.Tests.Detection;

/// <summary>
/// Names written with CP932 extension characters (髙橋, 山﨑, 德永, 瀨川, in either of their two cells) detect exactly as
/// the same drops spelled with JIS X 0208 characters; identity is the 宛名番号, so names never merge or split people.
/// </summary>
public partial class NameVariantDetectionTests
{
    private const string Tenant = "401307";

    private const string ResidentsHeader = "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address\n";

    private const string ChangesHeader = "record_id,resident_id,household_id,change_code,change_date,notified_date,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address\n";

    // {F} {G} {T} {W}: family names; {S}: a given name. A birth in H1, a move-in to H4 and a correction that makes 1000010
    // the new head's wife (inferred marriage), a wife leaving H3 with her child (inferred divorce), a death in H2.
    private const string Residents =
        ResidentsHeader
        + "1000001,H1,{F},一郎,タカハシ,イチロウ,1980-01-01,1,世帯主,8100001,福岡市中央区天神1-1\n"
        + "1000002,H1,{F},花子,タカハシ,ハナコ,1982-02-02,2,妻,8100001,福岡市中央区天神1-1\n"
        + "1000003,H1,{F},{S},タカハシ,ケン,2015-03-03,1,子,8100001,福岡市中央区天神1-1\n"
        + "1000004,H2,{G},次郎,ヤマサキ,ジロウ,1985-04-04,1,世帯主,8100002,福岡市中央区天神2-2\n"
        + "1000005,H3,{T},三郎,トクナガ,サブロウ,1978-05-05,1,世帯主,8100003,福岡市中央区天神3-3\n"
        + "1000006,H3,{T},恵,トクナガ,メグミ,1979-06-06,2,妻,8100003,福岡市中央区天神3-3\n"
        + "1000007,H3,{T},{S},トクナガ,ケン,2016-07-07,1,子,8100003,福岡市中央区天神3-3\n"
        + "1000010,H6,{W},{S},セガワ,ケン,1992-09-09,2,世帯主,8100006,福岡市中央区天神6-6\n";

    private const string Changes =
        ChangesHeader
        + "R1,1000008,H1,BIRTH,2026-11-01,2026-11-05,{F},{S},タカハシ,ケン,2026-11-01,1,子,8100001,福岡市中央区天神1-1\n"
        + "R2,1000009,H4,MOVE_IN,2026-11-02,2026-11-06,{W},四郎,セガワ,シロウ,1990-08-08,1,世帯主,8100004,福岡市中央区天神4-4\n"
        + "R3,1000010,H4,CORRECTION,2026-11-03,2026-11-07,{W},{S},セガワ,ケン,1992-09-09,2,妻,8100004,福岡市中央区天神4-4\n"
        + "R4,1000006,H5,CORRECTION,2026-11-04,2026-11-08,{T},恵,トクナガ,メグミ,1979-06-06,2,世帯主,8100005,福岡市中央区天神5-5\n"
        + "R5,1000007,H5,CORRECTION,2026-11-04,2026-11-08,{T},{S},トクナガ,ケン,2016-07-07,1,子,8100005,福岡市中央区天神5-5\n"
        + "R6,1000004,H2,DEATH,2026-11-05,2026-11-09,{G},次郎,ヤマサキ,ジロウ,1985-04-04,1,世帯主,8100002,福岡市中央区天神2-2\n";

    // The same people with the extension characters (NEC-selected cells in some names, IBM cells in others) and with
    // their JIS X 0208 look-alikes.
    private static readonly Dictionary<string, string> Extension = new()
    {
        ["{F}"] = "{EEE0}橋", // 髙橋 in the NEC-selected IBM extension
        ["{G}"] = "山{FAB1}", // 山﨑 in the IBM extension
        ["{T}"] = "{ED9E}永", // 德永 in the NEC-selected IBM extension
        ["{W}"] = "{FB50}川", // 瀨川 in the IBM extension
        ["{S}"] = "{EEE0}{FBFC}", // 髙髙: both cells of one character in one name
    };

    private static readonly Dictionary<string, string> Standard = new()
    {
        ["{F}"] = "高橋",
        ["{G}"] = "山崎",
        ["{T}"] = "徳永",
        ["{W}"] = "瀬川",
        ["{S}"] = "高高",
    };

    [Fact]
    public void A_drop_whose_every_name_is_a_cp932_extension_character_yields_the_same_events_as_its_takahashi_twin()
    {
        var (extensionEvents, extensionView, extensionReports) = Detect(Extension);
        var (standardEvents, standardView, standardReports) = Detect(Standard);

        Assert.All(extensionReports.Concat(standardReports), r => Assert.Equal((0L, (string?)null), (r.RejectedCount, r.RejectedWhole)));
        Assert.Equal(8, extensionReports[0].Accepted);
        Assert.Equal(6, extensionReports[1].Accepted);
        Assert.Contains(extensionEvents, e => e.Kind == LifeEventKind.MARRIAGE && e.Inferred);
        Assert.Contains(extensionEvents, e => e.Kind == LifeEventKind.DIVORCE && e.Inferred);
        Assert.Equal(Json(standardEvents), Json(extensionEvents));

        // The views are equal but for the names; the names are the extension characters, decoded.
        Assert.Equal(standardView.Count, extensionView.Count);
        foreach (var person in extensionView.Persons)
        {
            var twin = standardView.GetPerson(person.ResidentId)!;
            Assert.Equal(twin with { FamilyName = person.FamilyName, GivenName = person.GivenName }, person);
        }

        Assert.Equal("髙橋", extensionView.GetPerson("1000001")!.FamilyName);
        Assert.Equal("髙髙", extensionView.GetPerson("1000003")!.GivenName);
        Assert.Equal("山﨑", extensionView.GetPerson("1000004")!.FamilyName);
        Assert.Equal("德永", extensionView.GetPerson("1000005")!.FamilyName);
        Assert.Equal("瀨川", extensionView.GetPerson("1000009")!.FamilyName);
    }

    [Fact]
    public void A_name_written_in_the_other_cell_of_the_same_character_is_no_change_to_the_resident()
    {
        var nec = Read(Cp932Bytes(ResidentsHeader + "1000001,H1,{EEE0}橋,一郎,,,1980-01-01,1,世帯主,,\n"), Dataset.Residents).Rows;
        var ibm = Read(Cp932Bytes(ResidentsHeader + "1000001,H1,{FBFC}橋,一郎,,,1980-01-01,1,世帯主,,\n"), Dataset.Residents).Rows;

        var person = Assert.IsType<ResidentRow>(Assert.Single(nec)).Person;
        Assert.Equal(person, Assert.IsType<ResidentRow>(Assert.Single(ibm)).Person);
        Assert.Equal(ResidentFingerprint.Of(person), ResidentFingerprint.Of(((ResidentRow)ibm[0]).Person));
    }

    [Fact]
    public void Two_residents_named_with_a_variant_and_its_look_alike_stay_two_people_and_a_respelling_emits_nothing()
    {
        // 髙橋 太郎 and 高橋 太郎, same birth day, same household: two 宛名番号, two people.
        var csv = ResidentsHeader
            + "2000001,H9,髙橋,太郎,タカハシ,タロウ,1970-01-01,1,世帯主,,\n"
            + "2000002,H9,高橋,太郎,タカハシ,タロウ,1970-01-01,1,同居人,,\n";
        var view = new ResidentView();
        var detector = new LifeEventDetector(Tenant, view);
        var (rows, _) = Read(Cp932Encoding.Instance.GetBytes(csv), Dataset.Residents);
        Assert.Empty(detector.Detect(rows));
        Assert.Equal(2, view.Count);

        // The registry corrects the spelling of the second (高 → 髙): the record changes, no life event, still two people.
        var respelled = ChangesHeader + "C1,2000002,H9,CORRECTION,2026-11-03,,髙橋,太郎,タカハシ,タロウ,1970-01-01,1,同居人,,\n";
        var (changes, _) = Read(Cp932Encoding.Instance.GetBytes(respelled), Dataset.ResidentChanges);
        Assert.Empty(detector.Detect(changes));
        Assert.Equal(2, view.Count);
        Assert.Equal("髙橋", view.GetPerson("2000002")!.FamilyName);
        Assert.Equal("世帯主", view.GetPerson("2000001")!.Relationship);
        Assert.NotEqual(
            ResidentFingerprint.Of(view.GetPerson("2000002")!),
            ResidentFingerprint.Of(view.GetPerson("2000002")! with { FamilyName = "高橋" }));
    }

    private static (List<LifeEvent> Events, ResidentView View, DropReport[] Reports) Detect(Dictionary<string, string> names)
    {
        var view = new ResidentView();
        var detector = new LifeEventDetector(Tenant, view, options: new LifeEventDetectorOptions { AsOf = new DateOnly(2026, 11, 10) });
        var residents = Read(Cp932Bytes(Fill(Residents, names)), Dataset.Residents);
        var changes = Read(Cp932Bytes(Fill(Changes, names)), Dataset.ResidentChanges);
        var events = detector.Detect(residents.Rows).Concat(detector.Detect(changes.Rows)).ToList();
        return (events, view, [residents.Report, changes.Report]);
    }

    private static (List<DropRow> Rows, DropReport Report) Read(byte[] bytes, Dataset dataset)
    {
        var report = new DropReport();
        using var stream = new MemoryStream(bytes);
        var rows = DropReader.Read(stream, dataset, DropOptions.Default, report).ToList();
        Assert.Equal("cp932", report.Encoding);
        return (rows, report);
    }

    private static string Fill(string template, Dictionary<string, string> names) =>
        names.Aggregate(template, (text, name) => text.Replace(name.Key, name.Value, StringComparison.Ordinal));

    private static string Json(List<LifeEvent> events) => JsonSerializer.Serialize(events, PushGovJson.Options);

    /// <summary>CP932 bytes of <paramref name="text"/>, with <c>{EEE0}</c> written as that exact byte pair.</summary>
    internal static byte[] Cp932Bytes(string text)
    {
        var bytes = new List<byte>();
        var at = 0;
        foreach (Match m in CellToken().Matches(text))
        {
            bytes.AddRange(Cp932Encoding.Instance.GetBytes(text[at..m.Index]));
            var cell = int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            bytes.Add((byte)(cell >> 8));
            bytes.Add((byte)cell);
            at = m.Index + m.Length;
        }

        bytes.AddRange(Cp932Encoding.Instance.GetBytes(text[at..]));
        return [.. bytes];
    }

    [GeneratedRegex(@"\{([0-9A-F]{4})\}")]
    private static partial Regex CellToken();
}
