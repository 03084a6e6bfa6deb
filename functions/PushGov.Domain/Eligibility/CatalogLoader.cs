using PushGov.Domain.Applications;
using PushGov.Domain.Detection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PushGov.Domain.Eligibility;

/// <summary>
/// Reads service catalogs from YAML (the format municipal staff edit; see Catalog/default-catalog.yaml) and
/// validates them with typed checks: every error names the file, the line, the service and the field.
/// In four files: this one reads services, versions, parts and recipients; CatalogLoader.Conditions.cs the conditions,
/// CatalogLoader.Amounts.cs the amounts, and CatalogLoader.Yaml.cs the YAML helpers that collect the errors.
/// </summary>
public static partial class CatalogLoader
{
    public const string DefaultFileName = "default-catalog.yaml";

    private static readonly string[] RequiredLanguages = ["ja", "ja-x-easy", "en"];

    /// <summary>The catalog that ships with PushGov (embedded resource).</summary>
    public static Catalog LoadDefault()
    {
        using var stream = typeof(CatalogLoader).Assembly.GetManifestResourceStream("PushGov.Domain.Eligibility.default-catalog.yaml")
            ?? throw new InvalidOperationException("The default catalog is not embedded in PushGov.Domain.");
        using var reader = new StreamReader(stream);
        return Load(reader, DefaultFileName);
    }

    /// <summary>Reads and validates a catalog; throws <see cref="CatalogException"/> listing every error.</summary>
    public static Catalog Load(TextReader yaml, string fileName)
    {
        var parser = new Parser(fileName);
        var catalog = parser.Read(yaml);
        if (parser.Errors.Count > 0 || catalog is null)
        {
            throw new CatalogException(parser.Errors);
        }

        return catalog;
    }

    private sealed partial class Parser(string file)
    {
        public Catalog? Read(TextReader yaml)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(yaml);
            }
            catch (YamlException e)
            {
                Errors.Add(new CatalogError(file, null, "(yaml)", e.Message, Line(e.Start)));
                return null;
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Errors.Add(new CatalogError(file, null, "(root)", "expected a mapping with 'services:' and/or 'disable:'"));
                return null;
            }

            var fields = Fields(root, "(root)", "services", "disable");
            var services = new List<ServiceDefinition>();
            if (fields.TryGetValue("services", out var servicesNode))
            {
                if (servicesNode is YamlSequenceNode seq)
                {
                    var seen = new HashSet<string>();
                    for (var i = 0; i < seq.Children.Count; i++)
                    {
                        var s = Service(seq.Children[i], $"services[{i}]");
                        if (s is null)
                        {
                            continue;
                        }

                        if (!seen.Add(s.Id))
                        {
                            Error(seq.Children[i], "id", $"duplicate service id '{s.Id}'");
                        }

                        services.Add(s);
                    }
                }
                else
                {
                    Error(servicesNode, "services", "expected a list of services");
                }
            }

