using PushGov.Domain.Detection;
using PushGov.Domain.Residents;
using YamlDotNet.RepresentationModel;

namespace PushGov.Domain.Eligibility;

// The catalog loader, part 2 of 4: conditions (the keys in ConditionNames, each read into its condition type) and
// their arguments.
public static partial class CatalogLoader
{
    private sealed partial class Parser
    {
        /// <summary>"subject, spouse, …": every <see cref="Who"/> as a catalog writes it (any case), for error messages.</summary>
        private static readonly string WhoListed = string.Join(", ", Enum.GetValues<Who>().Select(w => w.ToString().ToLowerInvariant()));

        private Condition? Condition(YamlNode node, string path)
        {
            if (node is YamlSequenceNode seq)
            {
                return new AllCondition(Conditions(seq, path));
            }

            if (node is not YamlMappingNode map || map.Children.Count != 1)
            {
                Error(node, path, $"expected one condition: a mapping with one key ({ConditionNames.Listed})");
                return null;
            }

            var (keyNode, value) = map.Children.First();
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var p = path + "." + key;
            switch (key)
            {
                case ConditionNames.All:
                case ConditionNames.Any:
                    if (value is not YamlSequenceNode list || list.Children.Count == 0)
                    {
                        Error(value, p, "expected a non-empty list of conditions");
                        return null;
                    }

                    var items = Conditions(list, p);
                    return key == ConditionNames.All ? new AllCondition(items) : new AnyCondition(items);
                case ConditionNames.Not:
                    return Condition(value, p) is { } inner ? new NotCondition(inner) : null;
                case ConditionNames.Age:
                    {
                        var f = Args(value, p, "who", "min", "max");
                        if (f is null)
                        {
                            return null;
                        }

                        var (min, max) = (IntArg(f, "min", p), IntArg(f, "max", p));
                        if (min is null && max is null)
                        {
                            Error(value, p, "give min and/or max");
                        }

                        return new AgeCondition(WhoArg(f, p, Who.Subject), min, max);
                    }

                case ConditionNames.Relationship:
                    {
                        var f = Args(value, p, "who", "in");
                        return f is null ? null : new RelationshipCondition(WhoArg(f, p, Who.Candidate), ListArg(f, "in", p));
                    }

                case ConditionNames.Children:
                    {
                        var f = Args(value, p, "upToAge", "min", "max");
                        return f is null ? null : new ChildrenCondition(IntArg(f, "upToAge", p) ?? 18, IntArg(f, "min", p), IntArg(f, "max", p));
                    }

                case ConditionNames.ChildOrdinal:
                    {
                        var f = Args(value, p, "who", "upToAge", "min", "max");
                        return f is null ? null : new ChildOrdinalCondition(WhoArg(f, p, Who.Subject), IntArg(f, "upToAge", p) ?? 18, IntArg(f, "min", p), IntArg(f, "max", p));
                    }

                case ConditionNames.UpToMarchAfter:
                    {
                        var f = Args(value, p, "who", "age");
                        var age = f is null ? null : IntArg(f, "age", p);
                        if (f is not null && age is null)
                        {
                            Error(value, p + ".age", "required");
                        }

                        return f is null || age is null ? null : new UpToMarchAfterCondition(WhoArg(f, p, Who.Subject), age.Value);
                    }

                case ConditionNames.SingleParent:
                    {
                        var b = Scalar(value, p);
                        if (b is not ("true" or "false"))
                        {
                            Error(value, p, "expected true or false");
                            return null;
                        }

                        return new SingleParentCondition(b == "true");
                    }

                case ConditionNames.HouseholdSize:
                    {
                        var f = Args(value, p, "min", "max");
                        return f is null ? null : new HouseholdSizeCondition(IntArg(f, "min", p), IntArg(f, "max", p));
                    }

                case ConditionNames.Income:
                    {
                        var f = Args(value, p, "of", "fiscalYear", "below", "atMost", "plusPerChild");
                        if (f is null)
                        {
                            return null;
                        }

                        var below = LongArg(f, "below", p);
                        var atMost = LongArg(f, "atMost", p);
                        if (below is null && atMost is null)
                        {
                            Error(value, p, "give below and/or atMost (yen)");
                        }

                        return new IncomeCondition(WhoArg(f, p, Who.Household, "of"), FiscalYearArg(f, p), below, atMost, LongArg(f, "plusPerChild", p) ?? 0);
                    }

                case ConditionNames.NonTaxable:
                    {
                        var f = Args(value, p, "of", "fiscalYear");
                        return f is null ? null : new NonTaxableCondition(WhoArg(f, p, Who.Household, "of"), FiscalYearArg(f, p));
                    }

                case ConditionNames.Damage:
                    {
                        var levels = new List<DamageLevel>();
                        foreach (var s in Strings(value is YamlMappingNode dm ? Args(dm, p, "in")?.GetValueOrDefault("in") ?? dm : value, p))
                        {
                            if (DamageLevels.TryParse(s, out var level))
                            {
                                levels.Add(level);
                            }
                            else
                            {
                                Error(value, p, $"unknown damage level '{s}' (expected {DamageLevels.Listed})");
                            }
                        }

                        return new DamageCondition(levels);
                    }

                case ConditionNames.MovedIn:
                    {
                        var f = Args(value, p, "who", "withinDays", "onOrAfter", "onOrBefore");
                        return f is null
                            ? null
                            : new MovedInCondition(
                                WhoArg(f, p, Who.Subject),
                                IntArg(f, "withinDays", p),
                                f.TryGetValue("onOrAfter", out var a) ? Date(a, p + ".onOrAfter") : null,
                                f.TryGetValue("onOrBefore", out var b) ? Date(b, p + ".onOrBefore") : null);
                    }

                case ConditionNames.Nationality:
                    {
                        var f = Args(value, p, "who", "foreign", "in");
                        return f is null ? null : new NationalityCondition(WhoArg(f, p, Who.Candidate), Bool(f, "foreign", p + "."), f.ContainsKey("in") ? ListArg(f, "in", p) : []);
                    }

                case ConditionNames.EventKind:
                    {
                        var kinds = new List<LifeEventKind>();
                        foreach (var s in Strings(value, p))
                        {
                            if (Enum.TryParse<LifeEventKind>(s, false, out var k) && !s.All(char.IsDigit))
                            {
                                kinds.Add(k);
                            }
                            else
                            {
                                Error(value, p, $"unknown life event '{s}'");
                            }
                        }

                        return new EventKindCondition(kinds);
                    }

                case ConditionNames.Assume:
                    return Scalar(value, p) is { Length: > 0 } fact ? new AssumeCondition(fact) : null;
                default:
                    Error(keyNode, p, $"unknown condition '{key}' ({ConditionNames.Listed})");
                    return null;
            }
        }

