using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace PushGov.Portal.Charts;

/// <summary>One bar: a label and its value.</summary>
public sealed record Bar(string Label, long Value);

/// <summary>
/// Horizontal bar charts as server-rendered SVG (no script, no npm). The SVG is decoration for sighted readers
/// (<c>aria-hidden</c>); every chart is followed by the same figures as a table, which screen readers read instead.
/// Values are printed at the end of each bar, so the numbers are never in colour alone.
/// </summary>
public static class BarChart
{
    private const int Width = 460;
    private const int LabelWidth = 170;
    private const int RowHeight = 30;
    private const int BarHeight = 20;
    private static readonly string[] Palette = ["#1f5fa8", "#2e7d32", "#8a4b08", "#6a1b9a", "#ad1457", "#00695c"];

    /// <summary>One series of bars.</summary>
    public static IHtmlContent Render(IReadOnlyList<Bar> bars, string colour = "#1f5fa8") =>
        Grouped(bars.Select(b => (b.Label, (IReadOnlyList<long>)[b.Value])).ToList(), [colour]);

    /// <summary>Bars in groups (e.g. detected / notified / applied for each service), one colour per position.</summary>
    public static IHtmlContent Grouped(IReadOnlyList<(string Label, IReadOnlyList<long> Values)> rows, IReadOnlyList<string>? colours = null)
    {
        colours ??= Palette;
        var perRow = rows.Count == 0 ? 1 : rows.Max(r => r.Values.Count);
        var max = Math.Max(1, rows.SelectMany(r => r.Values).DefaultIfEmpty(0).Max());
        var groupHeight = perRow == 1 ? RowHeight : (perRow * (BarHeight + 2)) + 12;
        var height = Math.Max(RowHeight, rows.Count * groupHeight);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" preserveAspectRatio=\"xMinYMin meet\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">");
        var barSpace = Width - LabelWidth - 70;
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, values) = rows[i];
            var top = i * groupHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{top + (groupHeight / 2) + 5}\" text-anchor=\"end\" class=\"chart-label\">{WebUtility.HtmlEncode(Short(label))}</text>");
            for (var j = 0; j < values.Count; j++)
            {
                var y = perRow == 1 ? top + ((RowHeight - BarHeight) / 2) : top + 6 + (j * (BarHeight + 2));
                var w = values[j] == 0 ? 0 : Math.Max(2, (int)Math.Round((double)values[j] / max * barSpace));
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{w}\" height=\"{BarHeight}\" fill=\"{colours[j % colours.Count]}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + w + 6}\" y=\"{y + BarHeight - 5}\" class=\"chart-value\">{values[j].ToString("N0", CultureInfo.InvariantCulture)}</text>");
            }
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>The label cut to what fits left of the bars (full-width characters count about twice a Latin one).</summary>
    private static string Short(string s)
    {
        var width = 0.0;
        for (var i = 0; i < s.Length; i++)
        {
            width += s[i] > '\u2E7F' ? 13 : 7.5;
            if (width > LabelWidth - 20)
            {
                return s[..i] + "…";
            }
        }

        return s;
    }
}