            var disable = fields.TryGetValue("disable", out var d) ? Strings(d, "disable") : [];
            return new Catalog(file, services, disable);
        }

        private ServiceDefinition? Service(YamlNode node, string path)
        {
            serviceId = null;
            if (node is not YamlMappingNode map)
            {
                Error(node, path, "expected a service (a mapping with id, names, triggers, versions, …)");
                return null;
            }

            var f = Fields(map, path, "id", "names", "triggers", "department", "apply", "needsClaim", "usesTaxData", "needsPerson", "whenUnknown", "note", "oneStep", "versions");
            var id = f.TryGetValue("id", out var idNode) ? Scalar(idNode, "id") : null;
            if (id is null)
            {
                Error(map, path + ".id", "required");
                return null;
            }

            if (id.Length == 0 || !id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                Error(idNode!, "id", $"'{id}' must be lower-case letters, digits and '-'");
            }

            serviceId = id;
            var names = Names(f.GetValueOrDefault("names"), "names", map, required: true);
            var triggers = new List<LifeEventKind>();
            if (f.TryGetValue("triggers", out var trig))
            {
                foreach (var t in Strings(trig, "triggers"))
                {
                    if (Enum.TryParse<LifeEventKind>(t, ignoreCase: false, out var k) && Enum.IsDefined(k) && !t.All(char.IsDigit))
                    {
                        triggers.Add(k);
                    }
                    else
                    {
                        Error(trig, "triggers", $"unknown life event '{t}' (one of {string.Join(", ", Enum.GetNames<LifeEventKind>())})");
                    }
                }
            }

            if (triggers.Count == 0 && (trig is null || Strings(trig, "triggers").Count == 0))
            {
                Error(f.GetValueOrDefault("triggers") ?? map, "triggers", "at least one life event is required");
            }

            string? portal = null;
            string? counter = null;
            if (f.TryGetValue("apply", out var apply))
            {
                if (apply is YamlMappingNode am)
                {
                    var af = Fields(am, "apply", "portal", "counter");
                    portal = af.TryGetValue("portal", out var pn) ? Scalar(pn, "apply.portal") : null;
                    counter = af.TryGetValue("counter", out var cn) ? Scalar(cn, "apply.counter") : null;
                    if (portal is not null && !(Uri.TryCreate(portal, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
                    {
                        Error(pn!, "apply.portal", $"'{portal}' is not an absolute http(s) URL");
                    }
                }
                else
                {
                    Error(apply, "apply", "expected a mapping with portal and/or counter");
                }
            }

            var whenUnknown = UnknownPolicy.Tell;
            if (f.TryGetValue("whenUnknown", out var wu))
            {
                switch (Scalar(wu, "whenUnknown"))
                {
                    case "tell":
                        break;
                    case "skip":
                        whenUnknown = UnknownPolicy.Skip;
                        break;
                    default:
                        Error(wu, "whenUnknown", "expected 'tell' or 'skip'");
                        break;
                }
            }

            var usesTax = Bool(f, "usesTaxData") ?? false;
            var versions = new List<ServiceVersion>();
            if (f.TryGetValue("versions", out var vn) && vn is YamlSequenceNode vseq && vseq.Children.Count > 0)
            {
                for (var i = 0; i < vseq.Children.Count; i++)
                {
                    if (Version(vseq.Children[i], $"versions[{i}]") is { } v)
                    {
                        versions.Add(v);
                    }
                }

                versions.Sort((a, b) => a.ValidFrom.CompareTo(b.ValidFrom));
                for (var i = 1; i < versions.Count; i++)
                {
                    var prev = versions[i - 1];
                    if (prev.ValidTo is null || prev.ValidTo >= versions[i].ValidFrom)
                    {
                        Error(vn, "versions", $"version from {prev.Version} overlaps version from {versions[i].Version}: give the earlier one a validTo before {versions[i].Version}");
                    }
                }

                if (!usesTax && versions.Any(v => UsesTax(v)))
                {
                    Error(map, "usesTaxData", "a condition reads tax data (income, nonTaxable): set usesTaxData: true so tax-data consent is checked and shown");
                }
            }
            else
            {
                Error(f.GetValueOrDefault("versions") ?? map, "versions", "at least one version (with validFrom) is required");
            }

            return new ServiceDefinition
            {
                Id = id,
                Names = names,
                Triggers = triggers,
                Department = f.TryGetValue("department", out var dep) ? Scalar(dep, "department") : null,
                PortalUrl = portal,
                Counter = counter,
                NeedsClaim = Bool(f, "needsClaim") ?? false,
                UsesTaxData = usesTax,
                NeedsPerson = Bool(f, "needsPerson") ?? false,
                WhenUnknown = whenUnknown,
                Note = f.TryGetValue("note", out var note) ? Scalar(note, "note") : null,
                OneStepFields = f.TryGetValue("oneStep", out var oneStep) ? OneStep(oneStep) : null,
                Versions = versions,
            };
        }

        /// <summary><c>oneStep: {fields: [applicant, …]}</c>: the known fields, each once, the applicant always among them.</summary>
        private List<string>? OneStep(YamlNode node)
        {
            if (Args(node, "oneStep", "fields") is not { } f)
            {
                return null;
            }

            var fields = f.TryGetValue("fields", out var fn) ? Strings(fn, "oneStep.fields") : [];
            foreach (var unknown in fields.Where(x => !ApplicationFields.All.Contains(x)))
            {
                Error(fn, "oneStep.fields", $"unknown field '{unknown}' (one of {string.Join(", ", ApplicationFields.All)})");
            }

            if (fields.Count != fields.Distinct(StringComparer.Ordinal).Count())
            {
                Error(fn, "oneStep.fields", "a field is listed twice");
            }

            if (!fields.Contains(ApplicationFields.Applicant))
            {
                Error(fn ?? node, "oneStep.fields", $"'{ApplicationFields.Applicant}' is required: an application says who applies");
            }

            return fields;
        }

        private static bool UsesTax(ServiceVersion v) =>
            v.Conditions?.NeedsTaxData == true
            || v.Parts.Any(p => p.Conditions?.NeedsTaxData == true || p.Recipients.Where?.NeedsTaxData == true
                || (p.Amount is { } a && (a.Tiers.Any(t => t.When?.NeedsTaxData == true) || a.Adjust.Any(x => x.When.NeedsTaxData))));

        private ServiceVersion? Version(YamlNode node, string path)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, path, "expected a version (a mapping with validFrom, conditions, recipients, …)");
                return null;
            }

            var f = Fields(map, path, "validFrom", "validTo", "names", "note", "conditions", "parts", "recipients", "deadline", "amount", "needsClaim");
            var from = f.TryGetValue("validFrom", out var fromNode) ? Date(fromNode, path + ".validFrom") : null;
            if (fromNode is null)
            {
                Error(map, path + ".validFrom", "required (the day the rule comes into force, YYYY-MM-DD)");
            }

            var to = f.TryGetValue("validTo", out var toNode) ? Date(toNode, path + ".validTo") : null;
            if (from is not null && to is not null && to < from)
            {
                Error(toNode!, path + ".validTo", $"{to:yyyy-MM-dd} is before validFrom {from:yyyy-MM-dd}");
            }

            var conditions = f.TryGetValue("conditions", out var cn) ? Condition(cn, path + ".conditions") : null;
            var parts = new List<ServicePart>();
            if (f.TryGetValue("parts", out var pn))
            {
                if (f.ContainsKey("recipients") || f.ContainsKey("deadline") || f.ContainsKey("amount") || f.ContainsKey("needsClaim"))
                {
                    Error(pn, path + ".parts", "give recipients, deadline, amount and needsClaim either on the version or on each part, not both");
                }

                if (pn is YamlSequenceNode ps && ps.Children.Count > 0)
                {
                    var ids = new HashSet<string>();
                    for (var i = 0; i < ps.Children.Count; i++)
                    {
                        var pp = $"{path}.parts[{i}]";
                        if (ps.Children[i] is not YamlMappingNode pm)
                        {
                            Error(ps.Children[i], pp, "expected a part (a mapping with id, recipients, …)");
                            continue;
                        }

                        var pf = Fields(pm, pp, "id", "conditions", "recipients", "deadline", "amount", "needsClaim", "note");
                        var pid = pf.TryGetValue("id", out var pidNode) ? Scalar(pidNode, pp + ".id") : null;
                        if (pid is null)
                        {
                            Error(pm, pp + ".id", "required when a version has several parts");
                        }
                        else if (!ids.Add(pid))
                        {
                            Error(pidNode!, pp + ".id", $"duplicate part id '{pid}'");
                        }

                        if (Part(pm, pf, pp, pid) is { } part)
                        {
                            parts.Add(part);
                        }
                    }
                }
                else
                {
                    Error(pn, path + ".parts", "expected a non-empty list of parts");
                }
            }
            else if (Part(map, f, path, null) is { } single)
            {
                parts.Add(single);
            }

            if (from is null)
            {
                return null;
            }

            return new ServiceVersion
            {
                ValidFrom = from.Value,
                ValidTo = to,
                Names = f.TryGetValue("names", out var nn) ? Names(nn, path + ".names", map, required: false) : null,
                Note = f.TryGetValue("note", out var note) ? Scalar(note, path + ".note") : null,
                Conditions = conditions,
                Parts = parts,
            };
        }

        private ServicePart? Part(YamlMappingNode map, Dictionary<string, YamlNode> f, string path, string? id)
        {
            RecipientRule? recipients = null;
            if (f.TryGetValue("recipients", out var rn))
            {
                recipients = Recipients(rn, path + ".recipients");
            }
            else
            {
                Error(map, path + ".recipients", "required (who receives the message)");
            }

            var deadline = DeadlineRule.None;
            if (f.TryGetValue("deadline", out var dn) && Scalar(dn, path + ".deadline") is { } dt && !DeadlineRule.TryParse(dt, out deadline))
            {
                Error(dn, path + ".deadline", $"'{dt}' is not a deadline: use none, +15d, +13mo, +2y, fiscal-year-end, next-fiscal-year-end, next MM-DD, last MM-DD or a date YYYY-MM-DD");
            }

            var amount = f.TryGetValue("amount", out var an) ? Amount(an, path + ".amount") : null;
            return recipients is null
                ? null
                : new ServicePart
                {
                    Id = id,
                    Conditions = id is not null && f.TryGetValue("conditions", out var cn) ? Condition(cn, path + ".conditions") : null,
                    Recipients = recipients,
                    Deadline = deadline,
                    Amount = amount,
                    NeedsClaim = Bool(f, "needsClaim", path + "."),
                    Note = id is not null && f.TryGetValue("note", out var note) ? Scalar(note, path + ".note") : null,
                };
        }

        private RecipientRule? Recipients(YamlNode node, string path)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, path, "expected a mapping with from: [roles], first, allowMinors, where");
                return null;
            }

            var f = Fields(map, path, "from", "first", "allowMinors", "where");
            var roles = new List<RecipientRole>();
            if (f.TryGetValue("from", out var fromNode))
            {
                foreach (var r in Strings(fromNode, path + ".from"))
                {
                    if (RecipientRoles.TryParse(r, out var role))
                    {
                        roles.Add(role);
                    }
                    else
                    {
                        Error(fromNode, path + ".from", $"unknown role '{r}' ({RecipientRoles.Listed})");
                    }
                }
            }

            if (roles.Count == 0)
            {
                Error(fromNode ?? map, path + ".from", "at least one role is required");
            }

            return new RecipientRule
            {
                From = roles,
                First = Bool(f, "first", path + ".") ?? false,
                AllowMinors = Bool(f, "allowMinors", path + ".") ?? false,
                Where = f.TryGetValue("where", out var w) ? Condition(w, path + ".where") : null,
            };
        }

        private Dictionary<string, string> Names(YamlNode? node, string path, YamlNode owner, bool required)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            if (node is null)
            {
                if (required)
                {
                    Error(owner, path, $"required, with at least {string.Join(", ", RequiredLanguages)}");
                }

                return names;
            }

            if (node is not YamlMappingNode map)
            {
                Error(node, path, "expected a mapping from language tag to name");
                return names;
            }

            foreach (var (k, v) in map.Children)
            {
                var lang = ((YamlScalarNode)k).Value ?? "";
                if (Scalar(v, path + "." + lang) is { Length: > 0 } name)
                {
                    names[lang] = name;
                }
                else
                {
                    Error(v, path + "." + lang, "empty name");
                }
            }

            foreach (var lang in RequiredLanguages)
            {
                if (!names.ContainsKey(lang))
                {
                    Error(node, path + "." + lang, "missing: every service needs names in " + string.Join(", ", RequiredLanguages));
                }
            }

            return names;
        }
    }
}
