using System.Text.RegularExpressions;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Notifications.Providers.Development;

namespace PushGov.Functions.Tests.Api;

/// <summary>
/// A household with known personal data, a birth, and its case run to where it waits for the resident: the resident
/// and contact drops, then the birth as a resident change, then every queued step and send.
/// </summary>
public sealed record Scenario(string Tenant, string CaseId, string HeadId, string WifeId, string ChildId, string HouseholdId, Pii Pii)
{
    public static async Task<Scenario> BirthAsync(ApiFixture fx, string tenant, Pii? pii = null, int serial = 1, int bornDaysAgo = 2)
    {
        pii ??= Pii.Default;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var birth = today.AddDays(-bornDaysAgo).ToString("yyyy-MM-dd");
        var hh = $"2{serial:D8}";
        var (head, wife, child) = ($"1{serial:D6}01", $"1{serial:D6}02", $"1{serial:D6}03");
        await fx.IngestAsync(tenant, "residents",
            "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n" +
            $"{head},{hh},{pii.FamilyName},{pii.HeadGivenName},スズキ,ケンタ,1990-05-10,1,世帯主,{pii.PostalCode},{pii.Address},\n" +
            $"{wife},{hh},{pii.FamilyName},{pii.WifeGivenName},スズキ,ミサキ,1992-08-01,2,妻,{pii.PostalCode},{pii.Address},\n");
        await fx.IngestAsync(tenant, "contacts",
            "resident_id,channel,address,language,consent,consented_at\n" +
            $"{wife},sms,{pii.Phone},ja,1,2026-04-01\n" +
            $"{head},email,{pii.Email},ja,1,2026-04-01\n");
        var changes = await fx.IngestAsync(tenant, "resident-changes",
            "record_id,resident_id,household_id,change_code,change_date,notified_date,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n" +
            $"R{serial:D6}-0001,{child},{hh},BIRTH,{birth},{birth},{pii.FamilyName},{pii.ChildGivenName},スズキ,ソウタ,{birth},1,子,{pii.PostalCode},{pii.Address},\n");
        var birthEvent = Assert.Single(changes.Events);
        await fx.DrainAsync();
        var stored = await fx.Service<CaseStore>().GetAsync(tenant, birthEvent.EventId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.NotEqual(CaseState.Detected, stored.State);
        return new Scenario(tenant, birthEvent.EventId, head, wife, child, hh, pii);
    }

    /// <summary>A birth in a new tenant whose e-mail to the head went out, and the token of the resident link in it.</summary>
    public static async Task<(TestTenant Tenant, Scenario Scenario, string Link)> MessagedAsync(ApiFixture fx, int serial)
    {
        var t = await fx.NewTenantAsync();
        var s = await BirthAsync(fx, t.Code, serial: serial);
        var sink = await fx.Service<DevSink>().ListAsync(t.Code, 1000, CancellationToken.None);
        var email = Assert.Single(sink, e => e.Channel == "Email" && e.To == s.Pii.Email);
        var match = Regex.Match(email.Text, $@"https://portal\.example\.jp/r/{t.Code}/{Regex.Escape(s.CaseId)}/([A-Za-z0-9_-]{{{ResidentLinkSigner.TokenLength}}})");
        Assert.True(match.Success, email.Text);
        return (t, s, match.Groups[1].Value);
    }
}

/// <summary>Personal data that goes in, so a test can look for it where it must not be.</summary>
public sealed record Pii(string FamilyName, string HeadGivenName, string WifeGivenName, string ChildGivenName, string Phone, string PhoneE164, string Email, string PostalCode, string Address)
{
    public static readonly Pii Default = new("鈴木", "健太", "美咲", "蒼太", "090-8765-4321", "+819087654321", "kenta.suzuki@example.jp", "8120011", "福岡市博多区博多駅前9-8-7");

    /// <summary>Every string that must never appear in a log (the phone in both forms, the address's distinctive part).</summary>
    public IEnumerable<string> Secrets => [FamilyName, HeadGivenName, WifeGivenName, ChildGivenName, Phone, PhoneE164, PhoneE164[1..], "09087654321", Email, "kenta.suzuki", Address, "博多駅前9-8-7"];
}
