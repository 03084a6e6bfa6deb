using System.Collections;
using System.Globalization;
using PushGov.Domain.Detection;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Eligibility;

/// <summary>
/// Matches life events to services: a pure function of the event and the household snapshot, over a catalog
/// precompiled into an index by <see cref="LifeEventKind"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Deciding a match formats no text. The reason trace of a match is built when <see cref="ServiceMatch.Reasons"/>
/// is first read, by evaluating the same rule again on the same event and snapshot (so the snapshot must not be
/// changed after matching; its members and facts are read-only lists). Pass <c>deferReasons: false</c> to build
/// every trace at once.
/// </remarks>
public sealed class ServiceMatcher
{
    private static readonly ServiceMatch[] NoMatches = [];
    private readonly ServiceDefinition[][] byKind;
    private readonly bool deferReasons;

    public ServiceMatcher(Catalog catalog, bool deferReasons = true)
    {
        Catalog = catalog;
        this.deferReasons = deferReasons;
        var kinds = Enum.GetValues<LifeEventKind>();
        byKind = new ServiceDefinition[kinds.Max(k => (int)k) + 1][];
        foreach (var k in kinds)
        {
            byKind[(int)k] = [.. catalog.Services.Where(s => s.Triggers.Contains(k))];
        }
    }

    public Catalog Catalog { get; }

    /// <summary>
    /// The services the event makes someone eligible for, in catalog order (then part order), each with its
    /// recipients in resident-id order, deadline, amount where the rule gives one, and the reason trace.
    /// </summary>
    public IReadOnlyList<ServiceMatch> Match(LifeEvent lifeEvent, HouseholdSnapshot snapshot)
    {
        var kind = (int)lifeEvent.Kind;
        var services = kind < byKind.Length ? byKind[kind] : [];
        if (services.Length == 0)
        {
            return NoMatches;
        }

        var ctx = new EvaluationContext(lifeEvent, snapshot);
        List<ServiceMatch>? results = null;
        foreach (var service in services)
        {
            var version = service.VersionOn(lifeEvent.EventDate);
            if (version is null)
            {
                continue;
            }

            var truth = version.Conditions?.Evaluate(ctx) ?? Truth.True;
            if (truth == Truth.False || (truth == Truth.Unknown && service.WhenUnknown == UnknownPolicy.Skip))
            {
                continue;
            }

            for (var p = 0; p < version.Parts.Count; p++)
            {
                var match = MatchPart(ctx, service, version, p, truth, null);
                if (match is not null)
                {
                    (results ??= new List<ServiceMatch>(4)).Add(deferReasons ? match : match with { Reasons = [.. match.Reasons] });
                }
            }
        }

        return results is null ? NoMatches : results;
    }

    /// <summary>Builds the reason trace of one part by evaluating it again with tracing on.</summary>
    private static List<ReasonStep> Explain(LifeEvent lifeEvent, HouseholdSnapshot snapshot, ServiceDefinition service, ServiceVersion version, int partIndex)
    {
        var ctx = new EvaluationContext(lifeEvent, snapshot);
        var trace = new List<ReasonStep>(12)
        {
            new("trigger", true, $"{lifeEvent.Kind}{(lifeEvent.Inferred ? " (inferred)" : "")} on {EvaluationContext.Day(lifeEvent.EventDate)}; rule in force from {version.Version}{(version.ValidTo is { } to ? " to " + EvaluationContext.Day(to) : "")}"),
        };
        ctx.Trace = trace;
        var truth = version.Conditions?.Evaluate(ctx) ?? Truth.True;
        if (truth == Truth.Unknown)
        {
            trace.Add(new ReasonStep("when unknown: tell", true, "a condition could not be evaluated; the service is mentioned without what it decides"));
        }

        MatchPart(ctx, service, version, partIndex, truth, trace);
        return trace;
    }

