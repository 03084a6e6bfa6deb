using PushGov.Domain.Detection;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Eligibility;

/// <summary>
/// Matches life events to services: a pure function of the event and the household snapshot, over a catalog
/// precompiled into an index by <see cref="LifeEventKind"/>. Thread-safe.
/// </summary>
public sealed class ServiceMatcher
{
    private static readonly ServiceMatch[] NoMatches = [];
    private readonly ServiceDefinition[][] byKind;

    public ServiceMatcher(Catalog catalog)
    {
        Catalog = catalog;
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

            // First pass without a trace: most services an event could trigger fail cheaply.
            ctx.Trace = null;
            var truth = version.Conditions?.Evaluate(ctx) ?? Truth.True;
            if (truth == Truth.False || (truth == Truth.Unknown && service.WhenUnknown == UnknownPolicy.Skip))
            {
                continue;
            }

            var trace = new List<ReasonStep>(8)
            {
                new("trigger", true, $"{lifeEvent.Kind} on {EvaluationContext.Day(lifeEvent.EventDate)}; rule in force from {version.Version}{(version.ValidTo is { } to ? " to " + EvaluationContext.Day(to) : "")}"),
            };
            ctx.Trace = trace;
            version.Conditions?.Evaluate(ctx);
            if (truth == Truth.Unknown)
            {
                trace.Add(new ReasonStep("when unknown: tell", true, "a condition could not be evaluated; the service is mentioned without what it decides"));
            }

            foreach (var part in version.Parts)
            {
                var match = MatchPart(ctx, service, version, part, trace, truth);
                if (match is not null)
                {
                    (results ??= []).Add(match);
                }
            }
        }

