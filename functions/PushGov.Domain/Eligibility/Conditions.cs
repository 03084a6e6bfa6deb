using PushGov.Domain.Detection;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Eligibility;

/// <summary>Whom a condition looks at.</summary>
public enum Who
{
    /// <summary>The person of the event (the newborn, the deceased, the one who married, …).</summary>
    Subject,

    /// <summary>The subject's spouse (the new spouse of a MARRIAGE, else the spouse in the household).</summary>
    Spouse,

    /// <summary>The subject and their spouse: each must satisfy the condition (age) or their sum is taken (income).</summary>
    Couple,

    /// <summary>The recipient being considered (in <c>recipients.where</c> and amounts).</summary>
    Candidate,

    /// <summary>The child a per-child amount is computed for.</summary>
    Child,

    /// <summary>The head of household (世帯主).</summary>
    Head,

    /// <summary>All registered members of the household (income sums, non-taxable status).</summary>
    Household,
}

/// <summary>Which fiscal year (年度) of the 住民税 assessment a tax condition reads.</summary>
public enum FiscalYearRule
{
    /// <summary>The latest year on file that is not after the event's fiscal year.</summary>
    Latest,

    /// <summary>The fiscal year the event date falls in.</summary>
    Event,

    /// <summary>The fiscal year before the event's.</summary>
    Previous,
}

/// <summary>
/// One eligibility condition of the catalog's small typed vocabulary. Conditions are data; they compose with
/// <see cref="AllCondition"/>, <see cref="AnyCondition"/> and <see cref="NotCondition"/>.
/// </summary>
public abstract record Condition
{
    /// <summary>Evaluates on the context and writes one reason step per leaf (when tracing).</summary>
    internal abstract Truth Evaluate(EvaluationContext ctx);

    /// <summary>True when evaluating needs 住民税 data (and so the people's tax-data consent).</summary>
    public virtual bool NeedsTaxData => false;

    private protected static IReadOnlyList<Person?> People(EvaluationContext ctx, Who who) => ctx.People(who);

    /// <summary>The one person a single-person condition looks at (the subject for <c>couple</c>, the head for <c>household</c>).</summary>
    private protected static Person? One(EvaluationContext ctx, Who who) => who switch
    {
        Who.Subject or Who.Couple => ctx.Subject,
        Who.Spouse => ctx.SubjectSpouse,
        Who.Candidate => ctx.Candidate,
        Who.Child => ctx.Child,
        _ => ctx.Head,
    };

    private protected static string Name(Who who) => who.ToString().ToLowerInvariant();

    private protected static string Range(long? min, long? max) => (min, max) switch
    {
        ({ } a, { } b) => $"{a}..{b}",
        ({ } a, null) => $">= {a}",
        (null, { } b) => $"<= {b}",
        _ => "any",
    };

    private protected static bool InRange(long value, long? min, long? max) => (min is null || value >= min) && (max is null || value <= max);

    private protected static Truth TruthOf(bool b) => b ? Truth.True : Truth.False;
}

/// <summary>all: every condition holds (Unknown if none fails and one is unknown).</summary>
public sealed record AllCondition(IReadOnlyList<Condition> Conditions) : Condition
{
    public override bool NeedsTaxData => Conditions.Any(c => c.NeedsTaxData);

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var result = Truth.True;
        for (var cIndex = 0; cIndex < Conditions.Count; cIndex++)
        {
            var c = Conditions[cIndex];
            var t = c.Evaluate(ctx);
            if (t == Truth.False)
            {
                return Truth.False;
            }

            if (t == Truth.Unknown)
            {
                result = Truth.Unknown;
            }
        }

        return result;
    }
}

/// <summary>any: at least one condition holds (Unknown if none holds and one is unknown).</summary>
public sealed record AnyCondition(IReadOnlyList<Condition> Conditions) : Condition
{
    private readonly string label = $"any of {Conditions.Count}";