    private static ServiceMatch? MatchPart(EvaluationContext ctx, ServiceDefinition service, ServiceVersion version, int partIndex, Truth serviceTruth, List<ReasonStep>? trace)
    {
        var part = version.Parts[partIndex];
        ctx.Trace = trace;
        if (part.Id is not null)
        {
            trace?.Add(new ReasonStep("part " + part.Id, true, part.Note ?? ""));
        }

        if (part.Conditions is not null)
        {
            var t = part.Conditions.Evaluate(ctx);
            if (t == Truth.False || (t == Truth.Unknown && service.WhenUnknown == UnknownPolicy.Skip))
            {
                return null;
            }

            if (t == Truth.Unknown && serviceTruth != Truth.Unknown)
            {
                trace?.Add(new ReasonStep("when unknown: tell", true, "a condition of this part could not be evaluated; it is mentioned without what it decides"));
            }
        }

        var recipients = Recipients(ctx, part.Recipients, service.WhenUnknown, trace);
        if (recipients is null)
        {
            return null;
        }

        long? amount = null;
        if (part.Amount is not null)
        {
            ctx.Candidate = recipients[0];
            amount = Amount(ctx, part.Amount, trace);
            ctx.Candidate = null;
        }

        var deadline = part.Deadline.For(ctx.Event.EventDate);
        if (trace is not null && part.Deadline.Kind != DeadlineKind.None)
        {
            trace.Add(new ReasonStep("deadline " + part.Deadline.Text, true, deadline is { } d ? EvaluationContext.Day(d) : "none"));
        }

        ctx.Trace = null;
        if (trace is not null)
        {
            return null; // explaining: the trace is the result
        }

        var ids = new string[recipients.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = recipients[i].ResidentId;
        }

        if (ids.Length > 1)
        {
            Array.Sort(ids, StringComparer.Ordinal);
        }

        return new ServiceMatch
        {
            EventId = ctx.Event.EventId,
            ServiceId = service.Id,
            Part = part.Id,
            RecipientIds = ids,
            Deadline = deadline,
            AmountYen = amount,
            NeedsClaim = part.NeedsClaim ?? service.NeedsClaim,
            UsesTaxData = service.UsesTaxData,
            NeedsPerson = service.NeedsPerson,
            RuleVersion = version.Version,
            Reasons = new DeferredReasons(ctx.Event, ctx.Snapshot, service, version, partIndex),
        };
    }

    /// <summary>The recipients in role order, or null when nobody may receive the message.</summary>
    private static List<Person>? Recipients(EvaluationContext ctx, RecipientRule rule, UnknownPolicy whenUnknown, List<ReasonStep>? trace)
    {
        List<Person>? chosen = null;
        List<string>? notes = trace is null ? null : [];
        for (var roleIndex = 0; roleIndex < rule.From.Count; roleIndex++)
        {
            var role = rule.From[roleIndex];
            switch (role)
            {
                case RecipientRole.Subject:
                    Consider(ctx.Subject);
                    break;
                case RecipientRole.Head:
                    Consider(ctx.Head);
                    break;
                case RecipientRole.HeadSpouse:
                    Consider(ctx.HeadSpouse);
                    break;
                case RecipientRole.SubjectSpouse:
                    Consider(ctx.SubjectSpouse);
                    break;
                case RecipientRole.Guardians:
                    foreach (var m in ctx.Registered)
                    {
                        if (ctx.IsGuardian(m) && Consider(m))
                        {
                            break;
                        }
                    }

                    break;
                case RecipientRole.Adults:
                    foreach (var m in ctx.Registered)
                    {
                        if (Consider(m))
                        {
                            break;
                        }
                    }

                    break;
                default:
                    for (var idIndex = 0; idIndex < ctx.Event.RelatedResidentIds.Count; idIndex++)
                    {
                        var id = ctx.Event.RelatedResidentIds[idIndex];
                        if (Consider(ctx.Find(id)))
                        {
                            break;
                        }
                    }

                    break;
            }

            if (rule.First && chosen is not null)
            {
                break;
            }
        }

        if (trace is not null)
        {
            var found = chosen is null ? "nobody found" : string.Join("; ", chosen.Select(c => $"{c.ResidentId} ({c.Relationship})"));
            var detail = notes!.Count == 0 ? found : found + "; " + string.Join("; ", notes);
            trace.Add(new ReasonStep($"recipients from [{string.Join(", ", rule.From.Select(RecipientRoles.Name))}]{(rule.First ? " (first found)" : "")}", chosen is not null, detail));
        }

        return chosen;

        // True when the rule wants no more candidates.
        bool Consider(Person? p)
        {
            if (p is null || (chosen is not null && chosen.Contains(p)))
            {
                return false;
            }

            var excluded = Excluded(ctx, p, rule);
            if (excluded is null && rule.Where is not null)
            {
                ctx.Candidate = p;
                var t = rule.Where.Evaluate(ctx);
                ctx.Candidate = null;
                if (t == Truth.False || (t == Truth.Unknown && whenUnknown == UnknownPolicy.Skip))
                {
                    excluded = t == Truth.Unknown ? "condition unknown" : "condition does not hold";
                }
            }

            if (excluded is not null)
            {
                notes?.Add($"{p.ResidentId} excluded ({excluded})");
                return false;
            }

            (chosen ??= new List<Person>(2)).Add(p);
            return rule.First;
        }
    }

    /// <summary>Why a person may not receive the message, or null when they may.</summary>
    private static string? Excluded(EvaluationContext ctx, Person p, RecipientRule rule)
    {
        if (p.Status == RegistryStatus.Deceased)
        {
            return "deceased";
        }

        var isSubject = p.ResidentId == ctx.Event.ResidentId;
        if (ctx.Event.Kind == LifeEventKind.DEATH && isSubject)
        {
            return "deceased";
        }

        if (ctx.Event.Kind == LifeEventKind.BIRTH && isSubject)
        {
            return "newborn";
        }

        if (p.Status == RegistryStatus.Left && !isSubject)
        {
            return "left the household";
        }

        var birth = p.BirthDate.Exact ?? p.BirthDate.Approximate;
        if (birth is { } b && b >= ctx.Date)
        {
            return "newborn";
        }

        if (!rule.AllowMinors && birth is { } bb && EligibilityAge.AgeOn(bb, ctx.Date) < 18)
        {
            return "minor";
        }

        return null;
    }

