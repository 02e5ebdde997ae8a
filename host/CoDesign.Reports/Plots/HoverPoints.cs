using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using ScottPlot;

namespace CoDesign.Reports.Plots;

/// <summary>
/// A point (or a bar: <see cref="X1"/>, <see cref="Y1"/> the opposite corner) of a chart in plot coordinates, with
/// the text shown when the mouse is over it and matched by the figure's filter.
/// </summary>
public sealed record HoverPoint(string Series, string Label, double X, double Y, double? X1 = null, double? Y1 = null);

/// <summary>
/// The points <see cref="Charts"/> drew on each plot, kept beside the plot (ScottPlot renders to SVG paths that
/// carry no data), and their SVG overlay: one transparent &lt;circle&gt; or &lt;rect&gt; per point with a &lt;title&gt;,
/// which every browser shows as a tooltip with no script; the report's script filters them.
/// </summary>
public static class HoverPoints
{
    static readonly ConditionalWeakTable<Plot, List<HoverPoint>> Points = new();

    internal static void Add(Plot plot, HoverPoint p) => Points.GetOrCreateValue(plot).Add(p);

    public static IReadOnlyList<HoverPoint> Of(Plot plot) => Points.TryGetValue(plot, out var l) ? l : [];

    /// <summary>Short numbers for labels: 4 significant digits, invariant culture.</summary>
    internal static string N(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The overlay for a plot just rendered at its size (pixel positions come from that render's layout).</summary>
    public static string Overlay(Plot plot)
    {
        var points = Of(plot);
        if (points.Count == 0) return "";
        var sb = new StringBuilder("<g class=\"hover-points\">\n");
        foreach (var p in points)
        {
            var a = plot.GetPixel(new Coordinates(p.X, p.Y));
            string attrs = $"class=\"pt\" data-series=\"{Enc(p.Series)}\" data-label=\"{Enc(p.Label)}\"";
            if (p.X1 is { } x1 && p.Y1 is { } y1)
            {
                var b = plot.GetPixel(new Coordinates(x1, y1));
                sb.Append(CultureInfo.InvariantCulture, $"<rect {attrs} x=\"{Math.Min(a.X, b.X):0.#}\" y=\"{Math.Min(a.Y, b.Y):0.#}\" " +
                    $"width=\"{Math.Max(1, Math.Abs(a.X - b.X)):0.#}\" height=\"{Math.Max(1, Math.Abs(a.Y - b.Y)):0.#}\">");
                sb.Append($"<title>{Enc(p.Label)}</title></rect>\n");
            }
            else
                sb.Append(CultureInfo.InvariantCulture, $"<circle {attrs} cx=\"{a.X:0.#}\" cy=\"{a.Y:0.#}\" r=\"7\"><title>{Enc(p.Label)}</title></circle>\n");
        }
        return sb.Append("</g>\n").ToString();
    }

    static string Enc(string s) => WebUtility.HtmlEncode(s);
}
