using ScottPlot;

namespace CoDesign.Reports.Plots;

/// <summary>A named row of values, one per category (null = no value: the point did not run).</summary>
public sealed record Series(string Name, IReadOnlyList<double?> Values);

/// <summary>A named line or point set in data coordinates.</summary>
public sealed record XySeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// The report's chart kinds, built with ScottPlot. Inputs are plain numbers already in display units
/// (the caller converts SI with <see cref="Schema.Units"/> conventions and says the unit in the axis label).
/// </summary>
public static class Charts
{
    static Color ColorOf(int i) => new ScottPlot.Palettes.Category10().GetColor(i);

    static Plot New(string title, string xLabel, string yLabel)
    {
        var plt = new Plot();
        plt.Title(title, 14);
        plt.XLabel(xLabel, 12);
        plt.YLabel(yLabel, 12);
        return plt;
    }

    static void CategoryTicks(Plot plt, IReadOnlyList<string> categories, double[] positions)
    {
        // Multi-part labels ("32 1024/1024") stack their parts on lines, so many categories still fit side by side.
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, categories.Select(c => c.Replace(' ', '\n')).ToArray());
    }

    /// <summary>Bars side by side per category, one colour per series; an optional reference line (e.g. 1 = baseline).</summary>
    public static Plot GroupedBars(string title, string xLabel, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Series> series,
        double? referenceLine = null)
    {
        var plt = New(title, xLabel, yLabel);
        int n = Math.Max(1, series.Count);
        double width = 0.8 / n;
        for (int s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>();
            for (int c = 0; c < categories.Count; c++)
                if (series[s].Values[c] is { } v)
                {
                    double at = c + (s - (n - 1) / 2.0) * width;
                    bars.Add(new Bar { Position = at, Value = v, Size = width * 0.95, FillColor = ColorOf(s), LineWidth = 0 });
                    HoverPoints.Add(plt, new(series[s].Name, $"{series[s].Name}, {xLabel} {categories[c]}: {yLabel} {HoverPoints.N(v)}",
                        at - width * 0.475, 0, at + width * 0.475, v));
                }
            var bp = plt.Add.Bars(bars);
            bp.LegendText = series[s].Name;
        }
        if (referenceLine is { } r) plt.Add.HorizontalLine(r, 1, Colors.Black, LinePattern.Dashed);
        CategoryTicks(plt, categories, Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray());
        plt.Axes.Margins(bottom: 0);
        plt.ShowLegend(Edge.Right);
        return plt;
    }

    /// <summary>One bar per category, split into stacked components (one colour each).</summary>
    public static Plot StackedBars(string title, string xLabel, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Series> components)
    {
        var plt = New(title, xLabel, yLabel);
        var bottom = new double[categories.Count];
        for (int s = 0; s < components.Count; s++)
        {
            var bars = new List<Bar>();
            for (int c = 0; c < categories.Count; c++)
            {
                double v = components[s].Values[c] ?? 0;
                bars.Add(new Bar { Position = c, ValueBase = bottom[c], Value = bottom[c] + v, Size = 0.6, FillColor = ColorOf(s), LineWidth = 0 });
                if (v > 0)
                    HoverPoints.Add(plt, new(components[s].Name, $"{components[s].Name}, {xLabel} {categories[c]}: {yLabel} {HoverPoints.N(v)}",
                        c - 0.3, bottom[c], c + 0.3, bottom[c] + v));
                bottom[c] += v;
            }
            plt.Add.Bars(bars).LegendText = components[s].Name;
        }
        CategoryTicks(plt, categories, Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray());
        plt.Axes.Margins(bottom: 0);
        plt.ShowLegend(Edge.Right);
        return plt;
    }

    /// <summary>Lines with markers, one colour per series (sensitivity curves). <paramref name="logX"/>: x is drawn at
    /// log2 positions with the values themselves as tick labels (for sweeps that double or multiply by a factor).</summary>
    public static Plot Lines(string title, string xLabel, string yLabel, IReadOnlyList<XySeries> series, bool logX = false)
    {
        var plt = New(title, xLabel, yLabel);
        for (int s = 0; s < series.Count; s++)
        {
            var x = series[s].X.Select(v => logX ? Math.Log2(v) : v).ToArray();
            var sc = plt.Add.Scatter(x, series[s].Y.ToArray(), ColorOf(s));
            sc.LegendText = series[s].Name;
            sc.MarkerSize = 6;
            for (int i = 0; i < x.Length; i++)
                HoverPoints.Add(plt, new(series[s].Name, $"{series[s].Name}: {xLabel} {HoverPoints.N(series[s].X[i])}, {yLabel} {HoverPoints.N(series[s].Y[i])}", x[i], series[s].Y[i]));
        }
        if (logX)
        {
            var ticks = series.SelectMany(s => s.X).Distinct().Order().ToArray();
            plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(Math.Log2).ToArray(),
                ticks.Select(t => t.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }
        plt.ShowLegend(Edge.Right);
        return plt;
    }

    /// <summary>Points coloured by series, plus a front drawn as a stepped line through the given points.</summary>
    public static Plot ScatterWithFront(string title, string xLabel, string yLabel, IReadOnlyList<XySeries> points, IReadOnlyList<XySeries> fronts)
    {
        var plt = New(title, xLabel, yLabel);
        for (int s = 0; s < points.Count; s++)
        {
            var m = plt.Add.Markers(points[s].X.ToArray(), points[s].Y.ToArray(), MarkerShape.FilledCircle, 7, ColorOf(s));
            m.LegendText = points[s].Name;
            for (int i = 0; i < points[s].X.Count; i++)
                HoverPoints.Add(plt, new(points[s].Name, $"{points[s].Name}: {xLabel} {HoverPoints.N(points[s].X[i])}, {yLabel} {HoverPoints.N(points[s].Y[i])}",
                    points[s].X[i], points[s].Y[i]));
        }
        foreach (var front in fronts.Where(f => f.X.Count > 0))
        {
            var line = plt.Add.Scatter(front.X.ToArray(), front.Y.ToArray(), Colors.Black);
            line.LegendText = front.Name;
            line.LinePattern = LinePattern.Dashed;
            line.MarkerSize = 0;
        }
        plt.ShowLegend(Edge.Right);
        return plt;
    }

    /// <summary>
    /// A log-log roofline: per processor the attainable FLOP/s = min(peak, Op/B x bandwidth); operators as points
    /// coloured by the processor they were placed on. Axes show powers of ten (ScottPlot has no log axis: we plot log10).
    /// </summary>
    /// <param name="labels">per series, one label per point (the operator), drawn next to it; null: unlabelled.</param>
    /// <param name="crossoverOpPerByte">the Op/B below which PIM beats the host, drawn as a dashed vertical line; 0: none.</param>
    public static Plot Roofline(string title, IReadOnlyList<(string Name, double BandwidthBytesPerS, double PeakFlopsPerS)> roofs,
        IReadOnlyList<XySeries> opsByProcessor, IReadOnlyList<IReadOnlyList<string>>? labels = null, double crossoverOpPerByte = 0)
    {
        var plt = New(title, "arithmetic intensity (FLOP/B, log)", "attainable TFLOP/s (log)");
        double xmin = 0.1, xmax = 10000;
        var all = opsByProcessor.SelectMany(s => s.X).Where(x => x > 0).ToList();
        if (all.Count > 0) { xmin = Math.Min(xmin, all.Min() / 2); xmax = Math.Max(xmax, all.Max() * 2); }
        for (int r = 0; r < roofs.Count; r++)
        {
            var (name, bw, peak) = roofs[r];
            double knee = peak / bw;
            double[] xs = [xmin, Math.Clamp(knee, xmin, xmax), xmax];
            var ys = xs.Select(x => Math.Log10(Math.Min(peak, x * bw) / 1e12)).ToArray();
            var line = plt.Add.Scatter(xs.Select(Math.Log10).ToArray(), ys, ColorOf(r));
            line.LegendText = $"{name} roof";
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        for (int s = 0; s < opsByProcessor.Count; s++)
        {
            var ps = opsByProcessor[s];
            int color = Math.Max(0, roofs.ToList().FindIndex(r => r.Name == ps.Name));
            var m = plt.Add.Markers(ps.X.Select(Math.Log10).ToArray(), ps.Y.Select(y => Math.Log10(y / 1e12)).ToArray(), MarkerShape.FilledCircle, 7, ColorOf(color));
            m.LegendText = $"ops on {ps.Name}";
            for (int i = 0; i < ps.X.Count; i++)
            {
                string op = labels is not null && s < labels.Count && i < labels[s].Count ? labels[s][i] : "operator";
                HoverPoints.Add(plt, new(ps.Name, $"{op} on {ps.Name}: Op/B {HoverPoints.N(ps.X[i])}, {HoverPoints.N(ps.Y[i] / 1e12)} TFLOP/s",
                    Math.Log10(ps.X[i]), Math.Log10(ps.Y[i] / 1e12)));
            }
            if (labels is not null && s < labels.Count)
            {
                // Operators with the same Op/B and FLOP/s sit on one dot: their labels stack below it instead of overprinting.
                var taken = new Dictionary<(double, double), int>();
                for (int i = 0; i < Math.Min(ps.X.Count, labels[s].Count); i++)
                {
                    double lx = Math.Log10(ps.X[i]), ly = Math.Log10(ps.Y[i] / 1e12);
                    var at = (Math.Round(lx, 1), Math.Round(ly, 1));
                    int n = taken.GetValueOrDefault(at);
                    taken[at] = n + 1;
                    var t = plt.Add.Text(labels[s][i], lx, ly);
                    t.LabelFontSize = 9;
                    t.LabelFontColor = ColorOf(color);
                    t.LabelOffsetX = 5;
                    t.LabelOffsetY = 11 * n;
                }
            }
        }
        if (crossoverOpPerByte > 0)
        {
            var v = plt.Add.VerticalLine(Math.Log10(crossoverOpPerByte), 1.5f, Colors.Black, LinePattern.Dashed);
            v.LegendText = $"crossover Op/B {Schema.Units.Ratio(crossoverOpPerByte)}: PIM below, host above";
        }
        // Ticks sit at integer exponents: plain numbers near 1, powers of ten beyond.
        static string Pow10(double v) => Math.Abs(v) <= 3
            ? Math.Pow(10, v).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)
            : "1e" + v.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Pow10, MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(), IntegerTicksOnly = true };
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Pow10, MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(), IntegerTicksOnly = true };
        plt.ShowLegend(Edge.Right);
        return plt;
    }
}