    public override bool NeedsTaxData => Conditions.Any(c => c.NeedsTaxData);

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var result = Truth.False;
        for (var cIndex = 0; cIndex < Conditions.Count; cIndex++)
        {
            var c = Conditions[cIndex];
            var t = c.Evaluate(ctx);
            if (t == Truth.True)
            {
                result = Truth.True;
                break;
            }

            if (t == Truth.Unknown)
            {
                result = Truth.Unknown;
            }
        }

        ctx.Step(label, result, result == Truth.True ? "one holds" : "none holds");
        return result;
    }
}

/// <summary>not: the condition does not hold (Unknown stays Unknown).</summary>
public sealed record NotCondition(Condition Inner) : Condition
{
    public override bool NeedsTaxData => Inner.NeedsTaxData;

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var t = Inner.Evaluate(ctx) switch
        {
            Truth.True => Truth.False,
            Truth.False => Truth.True,
            _ => Truth.Unknown,
        };
        ctx.Step("not", t, "negates the step above");
        return t;
    }
}

/// <summary>age: the age in law on the event date is within [min, max], for each person <see cref="Who"/> names.</summary>
public sealed record AgeCondition(Who Who, int? Min, int? Max) : Condition
{
    private readonly string label = $"age({Name(Who)}) {Range(Min, Max)}";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var result = Truth.True;
        if (Who is Who.Couple or Who.Household)
        {
            foreach (var p in People(ctx, Who))
            {
                result = And(result, One(ctx, p));
            }
        }
        else
        {
            result = One(ctx, One(ctx, Who));
        }

        if (ctx.Tracing)
        {
            var detail = new System.Text.StringBuilder();
            foreach (var p in Who is Who.Couple or Who.Household ? People(ctx, Who) : [One(ctx, Who)])
            {
                if (detail.Length > 0)
                {
                    detail.Append("; ");
                }

                if (p is null)
                {
                    detail.Append("person not in the household snapshot");
                }
                else if (ctx.AgeOf(p) is { } age)
                {
                    detail.Append(p.ResidentId).Append(" is ").Append(age).Append(" on ").Append(EvaluationContext.Day(ctx.Date));
                }
                else
                {
                    detail.Append(p.ResidentId).Append(": birth date not an exact day");
                }
            }

            ctx.Step(label, result, detail.ToString());
        }

        return result;
    }

    private Truth One(EvaluationContext ctx, Person? p) =>
        p is null || ctx.AgeOf(p) is not { } age ? Truth.Unknown : TruthOf(InRange(age, Min, Max));

    private static Truth And(Truth a, Truth b) =>
        a == Truth.False || b == Truth.False ? Truth.False : a == Truth.Unknown || b == Truth.Unknown ? Truth.Unknown : Truth.True;
}

/// <summary>relationship: 続柄 is one of the values (<c>spouse</c> and <c>child</c> stand for every spouse or child 続柄).</summary>
public sealed record RelationshipCondition(Who Who, IReadOnlyList<string> In) : Condition
{
    private readonly string label = $"relationship({Name(Who)}) in [{string.Join(", ", In)}]";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var p = One(ctx, Who);
        if (p is null)
        {
            ctx.Step(label, Truth.Unknown, "person not in the household snapshot");
            return Truth.Unknown;
        }

        var holds = false;
        for (var rIndex = 0; rIndex < In.Count; rIndex++)
        {
            var r = In[rIndex];
            if (r == p.Relationship || (r == "spouse" && Relationships.IsSpouse(p.Relationship)) || (r == "child" && Relationships.IsChild(p.Relationship)))
            {
                holds = true;
                break;
            }
        }

        var t = TruthOf(holds);
        ctx.Step(label, t, $"{p.ResidentId} is {p.Relationship}");
        return t;
    }
}