    private static long? Amount(EvaluationContext ctx, AmountRule rule, List<ReasonStep>? trace)
    {
        ctx.Trace = null;
        var amount = Compute(ctx, rule, trace is not null, out var detail);
        ctx.Trace = trace;
        if (trace is not null)
        {
            var text = amount is { } total
                ? $"{(rule.UpTo ? "up to " : "")}{EvaluationContext.Yen(total)}{(rule.Period == AmountPeriod.Month ? " per month" : "")} ({detail})"
                : detail;
            trace.Add(new ReasonStep("amount", amount is not null, text));
        }

        return amount;
    }

    private static long? Compute(EvaluationContext ctx, AmountRule rule, bool explain, out string detail)
    {
        detail = "";
        var children = ctx.Children(rule.ChildrenUpToAge);
        long total;
        if (rule.PerChild is { } scope)
        {
            var subjectIsChild = ctx.Subject is not null && Array.IndexOf(children, ctx.Subject) >= 0;
            if (!subjectIsChild && children.Length == 0)
            {
                detail = "no child to count";
                return null;
            }

            total = 0;
            var start = scope == PerChildScope.SubjectOrHousehold && subjectIsChild ? -1 : 0;
            for (var i = start; i < (start < 0 ? 0 : children.Length); i++)
            {
                var child = i < 0 ? ctx.Subject! : children[i];
                ctx.Child = child;
                var tier = Tier(ctx, rule.Tiers, out var unknown);
                ctx.Child = null;
                if (unknown)
                {
                    detail = explain ? $"not evaluated: a condition for {child.ResidentId} is unknown" : "";
                    return null;
                }

                var yen = tier?.Yen ?? 0;
                if (explain)
                {
                    var ordinal = Array.IndexOf(children, child) + 1;
                    detail += (detail.Length > 0 ? "; " : "")
                        + $"{child.ResidentId} (child {ordinal} of {children.Length}, age {ctx.AgeOf(child)}): {EvaluationContext.Yen(yen)}";
                }

                total += yen;
            }
        }
        else
        {
            var tier = Tier(ctx, rule.Tiers, out var unknown);
            if (unknown)
            {
                detail = "not evaluated: it depends on a fact that is unknown (e.g. income without tax-data consent)";
                return null;
            }

            if (tier?.Yen is not { } yen)
            {
                detail = "no amount to mention";
                return null;
            }

            var n = children.Length;
            total = yen + tier.PerChild * n + tier.PerAdditionalChild * Math.Max(0, n - 1);
            if (explain)
            {
                detail = EvaluationContext.Yen(yen)
                    + (tier.PerChild > 0 ? $" + {EvaluationContext.Yen(tier.PerChild)} x {n} child(ren)" : "")
                    + (tier.PerAdditionalChild > 0 ? $" + {EvaluationContext.Yen(tier.PerAdditionalChild)} x {Math.Max(0, n - 1)} further child(ren)" : "");
            }
        }

        for (var adjIndex = 0; adjIndex < rule.Adjust.Count; adjIndex++)
        {
            var adj = rule.Adjust[adjIndex];
            var t = adj.When.Evaluate(ctx);
            if (t == Truth.Unknown)
            {
                detail += "; adjustment not evaluated: unknown";
                return null;
            }

            if (t == Truth.True)
            {
                total = (long)decimal.Floor(total * adj.Factor);
                if (explain)
                {
                    detail += " x " + adj.Factor.ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }

    private static AmountTier? Tier(EvaluationContext ctx, IReadOnlyList<AmountTier> tiers, out bool unknown)
    {
        unknown = false;
        for (var tierIndex = 0; tierIndex < tiers.Count; tierIndex++)
        {
            var tier = tiers[tierIndex];
            var t = tier.When?.Evaluate(ctx) ?? Truth.True;
            if (t == Truth.True)
            {
                return tier;
            }

            if (t == Truth.Unknown)
            {
                unknown = true;
                return null;
            }
        }

        return null;
    }

    /// <summary>The reason trace of a match, built on first read (thread-safe) by evaluating the rule again with tracing.</summary>
    private sealed class DeferredReasons(LifeEvent lifeEvent, HouseholdSnapshot snapshot, ServiceDefinition service, ServiceVersion version, int partIndex)
        : IReadOnlyList<ReasonStep>
    {
        private List<ReasonStep>? steps;

        private List<ReasonStep> Steps => LazyInitializer.EnsureInitialized(ref steps, () => Explain(lifeEvent, snapshot, service, version, partIndex));

        public ReasonStep this[int index] => Steps[index];

        public int Count => Steps.Count;

        public IEnumerator<ReasonStep> GetEnumerator() => Steps.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
