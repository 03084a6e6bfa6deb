using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;
using static PushGov.Domain.Detection.LifeEventKind;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

public class CatalogTests
{
    private static readonly string[] DefaultIds =
    [
        "jidou-teate", "ninpu-shien-kyufu", "shussan-ikuji-ichijikin", "kodomo-iryouhi", "jidou-fuyou-teate",
        "kokuho-shikaku", "sousaihi", "okuyami", "kaigo-1go", "kouki-koureisha", "shugaku",
        "kekkon-shinseikatsu", "hisaisha-saiken", "hikazei-kyufukin", "tennyu-guide",
    ];

    private static Catalog Load(string yaml, string file = "tenant-401307.yaml") => CatalogLoader.Load(new StringReader(yaml), file);

    private static CatalogError SingleError(string yaml)
    {
        var e = Assert.Throws<CatalogException>(() => Load(yaml));
        return Assert.Single(e.Errors);
    }

    private const string Minimal = """
        services:
          - id: test-service
            names: {ja: テスト, ja-x-easy: てすと, en: Test}
            triggers: [BIRTH]
            versions:
              - validFrom: 2020-01-01
                recipients: {from: [guardians], first: true}
                deadline: +15d
        """;

    [Fact]
    public void The_default_catalog_has_every_service_of_the_spec_in_order_with_three_names()
    {
        var catalog = CatalogLoader.LoadDefault();
        Assert.Equal(DefaultIds, catalog.Services.Select(s => s.Id));
        Assert.All(catalog.Services, s =>
        {
            Assert.True(s.Names.ContainsKey("ja") && s.Names.ContainsKey("ja-x-easy") && s.Names.ContainsKey("en"), s.Id);
            Assert.NotEmpty(s.Versions);
        });
        Assert.Equal(2, catalog.Find("jidou-teate")!.Versions.Count);
        Assert.Equal(new DateOnly(2025, 4, 1), catalog.Find("ninpu-shien-kyufu")!.Versions[^1].ValidFrom);
    }

    [Fact]
    public void A_minimal_service_loads()
    {
        var s = Assert.Single(Load(Minimal).Services);
        Assert.Equal("test-service", s.Id);
        Assert.Equal(DeadlineKind.Days, s.Versions[0].Parts[0].Deadline.Kind);
    }