/// <summary>children: the number of the household's children up to the 31 March after <see cref="UpToAge"/> is within [min, max].</summary>
public sealed record ChildrenCondition(int UpToAge, int? Min, int? Max) : Condition
{
    private readonly string label = $"children up to 31 March after {UpToAge}: {Range(Min, Max)}";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var n = ctx.Children(UpToAge).Length;
        var t = TruthOf(InRange(n, Min, Max));
        if (ctx.Tracing)
        {
            var undated = ctx.UndatedMembers;
            ctx.Step(label, t, undated > 0 ? $"{n} on {EvaluationContext.Day(ctx.Date)} ({undated} member(s) without an exact birth date not counted)" : $"{n} on {EvaluationContext.Day(ctx.Date)}");
        }

        return t;
    }
}

/// <summary>childOrdinal: the child's rank among the household's children (oldest = 1) is within [min, max] ("third child" rules).</summary>
public sealed record ChildOrdinalCondition(Who Who, int UpToAge, int? Min, int? Max) : Condition
{
    private readonly string label = $"child ordinal({Name(Who)}) {Range(Min, Max)}";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var p = One(ctx, Who);
        var children = ctx.Children(UpToAge);
        var index = p is null ? -1 : Array.IndexOf(children, p);
        if (index < 0)
        {
            if (ctx.Tracing)
            {
                ctx.Step(label, Truth.Unknown, p is null ? "person not in the household snapshot" : $"{p.ResidentId} is not a child up to 31 March after {UpToAge}");
            }

            return Truth.Unknown;
        }

        var t = TruthOf(InRange(index + 1, Min, Max));
        ctx.Step(label, t, $"{p!.ResidentId} is child {index + 1} of {children.Length}");
        return t;
    }
}

/// <summary>singleParent: the household has children up to the 31 March after 18 and exactly one adult head or spouse.</summary>
public sealed record SingleParentCondition(bool Expected) : Condition
{
    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var guardians = ctx.GuardianCount();
        var children = ctx.Children(18).Length;
        var single = children > 0 && guardians == 1;
        var t = TruthOf(single == Expected);
        ctx.Step(Expected ? "single-parent household" : "not a single-parent household", t, $"{guardians} adult head/spouse, {children} child(ren) up to 31 March after 18");
        return t;
    }
}

/// <summary>householdSize: the number of registered (living, not moved out) members is within [min, max].</summary>
public sealed record HouseholdSizeCondition(int? Min, int? Max) : Condition
{
    private readonly string label = $"household size {Range(Min, Max)}";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var n = ctx.Registered.Length;
        var t = TruthOf(InRange(n, Min, Max));
        ctx.Step(label, t, $"{n} registered member(s)");
        return t;
    }
}

/// <summary>
/// income: taxable income (課税標準額/合計所得金額) of the people named, summed, compared with a limit that may rise per child
/// (扶養親族). Needs tax data: Unknown when a person whose record is used has not consented, or no record exists.
/// </summary>
public sealed record IncomeCondition(Who Of, FiscalYearRule FiscalYear, long? Below, long? AtMost, long PlusPerChild) : Condition
{
    private readonly string label =
        $"income({Name(Of)}) {(Below is { } b ? "< " + EvaluationContext.Yen(b) : "<= " + EvaluationContext.Yen(AtMost ?? 0))}{(PlusPerChild > 0 ? $" + {EvaluationContext.Yen(PlusPerChild)} per child" : "")}";

    public override bool NeedsTaxData => true;

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var limitChildren = PlusPerChild == 0 ? 0 : ctx.Children(18).Length;
        var below = Below + PlusPerChild * limitChildren;
        var atMost = AtMost + PlusPerChild * limitChildren;
        var sum = TaxSum.Of(ctx, Of, FiscalYear, out var why, out var fy);
        if (sum is null)
        {
            ctx.Step(label, Truth.Unknown, why);
            return Truth.Unknown;
        }