        return results is null ? NoMatches : results;
    }

    private static ServiceMatch? MatchPart(EvaluationContext ctx, ServiceDefinition service, ServiceVersion version, ServicePart part, List<ReasonStep> shared, Truth serviceTruth)
    {
        var trace = version.Parts.Count == 1 ? shared : [.. shared];
        ctx.Trace = trace;
        if (part.Id is not null)
        {
            trace.Add(new ReasonStep("part " + part.Id, true, part.Note ?? ""));
        }

        var unknown = serviceTruth == Truth.Unknown;
        if (part.Conditions is not null)
        {
            var t = part.Conditions.Evaluate(ctx);
            if (t == Truth.False || (t == Truth.Unknown && service.WhenUnknown == UnknownPolicy.Skip))
            {
                return null;
            }

            if (t == Truth.Unknown && !unknown)
            {
                unknown = true;
                trace.Add(new ReasonStep("when unknown: tell", true, "a condition of this part could not be evaluated; it is mentioned without what it decides"));
            }
        }

        var recipients = Recipients(ctx, part.Recipients, service.WhenUnknown, out var recipientDetail);
        trace.Add(new ReasonStep($"recipients from [{string.Join(", ", part.Recipients.From)}]{(part.Recipients.First ? " (first found)" : "")}", recipients.Count > 0, recipientDetail));
        if (recipients.Count == 0)
        {
            return null;
        }

        long? amount = null;
        if (part.Amount is not null)
        {
            ctx.Candidate = recipients[0];
            amount = Amount(ctx, part.Amount, out var amountDetail);
            ctx.Candidate = null;
            trace.Add(new ReasonStep("amount", amount is not null, amountDetail));
        }

        var deadline = part.Deadline.For(ctx.Event.EventDate);
        if (part.Deadline.Kind != DeadlineKind.None)
        {
            trace.Add(new ReasonStep("deadline " + part.Deadline.Text, true, deadline is { } d ? EvaluationContext.Day(d) : "none"));
        }

        var ids = new string[recipients.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = recipients[i].ResidentId;
        }

        Array.Sort(ids, StringComparer.Ordinal);
        ctx.Trace = null;
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
            Reasons = trace,
        };
    }

    private static List<Person> Recipients(EvaluationContext ctx, RecipientRule rule, UnknownPolicy whenUnknown, out string detail)
    {
        var chosen = new List<Person>(2);
        var notes = new List<string>();
        var saved = ctx.Trace;
        foreach (var role in rule.From)
        {
            foreach (var p in Candidates(ctx, role))
            {
                if (p is null || chosen.Contains(p))
                {
                    continue;
                }

                var excluded = Excluded(ctx, p, rule);
                if (excluded is null && rule.Where is not null)
                {
                    ctx.Candidate = p;
                    ctx.Trace = saved;
                    var t = rule.Where.Evaluate(ctx);
                    ctx.Candidate = null;
                    if (t == Truth.False || (t == Truth.Unknown && whenUnknown == UnknownPolicy.Skip))
                    {
                        excluded = t == Truth.Unknown ? "condition unknown" : "condition does not hold";
                    }
                }

                if (excluded is not null)
                {
                    notes.Add($"{p.ResidentId} excluded ({excluded})");
                    continue;
                }

                chosen.Add(p);
                if (rule.First)
                {
                    break;
                }
            }

            if (rule.First && chosen.Count > 0)
            {
                break;
            }
        }

        detail = string.Join("; ", chosen.Select(c => $"{c.ResidentId} ({c.Relationship})").Concat(notes));
        if (detail.Length == 0)
        {
            detail = "nobody found";
        }

        return chosen;
    }

    /// <summary>Why a person may not receive the message, or null when they may.</summary>
    private static string? Excluded(EvaluationContext ctx, Person p, RecipientRule rule)
    {
        if (p.Status == RegistryStatus.Deceased)
        {
            return "deceased";
        }

        var isSubject = p.ResidentId == ctx.Event.ResidentId;
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

    private static IEnumerable<Person?> Candidates(EvaluationContext ctx, RecipientRole role)
    {
        switch (role)
        {
            case RecipientRole.Subject:
                return [ctx.Subject];
            case RecipientRole.Head:
                return [ctx.Head];
            case RecipientRole.HeadSpouse:
                return [ctx.HeadSpouse];
            case RecipientRole.SubjectSpouse:
                return [ctx.SubjectSpouse];
            case RecipientRole.Guardians:
                return ctx.Guardians();
            case RecipientRole.Adults:
                return ctx.Registered;
            default:
                return ctx.Event.RelatedResidentIds.Select(ctx.Snapshot.Find);
        }
    }

    private static long? Amount(EvaluationContext ctx, AmountRule rule, out string detail)
    {
        var saved = ctx.Trace;
        ctx.Trace = null;
        try
        {
            var children = ctx.Children(rule.ChildrenUpToAge);
            long total;
            if (rule.PerChild is { } scope)
            {
                var subjectIsChild = ctx.Subject is not null && Array.IndexOf(children, ctx.Subject) >= 0;
                IReadOnlyList<Person> over = scope == PerChildScope.SubjectOrHousehold && subjectIsChild ? [ctx.Subject!] : children;
                total = 0;
                var parts = new List<string>(over.Count);
                foreach (var child in over)
                {
                    ctx.Child = child;
                    var tier = Tier(ctx, rule.Tiers, out var unknown);
                    ctx.Child = null;
                    if (unknown)
                    {
                        detail = $"not evaluated: a condition for {child.ResidentId} is unknown";
                        return null;
                    }

                    var yen = tier?.Yen ?? 0;
                    parts.Add($"{child.ResidentId}: {EvaluationContext.Yen(yen)}");
                    total += yen;
                }

                if (over.Count == 0)
                {
                    detail = "no child to count";
                    return null;
                }

                detail = string.Join("; ", parts);
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
                detail = EvaluationContext.Yen(yen)
                    + (tier.PerChild > 0 ? $" + {EvaluationContext.Yen(tier.PerChild)} x {n} child(ren)" : "")
                    + (tier.PerAdditionalChild > 0 ? $" + {EvaluationContext.Yen(tier.PerAdditionalChild)} x {Math.Max(0, n - 1)} further child(ren)" : "");
            }

            foreach (var adj in rule.Adjust)
            {
                var t = adj.When.Evaluate(ctx);
                if (t == Truth.Unknown)
                {
                    detail += "; adjustment not evaluated: unknown";
                    return null;
                }

                if (t == Truth.True)
                {
                    total = (long)decimal.Floor(total * adj.Factor);
                    detail += $"; x {adj.Factor.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                }
            }

            detail = $"{(rule.UpTo ? "up to " : "")}{EvaluationContext.Yen(total)}{(rule.Period == AmountPeriod.Month ? " per month" : "")} ({detail})";
            return total;
        }
        finally
        {
            ctx.Trace = saved;
        }
    }

    private static AmountTier? Tier(EvaluationContext ctx, IReadOnlyList<AmountTier> tiers, out bool unknown)
    {
        unknown = false;
        foreach (var tier in tiers)
        {
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
}