    [Fact]
    public void A_misspelt_field_is_named_with_file_line_service_and_field()
    {
        var e = Assert.Throws<CatalogException>(() => Load(Minimal.Replace("validFrom: 2020", "validFrm: 2020", StringComparison.Ordinal)));

        Assert.Equal(2, e.Errors.Count);
        var unknown = e.Errors[0];
        Assert.Equal("tenant-401307.yaml", unknown.File);
        Assert.Equal("test-service", unknown.ServiceId);
        Assert.Equal("versions[0].validFrm", unknown.Field);
        Assert.Equal(6, unknown.Line);
        Assert.StartsWith("tenant-401307.yaml line 6: service 'test-service': versions[0].validFrm: unknown field (expected one of validFrom, validTo", unknown.ToString(), StringComparison.Ordinal);
        Assert.Equal("versions[0].validFrom", e.Errors[1].Field);
        Assert.StartsWith("required", e.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_english_name_is_an_error()
    {
        var error = SingleError(Minimal.Replace(", en: Test", "", StringComparison.Ordinal));
        Assert.Equal("names.en", error.Field);
        Assert.Contains("ja, ja-x-easy, en", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deadline_that_is_not_in_the_vocabulary_is_an_error()
    {
        var error = SingleError(Minimal.Replace("+15d", "+15days", StringComparison.Ordinal));
        Assert.Equal("versions[0].deadline", error.Field);
        Assert.Contains("'+15days' is not a deadline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_life_event_is_an_error()
    {
        var error = SingleError(Minimal.Replace("[BIRTH]", "[BIRTHDAY]", StringComparison.Ordinal));
        Assert.Equal("triggers", error.Field);
        Assert.Contains("unknown life event 'BIRTHDAY'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_condition_is_an_error_naming_its_path()
    {
        var error = SingleError(Minimal.Replace("        recipients", "        conditions:\n          all:\n            - age: {who: subject, max: 39}\n            - salary: {below: 5000000}\n        recipients", StringComparison.Ordinal));
        Assert.Equal("versions[0].conditions.all[1].salary", error.Field);
        Assert.Contains("unknown condition 'salary'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_condition_is_named_with_every_registered_condition()
    {
        var error = SingleError(Minimal.Replace("        recipients", "        conditions:\n          salary: {below: 5000000}\n        recipients", StringComparison.Ordinal));

        Assert.Equal($"unknown condition 'salary' ({ConditionNames.Listed})", error.Message);
    }

    [Fact]
    public void Every_condition_type_has_one_registered_name_and_the_loader_knows_every_name()
    {
        var types = typeof(Condition).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Condition)) && !t.IsAbstract).ToHashSet();
        Assert.Equal(types, ConditionNames.Registered.Select(r => r.Type).ToHashSet());
        Assert.Equal(ConditionNames.Registered.Count, ConditionNames.Registered.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ConditionNames.Registered, r =>
        {
            // A wrong value gives errors about the value (or none: assume takes any text), never "unknown condition".
            var e = Record.Exception(() => Load(Minimal.Replace("        recipients", $"        conditions:\n          {r.Name}: 12.5\n        recipients", StringComparison.Ordinal)));
            Assert.DoesNotContain((e as CatalogException)?.Errors ?? [], x => x.Message.StartsWith("unknown condition", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void The_catalog_header_documents_exactly_the_registered_conditions()
    {
        using var stream = typeof(Condition).Assembly.GetManifestResourceStream("PushGov.Domain.Eligibility.default-catalog.yaml")!;
        var header = new StreamReader(stream).ReadToEnd().Split('\n').SkipWhile(l => !l.StartsWith("# Conditions", StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.StartsWith("# Recipients", StringComparison.Ordinal));
        var documented = header.SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l, @"(?:^#\s+|\s{2})([A-Za-z]+):\s").Select(m => m.Groups[1].Value)).ToList();

        Assert.Equal(ConditionNames.Registered.Select(r => r.Name).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_role_is_named_with_every_role_and_every_role_has_one_name()
    {
        var error = SingleError(Minimal.Replace("from: [guardians]", "from: [guardians, neighbours]", StringComparison.Ordinal));

        Assert.Equal("unknown role 'neighbours' (subject, head, headSpouse, subjectSpouse, guardians, adults, related)", error.Message);
        Assert.All(Enum.GetValues<RecipientRole>(), r => Assert.True(RecipientRoles.TryParse(RecipientRoles.Name(r), out var back) && back == r, r.ToString()));
    }

    [Fact]
    public void An_unknown_who_is_named_with_every_who()
    {
        var error = SingleError(Minimal.Replace("        recipients", "        conditions:\n          age: {who: neighbour, max: 39}\n        recipients", StringComparison.Ordinal));

        Assert.Equal("versions[0].conditions.age.who", error.Field);
        Assert.Equal("unknown 'neighbour' (subject, spouse, couple, candidate, child, head, household)", error.Message);
    }

    [Fact]
    public void A_condition_on_income_needs_uses_tax_data()
    {
        var error = SingleError(Minimal.Replace("        recipients", "        conditions:\n          income: {of: household, below: 5000000}\n        recipients", StringComparison.Ordinal));
        Assert.Equal("usesTaxData", error.Field);
    }

    [Fact]
    public void Overlapping_versions_are_an_error()
    {
        var yaml = Minimal + "\n      - validFrom: 2024-10-01\n        recipients: {from: [guardians]}\n";
        var error = SingleError(yaml);
        Assert.Equal("versions", error.Field);
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yen_amount_that_is_not_a_number_is_an_error()
    {
        var error = SingleError(Minimal + "\n        amount: 50,000\n");
        Assert.Equal("versions[0].amount", error.Field);
    }

    [Fact]
    public void Broken_yaml_is_reported_with_its_line()
    {
        var error = SingleError("services:\n  - id: [unclosed\n");
        Assert.Equal("(yaml)", error.Field);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_at_once()
    {
        var e = Assert.Throws<CatalogException>(() => Load(Minimal.Replace("+15d", "soon", StringComparison.Ordinal).Replace("[BIRTH]", "[NOPE]", StringComparison.Ordinal)));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("triggers", e.Message, StringComparison.Ordinal);
        Assert.Contains("deadline", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_replaces_a_service_adds_one_and_disables_one()
    {
        var tenant = Load("""
            services:
              - id: sousaihi
                names: {ja: 葬祭費, ja-x-easy: おそうしきの おかね, en: Funeral expenses}
                triggers: [DEATH]
                needsClaim: true
                versions:
                  - validFrom: 2000-04-01
                    recipients: {from: [head, headSpouse, adults], first: true}
                    deadline: +2y
                    amount: 70000
              - id: gaikokujin-soudan
                names: {ja: 外国人相談窓口, ja-x-easy: がいこくじん そうだん, en: Foreign resident help desk}
                triggers: [MOVE_IN_ABROAD, MOVE_IN]
                versions:
                  - validFrom: 2020-04-01
                    conditions: {nationality: {who: subject, foreign: true}}
                    recipients: {from: [adults]}
            disable: [tennyu-guide]
            """);
        var catalog = CatalogLoader.LoadDefault().WithOverrides(tenant);

        Assert.Equal(DefaultIds.Where(i => i != "tennyu-guide").Append("gaikokujin-soudan"), catalog.Services.Select(s => s.Id));
        var matcher = catalog.Compile();
        var deceased = Snap(P("F", Relationships.Head, D(1950, 1, 1), RegistryStatus.Deceased), P("M", Relationships.Wife, D(1952, 1, 1)));
        Assert.Equal(70000, matcher.Match(Ev(DEATH, "F", D(2026, 11, 1)), deceased).Get("sousaihi").AmountYen);

        var foreign = Snap(P("A", Relationships.Head, D(1990, 1, 1), nationality: "VN"));
        var japanese = Snap(P("A", Relationships.Head, D(1990, 1, 1)));
        Assert.NotNull(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 1)), foreign).Find("gaikokujin-soudan"));
        Assert.Null(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 1)), japanese).Find("gaikokujin-soudan"));
        Assert.Null(matcher.Match(Ev(MOVE_IN, "A", D(2026, 11, 1)), japanese).Find("tennyu-guide"));
    }

    [Fact]
    public void A_service_that_needs_staff_says_so_on_every_match()
    {
        var matcher = Load(Minimal.Replace("    triggers: [BIRTH]", "    triggers: [BIRTH]\n    needsPerson: true\n    needsClaim: true", StringComparison.Ordinal)).Compile();
        var m = Assert.Single(matcher.Match(Ev(BIRTH, "B", D(2026, 11, 20)), Family(P("B", Relationships.Child, D(2026, 11, 20)))));
        Assert.True(m.NeedsPerson);
        Assert.True(m.NeedsClaim);
        Assert.Equal(D(2026, 12, 5), m.Deadline);
    }

    [Fact]
    public void Disabling_a_service_that_does_not_exist_is_an_error_naming_the_tenant_file()
    {
        var tenant = Load("disable: [tennyu-guid]");
        var e = Assert.Throws<CatalogException>(() => CatalogLoader.LoadDefault().WithOverrides(tenant));
        var error = Assert.Single(e.Errors);
        Assert.Equal("tenant-401307.yaml", error.File);
        Assert.Equal("tennyu-guid", error.ServiceId);
    }

    [Fact]
    public void The_dead_and_the_newborn_are_never_recipients_even_when_a_rule_names_them()
    {
        var matcher = Load("""
            services:
              - id: careless
                names: {ja: 例, ja-x-easy: れい, en: Example}
                triggers: [BIRTH, DEATH]
                versions:
                  - validFrom: 2000-01-01
                    recipients: {from: [subject], allowMinors: true}
            """).Compile();
        var s = Family(P("B", Relationships.Child, D(2026, 11, 20)));
        Assert.Empty(matcher.Match(Ev(BIRTH, "B", D(2026, 11, 20)), s));
        var d = Snap(P("F", Relationships.Head, D(1950, 1, 1), RegistryStatus.Deceased));
        var none = matcher.Match(Ev(DEATH, "F", D(2026, 11, 20)), d);
        Assert.Empty(none);
    }

    [Fact]
    public void Matching_is_deterministic_in_catalog_order_then_recipient_id()
    {
        var s = Snap(
            P("Z9", Relationships.Head, D(1950, 1, 1), RegistryStatus.Deceased),
            P("B2", Relationships.Wife, D(1955, 1, 1)),
            P("A1", Relationships.Child, D(1980, 1, 1)));
        var e = Ev(DEATH, "Z9", D(2026, 11, 1));

        var first = Match(e, s);
        var second = Match(e, s);

        Assert.Equal(["kokuho-shikaku", "sousaihi", "okuyami"], first.Select(m => m.ServiceId));
        Assert.Equal(["A1", "B2"], first.Get("okuyami").RecipientIds);
        Assert.Equal(first.Select(Describe), second.Select(Describe));
    }

    [Fact]
    public void An_event_no_service_listens_to_matches_nothing()
    {
        Assert.Empty(Match(Ev(RELOCATION, "F", D(2026, 11, 1)), Family()));
    }

    private static string Describe(ServiceMatch m) =>
        $"{m.ServiceId}/{m.Part}:{string.Join(",", m.RecipientIds)}:{m.Deadline}:{m.AmountYen}:{string.Join("|", m.Reasons.Select(r => r.Condition + r.Holds + r.Detail))}";

    [Fact]
    public void A_person_missing_from_the_snapshot_makes_a_condition_unknown_not_true()
    {
        var lone = Snap(P("H", Relationships.Head, D(1990, 1, 1))).WithTax(2026, true, ("H", 1_000_000, false));
        var m = Match(new LifeEvent
        {
            Kind = MARRIAGE,
            Tenant = "401307",
            EventId = "e1",
            ResidentId = "H",
            HouseholdId = "H1",
            EventDate = D(2026, 11, 1),
            Source = new EventSource("resident-changes", 2),
            RelatedResidentIds = ["ELSEWHERE"],
        }, lone).Get("kekkon-shinseikatsu");
        Assert.Equal(["H"], m.RecipientIds);
        Assert.Contains(m.Reasons, r => r.Condition == "age(couple) <= 39" && r.Detail.StartsWith("unknown:", StringComparison.Ordinal));
        Assert.Equal(300000, m.AmountYen); // the known spouse is over 29, so the ¥600,000 tier fails whatever the other's age
    }
}
