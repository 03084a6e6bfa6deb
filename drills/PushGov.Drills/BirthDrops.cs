using System.Globalization;
using System.Text;
using PushGov.Domain;
using PushGov.Domain.Drops;

namespace PushGov.Drills;

/// <summary>
/// The three drops of a drill, deterministic for a seed: a <c>residents</c> snapshot of two-parent households, the
/// heads' <c>contacts</c> (most by SMS to a Japanese mobile, which routes to the domestic provider; some to a US number,
/// which routes to ACS SMS; some by e-mail; some with none, whose cases go to a letter and to staff), and a
/// <c>resident-changes</c> drop with one birth in every household.
/// </summary>
public sealed record BirthDrops(string Residents, string Contacts, string Births, int Households)
{
    private static readonly string[] Families = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"];
    private static readonly string[] Fathers = ["太郎", "健一", "大輔", "翔太", "拓也", "直樹"];
    private static readonly string[] Mothers = ["花子", "美咲", "陽子", "彩", "真由美", "由美"];
    private static readonly string[] Children = ["一郎", "結衣", "蓮", "陽菜", "湊", "さくら"];

    /// <summary>The drops of <paramref name="households"/> households, the births two days ago (in Tokyo), recent enough for every service.</summary>
    public static BirthDrops Generate(int seed, int households) =>
        Generate(seed, households, JapanTime.Today(DateTimeOffset.UtcNow).AddDays(-2));

    /// <summary>
    /// <paramref name="households"/> households (two resident rows and one birth row each); the births on
    /// <paramref name="birthDay"/>. Contacts: 6 in 10 Japanese SMS, 2 in 10 US SMS, 1 in 10 e-mail, 1 in 10 none.
    /// </summary>
    public static BirthDrops Generate(int seed, int households, DateOnly birthDay)
    {
        var random = new Random(seed);
        var residents = new StringBuilder("resident_id,household_id,family_name,given_name,birth_date,sex,relationship,postal_code,address\n");
        var contacts = new StringBuilder("resident_id,channel,address,language,consent,consented_at\n");
        var births = new StringBuilder("record_id,resident_id,household_id,change_code,change_date,family_name,given_name,birth_date,sex,relationship\n");
        for (var h = 0; h < households; h++)
        {
            var household = CheckDigit.Append($"4{h:D7}");
            var father = CheckDigit.Append($"3{2 * h:D7}");
            var mother = CheckDigit.Append($"3{(2 * h) + 1:D7}");
            var child = CheckDigit.Append($"5{h:D7}");
            var family = Pick(random, Families);
            var address = $"福岡市中央区天神{1 + (h % 5)}-{1 + (h / 5)}-{1 + random.Next(20)}";
            residents.Append(CultureInfo.InvariantCulture, $"{father},{household},{family},{Pick(random, Fathers)},{Day(random, 1984, 1995)},1,世帯主,8100001,{address}\n");
            residents.Append(CultureInfo.InvariantCulture, $"{mother},{household},{family},{Pick(random, Mothers)},{Day(random, 1986, 1997)},2,妻,8100001,{address}\n");

            var contact = random.Next(10) switch
            {
                < 6 => $"sms,+8190{random.Next(10_000_000, 99_999_999)}",
                < 8 => $"sms,+1425555{random.Next(1000, 9999)}",
                8 => $"email,parent{h}@example.jp",
                _ => null,
            };
            if (contact is not null)
            {
                contacts.Append(CultureInfo.InvariantCulture, $"{father},{contact},ja,1,2026-04-01\n");
            }

            var sex = 1 + random.Next(2);
            births.Append(CultureInfo.InvariantCulture, $"B{h:D5},{child},{household},BIRTH,{birthDay:yyyy-MM-dd},{family},{Pick(random, Children)},{birthDay:yyyy-MM-dd},{sex},子\n");
        }

        return new BirthDrops(residents.ToString(), contacts.ToString(), births.ToString(), households);
    }

    private static string Pick(Random random, string[] from) => from[random.Next(from.Length)];

    private static string Day(Random random, int firstYear, int lastYear) =>
        new DateOnly(random.Next(firstYear, lastYear + 1), 1 + random.Next(12), 1 + random.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
