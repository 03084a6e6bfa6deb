using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PushGov.Domain.Messaging.Templates;

/// <summary>
/// Parses and renders Scriban templates in a sandbox: strict variables (a field the template names but the
/// model lacks is an error, never an empty string), only the <c>string</c>, <c>math</c> and <c>array</c>
/// builtins (no <c>object.eval</c>/<c>eval_template</c>, no <c>include</c>, no <c>date.now</c>), and small loop
/// and recursion limits. Values are pushed as read-only strings: Scriban writes them out, it never parses them,
/// so a value that looks like <c>{{ … }}</c> stays text.
/// </summary>
internal static class ScribanSandbox
{
    private static readonly string[] AllowedBuiltins = ["string", "math", "array"];

    // Built once and shared read-only by every render, as Scriban shares its own default builtins.
    private static readonly ScriptObject Builtins = CreateBuiltins();

    public static Template Parse(string source, string templateId)
    {
        var template = Template.Parse(source, templateId);
        if (template.HasErrors)
        {
            throw new TemplateLoadException($"Template {templateId} does not parse: {string.Join("; ", template.Messages.Select(m => m.ToString()))}");
        }

        return template;
    }

    /// <summary>The model fields a template names (whether or not a branch that names them runs).</summary>
    public static IReadOnlySet<string> FieldsNamed(Template template)
    {
        var collector = new GlobalCollector();
        collector.Visit(template.Page);
        return collector.Names.Where(n => TemplateFields.All.Contains(n)).ToHashSet(StringComparer.Ordinal);
    }

    public static string Render(Template template, string templateId, IReadOnlyDictionary<string, string> values)
    {
        var context = new TemplateContext(Builtins)
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = 1_000,
            RecursiveLimit = 20,
            LimitToString = 10_000,
        };

        var globals = new ScriptObject();
        foreach (var (name, value) in values)
        {
            globals.SetValue(name, value, readOnly: true);
        }

        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            throw new TemplateRenderException(templateId, e.OriginalMessage, e);
        }
    }

    private static ScriptObject CreateBuiltins()
    {
        var defaults = new TemplateContext().BuiltinObject;
        var builtins = new ScriptObject();
        foreach (var name in AllowedBuiltins)
        {
            builtins.SetValue(name, defaults[name], readOnly: true);
        }

        return builtins;
    }

    private sealed class GlobalCollector : ScriptVisitor
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public override void Visit(ScriptVariableGlobal node)
        {
            Names.Add(node.Name);
            base.Visit(node);
        }
    }
}