        var t = TruthOf((below is null || sum < below) && (atMost is null || sum <= atMost));
        if (ctx.Tracing)
        {
            var limit = EvaluationContext.Yen(below ?? atMost ?? 0);
            ctx.Step(label, t, $"{EvaluationContext.Yen(sum.Value)} in fiscal year {fy}, limit {limit}{(PlusPerChild > 0 ? $" with {limitChildren} child(ren)" : "")}{why}");
        }

        return t;
    }
}

/// <summary>nonTaxable: every person named is 住民税非課税 in the fiscal year. Needs tax data (and consent).</summary>
public sealed record NonTaxableCondition(Who Of, FiscalYearRule FiscalYear) : Condition
{
    private readonly string label = $"non-taxable({Name(Of)})";

    public override bool NeedsTaxData => true;

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var all = TaxSum.AllNonTaxable(ctx, Of, FiscalYear, out var why, out var fy);
        if (all is null)
        {
            ctx.Step(label, Truth.Unknown, why);
            return Truth.Unknown;
        }

        var t = TruthOf(all.Value);
        ctx.Step(label, t, $"fiscal year {fy}: {(all.Value ? "every member non-taxable" : "a member is taxable")}{why}");
        return t;
    }
}

/// <summary>damage: the 罹災証明 the event is about has one of the damage levels.</summary>
public sealed record DamageCondition(IReadOnlyList<DamageLevel> In) : Condition
{
    private readonly string label = $"damage in [{string.Join(", ", In.Select(DamageLevels.Japanese))}]";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var cert = ctx.Certificate();
        if (cert is null)
        {
            ctx.Step(label, Truth.Unknown, "no 罹災証明 for the household on or before the event date");
            return Truth.Unknown;
        }

        var t = TruthOf(In.Contains(cert.DamageLevel));
        ctx.Step(label, t, $"certificate {cert.RecordId}: {DamageLevels.Japanese(cert.DamageLevel)} on {EvaluationContext.Day(cert.CertifiedDate)}");
        return t;
    }
}

/// <summary>movedIn: the person moved in (転入) within the last N days of the event date and/or inside fixed dates.</summary>
public sealed record MovedInCondition(Who Who, int? WithinDays, DateOnly? OnOrAfter, DateOnly? OnOrBefore) : Condition
{
    private const string Label = "moved in";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var p = One(ctx, Who);
        if (p is null)
        {
            ctx.Step(Label, Truth.Unknown, "person not in the household snapshot");
            return Truth.Unknown;
        }

        if (p.MovedInDate is not { } moved)
        {
            ctx.Step(Label, Truth.False, $"{p.ResidentId} has no move-in date");
            return Truth.False;
        }

        var holds = moved <= ctx.Date
            && (WithinDays is null || moved >= ctx.Date.AddDays(-WithinDays.Value))
            && (OnOrAfter is null || moved >= OnOrAfter)
            && (OnOrBefore is null || moved <= OnOrBefore);
        var t = TruthOf(holds);
        ctx.Step(Label, t, $"{p.ResidentId} moved in on {EvaluationContext.Day(moved)}");
        return t;
    }
}

/// <summary>nationality: foreign (any nationality recorded) or Japanese, or one of the ISO 3166-1 codes.</summary>
public sealed record NationalityCondition(Who Who, bool? Foreign, IReadOnlyList<string> In) : Condition
{
    private const string Label = "nationality";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var p = One(ctx, Who);
        if (p is null)
        {
            ctx.Step(Label, Truth.Unknown, "person not in the household snapshot");
            return Truth.Unknown;
        }

        var foreign = !string.IsNullOrEmpty(p.Nationality);
        var holds = (Foreign is null || Foreign == foreign) && (In.Count == 0 || (foreign && In.Contains(p.Nationality!, StringComparer.OrdinalIgnoreCase)));
        var t = TruthOf(holds);
        ctx.Step(Label, t, $"{p.ResidentId}: {(foreign ? p.Nationality : "Japanese national")}");
        return t;
    }
}

