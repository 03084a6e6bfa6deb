using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PushGov.Domain.Messaging.Templates;

/// <summary>
/// Builds the HTML part of an e-mail. Without an <c>email_html</c> template the HTML is derived from the
/// text template, as GOV.UK Notify does: the text is rendered with a placeholder (a private-use marker) for
/// each value, escaped, split into paragraphs (blank line) and line breaks, links the template itself writes
/// become &lt;a&gt;; then each marker is replaced by its escaped value (link fields as &lt;a&gt;). Values
/// therefore never become markup or links of their own.
/// </summary>
internal static partial class HtmlEmail
{
    private const char MarkerStart = '\uE000';
    private const char MarkerEnd = '\uE001';

    public static string Marker(int index) => $"{MarkerStart}{index.ToString(CultureInfo.InvariantCulture)}{MarkerEnd}";

    /// <summary>Escapes the five characters that matter in HTML text and quoted attributes.</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>Turns text rendered with markers into an HTML body; <paramref name="values"/> are (field, value) by marker index.</summary>
    public static string FromMarkedText(string markedText, IReadOnlyList<(string Field, string Value)> values)
    {
        var body = new StringBuilder();
        var paragraphs = ParagraphBreak().Split(markedText.Replace("\r\n", "\n").Trim());
        foreach (var paragraph in paragraphs.Where(p => p.Trim().Length > 0))
        {
            var html = Linkify(Escape(paragraph.Trim())).Replace("\n", "<br>\n");
            body.Append("<p>").Append(html).Append("</p>\n");
        }

        return MarkerPattern().Replace(body.ToString(), m =>
        {
            var (field, value) = values[int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture)];
            var escaped = Escape(value);
            return TemplateFields.Urls.Contains(field) ? $"<a href=\"{escaped}\">{escaped}</a>" : escaped;
        });
    }

    /// <summary>A complete HTML document around a body.</summary>
    public static string Document(string language, string? subject, string body) =>
        $"""
        <!DOCTYPE html>
        <html lang="{Escape(language)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Escape(subject ?? string.Empty)}</title>
        </head>
        <body style="font-family: sans-serif; font-size: 16px; line-height: 1.6; color: #0b0c0c;">
        {body.TrimEnd()}
        </body>
        </html>

        """;

    private static string Linkify(string escapedText) =>
        LiteralLink().Replace(escapedText, m => $"<a href=\"{m.Value}\">{m.Value}</a>");

    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex ParagraphBreak();

    // ASCII URL characters only: Japanese text often runs straight on after a link (…/apply です).
    [GeneratedRegex(@"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")]
    private static partial Regex LiteralLink();

    [GeneratedRegex(@"\uE000(\d+)\uE001")]
    private static partial Regex MarkerPattern();
}