        private List<Condition> Conditions(YamlSequenceNode seq, string path)
        {
            var list = new List<Condition>();
            for (var i = 0; i < seq.Children.Count; i++)
            {
                if (Condition(seq.Children[i], $"{path}[{i}]") is { } c)
                {
                    list.Add(c);
                }
            }

            return list;
        }

        private Who WhoArg(Dictionary<string, YamlNode> f, string path, Who fallback, string key = "who")
        {
            if (!f.TryGetValue(key, out var n))
            {
                return fallback;
            }

            var s = Scalar(n, path + "." + key);
            foreach (var w in Enum.GetValues<Who>())
            {
                if (string.Equals(s, w.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    return w;
                }
            }

            Error(n, path + "." + key, $"unknown '{s}' ({WhoListed})");
            return fallback;
        }

        private FiscalYearRule FiscalYearArg(Dictionary<string, YamlNode> f, string path)
        {
            if (!f.TryGetValue("fiscalYear", out var n))
            {
                return FiscalYearRule.Latest;
            }

            switch (Scalar(n, path + ".fiscalYear"))
            {
                case "latest":
                    return FiscalYearRule.Latest;
                case "event":
                    return FiscalYearRule.Event;
                case "previous":
                    return FiscalYearRule.Previous;
                default:
                    Error(n, path + ".fiscalYear", "expected latest, event or previous");
                    return FiscalYearRule.Latest;
            }
        }
    }
}