/// <summary>eventKind: the event is one of the kinds (for rules that differ by trigger).</summary>
public sealed record EventKindCondition(IReadOnlyList<LifeEventKind> In) : Condition
{
    private readonly string label = $"event kind in [{string.Join(", ", In)}]";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var t = TruthOf(In.Contains(ctx.Event.Kind));
        ctx.Step(label, t, $"{ctx.Event.Kind}");
        return t;
    }
}

/// <summary>assume: a fact PushGov does not hold (e.g. 国民健康保険 membership); recorded as assumed, so the message says "if …".</summary>
public sealed record AssumeCondition(string Fact) : Condition
{
    private readonly string label = "assumed: " + Fact;

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        ctx.Step(label, Truth.True, "not held in the data; the message must say it applies only if this is so");
        return Truth.True;
    }
}

/// <summary>Reads 住民税 facts for the people a tax condition names, honouring tax-data consent.</summary>
internal static class TaxSum
{
    public static long? Of(EvaluationContext ctx, Who who, FiscalYearRule rule, out string why, out int fiscalYear)
    {
        why = "";
        fiscalYear = 0;
        if (!Records(ctx, who, rule, out var records, out why, out fiscalYear))
        {
            return null;
        }

        long sum = 0;
        foreach (var r in records)
        {
            sum += r?.TaxableIncomeYen ?? 0;
        }

        return sum;
    }

    public static bool? AllNonTaxable(EvaluationContext ctx, Who who, FiscalYearRule rule, out string why, out int fiscalYear)
    {
        if (!Records(ctx, who, rule, out var records, out why, out fiscalYear))
        {
            return null;
        }

        return records.All(r => r is null || r.NonTaxable);
    }

    private static bool Records(EvaluationContext ctx, Who who, FiscalYearRule rule, out List<TaxRecord?> records, out string why, out int fiscalYear)
    {
        records = [];
        why = "";
        fiscalYear = 0;
        if (ctx.FiscalYear(rule) is not { } fy)
        {
            why = "no 住民税 record on file";
            return false;
        }

        fiscalYear = fy;
        var missing = 0;
        var noConsent = 0;
        foreach (var p in People(ctx, who))
        {
            if (p is null)
            {
                why = "person not in the household snapshot";
                return false;
            }

            var record = ctx.TaxOf(p.ResidentId, fy);
            if (record is null)
            {
                missing++;
            }
            else if (!ctx.Snapshot.TaxDataConsent.Contains(p.ResidentId))
            {
                noConsent++;
            }

            records.Add(record);
        }

        if (noConsent > 0)
        {
            why = $"no tax-data consent from {noConsent} person(s) whose 住民税 data would be used";
            return false;
        }

        if (records.Count == 0 || missing == records.Count)
        {
            why = $"no 住民税 record for fiscal year {fy}";
            return false;
        }

        if (missing > 0)
        {
            why = $" ({missing} person(s) without a record counted as no income, non-taxable)";
        }

        return true;
    }

    private static IReadOnlyList<Person?> People(EvaluationContext ctx, Who who) => ctx.People(who);
}

/// <summary>upToMarchAfter: the person is still "up to the 31 March after attaining <see cref="Age"/>" on the event date (school-year ages).</summary>
public sealed record UpToMarchAfterCondition(Who Who, int Age) : Condition
{
    private readonly string label = $"{Name(Who)} up to 31 March after {Age}";

    internal override Truth Evaluate(EvaluationContext ctx)
    {
        var p = One(ctx, Who);
        if (p?.BirthDate.Exact is not { } birth)
        {
            if (ctx.Tracing)
            {
                ctx.Step(label, Truth.Unknown, p is null ? "person not in the household snapshot" : $"{p.ResidentId}: birth date not an exact day");
            }

            return Truth.Unknown;
        }

        var end = EligibilityAge.MarchEndAfter(birth, Age);
        var t = TruthOf(ctx.Date <= end);
        ctx.Step(label, t, $"{p.ResidentId}: until {EvaluationContext.Day(end)}");
        return t;
    }
}
