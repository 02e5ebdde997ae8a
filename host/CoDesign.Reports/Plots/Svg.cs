using System.Text.RegularExpressions;

namespace CoDesign.Reports.Plots;

/// <summary>Turns a ScottPlot plot into SVG that can sit inline in an HTML page next to other plots.</summary>
public static partial class Svg
{
    public static string Render(ScottPlot.Plot plot, string idPrefix, int width = 760, int height = 420)
    {
        var svg = plot.GetSvgXml(width, height);
        // Skia writes glyph positions as "x1, x2, " — the trailing comma is invalid SVG and browsers log an error.
        svg = TrailingComma().Replace(svg, "$1=\"$2\"");
        // Inline SVGs share the page's id namespace: give each plot's clip paths their own ids.
        svg = svg.Replace("id=\"", $"id=\"{idPrefix}-").Replace("url(#", $"url(#{idPrefix}-");
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);   // drop the XML declaration
        svg = svg[start..];
        // Hover targets on top of the drawing, positioned from the render just done.
        int end = svg.LastIndexOf("</svg>", StringComparison.Ordinal);
        if (end >= 0) svg = svg[..end] + HoverPoints.Overlay(plot) + svg[end..];
        // Scale with the page instead of a fixed pixel size.
        return svg.Replace($"width=\"{width}\" height=\"{height}\"",
            $"viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" role=\"img\"");
    }

    [GeneratedRegex("\\b(x|y)=\"([^\"]*?),\\s*\"")]
    private static partial Regex TrailingComma();
}
