using System.Text;
using System.Text.Json.Nodes;

namespace PushGov.Deployment.Tests;

/// <summary>
/// A node of an ARM template expression (<c>[union(createObject('a', parameters('x')), variables('v'))]</c>): a function
/// call with its arguments, a string literal, or anything else (numbers, property access) kept as text. Enough to read
/// what the Bicep CLI writes for objects built from expressions, such as app settings made with <c>union</c>.
/// </summary>
public abstract record ArmNode
{
    public sealed record Call(string Name, IReadOnlyList<ArmNode> Arguments) : ArmNode;

    public sealed record Literal(string Value) : ArmNode;

    public sealed record Other(string Text) : ArmNode;

    /// <summary>This node and every node inside it, depth first.</summary>
    public IEnumerable<ArmNode> DescendantsAndSelf()
    {
        yield return this;
        if (this is Call call)
        {
            foreach (var node in call.Arguments.SelectMany(a => a.DescendantsAndSelf()))
            {
                yield return node;
            }
        }
    }

    public bool IsCall(string name) => this is Call call && call.Name == name;
}

public static class ArmExpression
{
    /// <summary>Parses a template string: <c>[expr]</c> as an expression, anything else as a literal.</summary>
    public static ArmNode Parse(string value) =>
        value.StartsWith('[') && value.EndsWith(']') && !value.StartsWith("[[", StringComparison.Ordinal)
            ? ParseExpression(value[1..^1].Trim())
            : new ArmNode.Literal(value);

    private static ArmNode ParseExpression(string text)
    {
        if (text.Length >= 2 && text[0] == '\'' && ClosingQuote(text, 0) == text.Length - 1)
        {
            return new ArmNode.Literal(text[1..^1].Replace("''", "'", StringComparison.Ordinal));
        }

        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && text[..open].All(c => char.IsLetterOrDigit(c) || c is '_' or '.') && ClosingParenthesis(text, open) == text.Length - 1)
        {
            return new ArmNode.Call(text[..open], SplitArguments(text[(open + 1)..^1]).Select(ParseExpression).ToList());
        }

        return new ArmNode.Other(text);
    }

    private static List<string> SplitArguments(string text)
    {
        var arguments = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\'':
                    i = ClosingQuote(text, i);
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    arguments.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        if (text.Trim().Length > 0)
        {
            arguments.Add(text[start..].Trim());
        }

        return arguments;
    }

    private static int ClosingQuote(string text, int open)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] != '\'')
            {
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '\'')
            {
                i++;
                continue;
            }

            return i;
        }

        throw new FormatException($"Unterminated string in {text}");
    }

    private static int ClosingParenthesis(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\'':
                    i = ClosingQuote(text, i);
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The settings an <c>appsettings</c> config resource sets, by name, with the expression of each value. Reads an
    /// object literal (a per-tenant name in it as <c>X{tenantCode}</c>), or <c>union(createObject(...), variables('v'), ...)</c>; a variable built per tenant with
    /// <c>toObject(... createObject('name', format('X{0}Y', ...), 'value', v) ...)</c> gives the name <c>X{tenantCode}Y</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, ArmNode> Settings(JsonObject template, JsonNode properties)
    {
        var settings = new Dictionary<string, ArmNode>(StringComparer.Ordinal);
        if (properties is JsonObject literal)
        {
            foreach (var (name, value) in literal)
            {
                // A name built per tenant compiles to an expression key: "[format('X{0}', parameters('tenantCode'))]".
                settings.Add(name.StartsWith('[') ? Name(Parse(name)) : name, Parse(value!.GetValue<string>()));
            }

            return settings;
        }

        var root = Parse(properties.GetValue<string>());
        var parts = root is ArmNode.Call { Name: "union" } union ? union.Arguments : [root];
        foreach (var part in parts)
        {
            switch (part)
            {
                case ArmNode.Call { Name: "createObject" } createObject:
                    for (var i = 0; i + 1 < createObject.Arguments.Count; i += 2)
                    {
                        settings.Add(Name(createObject.Arguments[i]), createObject.Arguments[i + 1]);
                    }

                    break;
                case ArmNode.Call { Name: "variables", Arguments: [ArmNode.Literal variable] }:
                    var value = template["variables"]![variable.Value]!;
                    foreach (var (name, node) in value is JsonObject ? Settings(template, value) : PerTenant(Parse(value.GetValue<string>())))
                    {
                        settings.Add(name, node);
                    }

                    break;
                default:
                    throw new FormatException($"Cannot read app settings from {part}");
            }
        }

        return settings;
    }

    /// <summary>A setting's name: a literal, or <c>format('X{0}', parameters('tenantCode'))</c> read as <c>X{tenantCode}</c>.</summary>
    private static string Name(ArmNode name) => name switch
    {
        ArmNode.Literal literal => literal.Value,
        ArmNode.Call { Name: "format", Arguments: [ArmNode.Literal format, ArmNode.Call { Name: "parameters", Arguments: [ArmNode.Literal { Value: "tenantCode" }] }] } =>
            format.Value.Replace("{0}", "{tenantCode}", StringComparison.Ordinal),
        _ => throw new FormatException($"Cannot read a setting's name from {Text(name)}"),
    };

    private static IEnumerable<KeyValuePair<string, ArmNode>> PerTenant(ArmNode expression) =>
        expression.DescendantsAndSelf()
            .OfType<ArmNode.Call>()
            .Where(c => c.Name == "createObject" && c.Arguments is [ArmNode.Literal { Value: "name" }, ArmNode.Call { Name: "format" }, ArmNode.Literal { Value: "value" }, _])
            .Select(c => KeyValuePair.Create(
                ((ArmNode.Literal)((ArmNode.Call)c.Arguments[1]).Arguments[0]).Value.Replace("{0}", "{tenantCode}", StringComparison.Ordinal),
                c.Arguments[3]));

    /// <summary>The expression as text again (for messages).</summary>
    public static string Text(ArmNode node) => node switch
    {
        ArmNode.Call call => new StringBuilder(call.Name).Append('(').AppendJoin(", ", call.Arguments.Select(Text)).Append(')').ToString(),
        ArmNode.Literal literal => $"'{literal.Value}'",
        ArmNode.Other other => other.Text,
        _ => node.ToString(),
    };
}
