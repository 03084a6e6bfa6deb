using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace PushGov.Domain.Eligibility;

// The catalog loader, part 3 of 4: amounts (a fixed number of yen, or tiers with conditions and adjustments).
public static partial class CatalogLoader
{
    private sealed partial class Parser
    {
        private AmountRule? Amount(YamlNode node, string path)
        {
            if (node is YamlScalarNode)
            {
                return Long(node, path) is { } fixedYen ? new AmountRule { Tiers = [new AmountTier(null, fixedYen)] } : null;
            }

            if (node is not YamlMappingNode map)
            {
                Error(node, path, "expected a number of yen or a mapping with tiers");
                return null;
            }

            var f = Fields(map, path, "period", "upTo", "perChild", "childrenUpToAge", "tiers", "adjust");
            var period = AmountPeriod.Once;
            if (f.TryGetValue("period", out var pn))
            {
                switch (Scalar(pn, path + ".period"))
                {
                    case "once":
                        break;
                    case "month":
                        period = AmountPeriod.Month;
                        break;
                    default:
                        Error(pn, path + ".period", "expected 'once' or 'month'");
                        break;
                }
            }

            PerChildScope? scope = null;
            if (f.TryGetValue("perChild", out var sn))
            {
                switch (Scalar(sn, path + ".perChild"))
                {
                    case "subject-or-household":
                        scope = PerChildScope.SubjectOrHousehold;
                        break;
                    case "household":
                        scope = PerChildScope.Household;
                        break;
                    default:
                        Error(sn, path + ".perChild", "expected 'subject-or-household' or 'household'");
                        break;
                }
            }

            var tiers = new List<AmountTier>();
            if (f.TryGetValue("tiers", out var tn) && tn is YamlSequenceNode ts && ts.Children.Count > 0)
            {
                for (var i = 0; i < ts.Children.Count; i++)
                {
                    var tp = $"{path}.tiers[{i}]";
                    if (ts.Children[i] is not YamlMappingNode tm)
                    {
                        Error(ts.Children[i], tp, "expected a tier (a mapping with when and yen)");
                        continue;
                    }

                    var tf = Fields(tm, tp, "when", "yen", "perChild", "perAdditionalChild");
                    if (!tf.TryGetValue("yen", out var yn))
                    {
                        Error(tm, tp + ".yen", "required (a number of yen, or none)");
                        continue;
                    }

                    var yen = yn is YamlScalarNode { Value: "none" } ? null : Long(yn, tp + ".yen");
                    tiers.Add(new AmountTier(
                        tf.TryGetValue("when", out var wn) ? Condition(wn, tp + ".when") : null,
                        yen,
                        tf.TryGetValue("perChild", out var pc) ? Long(pc, tp + ".perChild") ?? 0 : 0,
                        tf.TryGetValue("perAdditionalChild", out var pa) ? Long(pa, tp + ".perAdditionalChild") ?? 0 : 0));
                }
            }
            else
            {
                Error(f.GetValueOrDefault("tiers") ?? map, path + ".tiers", "expected a non-empty list of tiers");
            }

            var adjust = new List<AmountAdjustment>();
            if (f.TryGetValue("adjust", out var adn))
            {
                if (adn is YamlSequenceNode aseq)
                {
                    for (var i = 0; i < aseq.Children.Count; i++)
                    {
                        var ap = $"{path}.adjust[{i}]";
                        if (aseq.Children[i] is not YamlMappingNode am)
                        {
                            Error(aseq.Children[i], ap, "expected a mapping with when and factor");
                            continue;
                        }

                        var af = Fields(am, ap, "when", "factor");
                        var when = af.TryGetValue("when", out var wn) ? Condition(wn, ap + ".when") : null;
                        decimal? factor = null;
                        if (af.TryGetValue("factor", out var fn) && Scalar(fn, ap + ".factor") is { } ft)
                        {
                            if (decimal.TryParse(ft, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fv) && fv > 0)
                            {
                                factor = fv;
                            }
                            else
                            {
                                Error(fn, ap + ".factor", $"'{ft}' is not a positive number such as 0.75");
                            }
                        }
                        else
                        {
                            Error(am, ap + ".factor", "required");
                        }

                        if (when is null)
                        {
                            Error(am, ap + ".when", "required");
                        }

                        if (when is not null && factor is not null)
                        {
                            adjust.Add(new AmountAdjustment(when, factor.Value));
                        }
                    }
                }
                else
                {
                    Error(adn, path + ".adjust", "expected a list");
                }
            }

            return new AmountRule
            {
                Period = period,
                UpTo = Bool(f, "upTo", path + ".") ?? false,
                PerChild = scope,
                ChildrenUpToAge = f.TryGetValue("childrenUpToAge", out var cu) ? Int(cu, path + ".childrenUpToAge") ?? 18 : 18,
                Tiers = tiers,
                Adjust = adjust,
            };
        }
    }
}
