using CoDesign.Reports;
using CoDesign.Reports.Plots;
using CoDesign.Schema;
using CoDesign.Sweeps.Run;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Reporting;

/// <summary>
/// <c>codesign report</c>: from a results file, an offline HTML report (ScottPlot figures as inline SVG), the data
/// as CSV and a Markdown summary. Rows are read in canonical order, so the report does not depend on how the
/// sweep was scheduled, sharded or resumed.
/// </summary>
public static class SweepReport
{
    public sealed record Written(string Html, string Csv, string Markdown, IReadOnlyList<string> FigureIds);

    public static Written Write(IReadOnlyList<ResultRow> input, string outDir, string title)
    {
        var rows = ResultsFile.Canonical(input);
        if (rows.Count == 0) throw new InputException("the results file has no rows: run 'codesign sweep' first");
        try { Directory.CreateDirectory(outDir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException($"cannot create {outDir}: {e.Message}"); }
        var byId = rows.ToDictionary(r => r.Id);
        var groups = rows.GroupBy(r => r.Group).Select(g => new GroupView(g.Key, g.ToList(), byId)).ToList();

        var html = new HtmlReport(title);
        var ids = new List<string>();
        void Fig(string id, string kind, ScottPlot.Plot plot, string caption, int height = 420)
        {
            html.Figure(id, kind, Svg.Render(plot, id, 960, height), caption);
            ids.Add(id);
        }

        html.Heading("overview", "Overview").Paragraph(
            $"{rows.Count} points in {groups.Count} groups; {rows.Count(r => r.Ok)} ran, {rows.Count(r => !r.Ok)} could not run. " + Provenances.Describe(rows));

        var names = groups.SelectMany(g => g.SeriesNames).Concat(rows.Select(r => r.Provenance.HardwareSource)).Distinct().ToList();
        if (SystemGlossary.For(names) is { Count: > 0 } glossary)
        {
            html.Heading("glossary", "Glossary of system names");
            html.Table("glossary", ["term", "meaning"], glossary.Select(t => (IReadOnlyList<string>)[t.Term, t.Meaning]));
        }

        html.Heading("throughput", "Throughput" + (groups.Any(g => g.HasBaseline) ? " normalised to the baseline" : ""));
        foreach (var (g, i) in groups.Select((g, i) => (g, i)))
        {
            var data = g.Table(r => g.HasBaseline ? ResultTable.Normalised(r, byId) : r.Result?.ThroughputTokensPerS);
            string y = g.HasBaseline ? "throughput / baseline" : "throughput (tokens/s)";
            Fig($"fig-throughput-{i}", "throughput",
                Charts.GroupedBars($"{g.Name}: throughput{(g.HasBaseline ? " vs baseline" : "")}", g.CategoryAxes, y, g.Categories, data, g.HasBaseline ? 1 : null),
                $"{y} per {g.CategoryAxes}, one bar per {g.CompareAxis ?? "system"}. " + Provenances.Describe(g.Rows));
        }

        html.Heading("energy", "Energy per token");
        foreach (var (g, i) in groups.Select((g, i) => (g, i)))
        {
            var parts = EnergyParts.Select(p => new Series(p.Name, g.SeriesNames.Select(s => Mean(g, s, r => p.Get(r.Result!.EnergyBreakdownJPerToken) * 1e3)).ToList())).ToList();
            Fig($"fig-energy-{i}", "energy", Charts.StackedBars($"{g.Name}: energy per output token", g.CompareAxis ?? "system", "energy (mJ/token)", g.SeriesNames, parts),
                $"Mean over the group's {g.Categories.Count} workloads of each component, per {g.CompareAxis ?? "system"}. " + Provenances.Describe(g.Rows));
        }

        html.Heading("latency", "Latency percentiles");
        foreach (var (g, i) in groups.Select((g, i) => (g, i)))
            foreach (var (metric, get, unitScale, unit) in new (string, Func<Runtime.Serving.SimulationResult, Runtime.Serving.Percentiles>, double, string)[]
                         { ("TTFT", s => s.TtftS, 1e3, "ms"), ("TBT", s => s.TbtS, 1e3, "ms") })
            {
                var pct = new (string Name, Func<Runtime.Serving.Percentiles, double> Get)[] { ("p50", p => p.P50), ("p90", p => p.P90), ("p99", p => p.P99) };
                var series = pct.Select(p => new Series(p.Name, g.SeriesNames.Select(s => Median(g, s, r => p.Get(get(r.Result!)) * unitScale)).ToList())).ToList();
                Fig($"fig-latency-{metric.ToLowerInvariant()}-{i}", "latency",
                    Charts.GroupedBars($"{g.Name}: {metric} percentiles", g.CompareAxis ?? "system", $"{metric} ({unit})", g.SeriesNames, series),
                    $"{metric} p50/p90/p99, median over the group's {g.Categories.Count} workloads, per {g.CompareAxis ?? "system"}. " + Provenances.Describe(g.Rows));
            }

        html.Heading("roofline", "Op/B rooflines");
        int k = 0;
        var rooflines = Rooflines.ForRows(rows).ToList();
        if (rooflines.Count > MaxRooflines)
            html.Paragraph($"{rooflines.Count} hardware variants ran; the first {MaxRooflines} (in sweep order) are shown.");
        foreach (var (hw, fig, problem) in rooflines.Take(MaxRooflines))
        {
            if (fig is null) { html.Paragraph($"No roofline for {hw}: {problem}"); continue; }
            Fig($"fig-roofline-{k++}", "roofline", fig.Plot, fig.Caption, 480);
        }

        html.Heading("sensitivity", "Sensitivity to hardware parameters");
        int n = 0;
        foreach (var g in groups)
            foreach (var param in Parameters.HardwareParams)
            {
                if (Sensitivity(g, param, byId) is not { } s) continue;
                Fig($"fig-sensitivity-{n++}", "sensitivity", s.Plot, s.Caption);
            }
        if (n == 0) html.Paragraph("No hardware parameter was swept in these results (axes such as logic_pim_op_b or hbm_bandwidth_bytes_per_s draw curves here).");

        html.Heading("pareto", "Throughput vs energy (Pareto front)");
        foreach (var (g, i) in groups.Select((g, i) => (g, i)))
            if (Pareto(g) is { } p) Fig($"fig-pareto-{i}", "pareto", p, $"Each point a configuration; dashed: the Pareto front (no other point has both higher throughput and lower energy). " + Provenances.Describe(g.Rows));

        html.Heading("data", "Data (every row with its provenance)");
        var table = ResultTable.Rows(rows).ToList();
        html.Paragraph("Click a column heading to sort; type in the box to show only the rows that contain the text.");
        html.Table("data-table", ResultTable.Header, table.Select(r => (IReadOnlyList<string>)r.Select(c => Csv.Cell(c)).ToList()));

        var htmlPath = Path.Combine(outDir, "report.html");
        var csvPath = Path.Combine(outDir, "results.csv");
        var mdPath = Path.Combine(outDir, "summary.md");
        AtomicFile.WriteText(htmlPath, html.Render());
        var csv = new StringWriter();
        Csv.Write(csv, ResultTable.Header, table);
        AtomicFile.WriteText(csvPath, csv.ToString());
        AtomicFile.WriteText(mdPath, MarkdownSummary.Render(title, groups, rows, byId));
        return new Written(htmlPath, csvPath, mdPath, ids);
    }

    /// <summary>One roofline per hardware variant (SHA-256) keeps a hardware sweep readable only up to a point.</summary>
    const int MaxRooflines = 8;

    static readonly (string Name, Func<Runtime.Serving.EnergyBreakdown, double> Get)[] EnergyParts =
    [
        ("FC DRAM", e => e.FcDram), ("FC compute", e => e.FcCompute), ("attention DRAM", e => e.AttentionDram),
        ("attention compute", e => e.AttentionCompute), ("MoE DRAM", e => e.MoeDram), ("MoE compute", e => e.MoeCompute),
        ("communication", e => e.Communication),
    ];

    static IEnumerable<double> Values(GroupView g, string series, Func<ResultRow, double> f) =>
        g.Rows.Where(r => r.Ok && g.Series(r) == series).Select(f);

    static double? Mean(GroupView g, string series, Func<ResultRow, double> f) =>
        Values(g, series, f).ToList() is { Count: > 0 } v ? v.Average() : null;

    static double? Median(GroupView g, string series, Func<ResultRow, double> f)
    {
        var v = Values(g, series, f).Order().ToList();
        return v.Count == 0 ? null : v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    /// <summary>True when the two columns determine each other (each x has one label and each label one x).</summary>
    static bool OneToOne(IReadOnlyList<double> xs, IReadOnlyList<string> labels) =>
        xs.Zip(labels).Distinct().Count() == xs.Distinct().Count() && xs.Zip(labels).Distinct().Count() == labels.Distinct().Count();

    static (ScottPlot.Plot Plot, string Caption)? Sensitivity(GroupView g, string param, IReadOnlyDictionary<string, ResultRow> byId)
    {
        var ok = g.Rows.Where(r => r.Ok && r.Params.ContainsKey(param)).ToList();
        double X(ResultRow r) => r.ToPoint().Number(param)!.Value;
        if (ok.Select(X).Distinct().Count() < 2) return null;
        bool normalised = ok.All(r => ResultTable.Normalised(r, byId) is not null);
        // One curve per combination of the other axes, leaving out the x axis itself and any axis that moves in
        // lockstep with it (a zipped axis): those would split every curve into single points.
        var xs = ok.Select(X).ToList();
        var lockstep = ok[0].Choices.Keys.Where(k => k == param || OneToOne(xs, ok.Select(r => r.Choices.GetValueOrDefault(k) ?? "").ToList())).ToArray();
        // Show large or small SI values scaled (bandwidths in 1e12 B/s, capacities in 1e9 B) so tick labels stay short.
        double max = xs.Max(Math.Abs);
        double scale = max >= 1e4 || max < 1e-3 ? Math.Pow(1000, Math.Floor(Math.Log10(max) / 3)) : 1;
        string xLabel = scale == 1 ? param : $"{param} (x {scale:0e0})";
        var curves = ok.GroupBy(r => ResultTable.Label(r, lockstep)).Take(10)
            .Select(c => new XySeries(c.Key.Length > 0 ? c.Key : g.Name, c.OrderBy(X).Select(r => X(r) / scale).ToList(),
                c.OrderBy(X).Select(r => normalised ? ResultTable.Normalised(r, byId)!.Value : r.Result!.ThroughputTokensPerS).ToList()))
            .ToList();
        string y = normalised ? "throughput / baseline" : "throughput (tokens/s)";
        return (Charts.Lines($"{g.Name}: sensitivity to {param}", xLabel, y, curves),
            $"{y} as {param} varies (SI units), one curve per combination of the other axes (at most 10 shown). " + Provenances.Describe(ok));
    }

    static ScottPlot.Plot? Pareto(GroupView g)
    {
        var ok = g.Rows.Where(r => r.Ok && r.Result!.EnergyJPerToken > 0).ToList();
        if (ok.Count == 0) return null;
        var pts = g.SeriesNames.Select(s => ok.Where(r => g.Series(r) == s).ToList()).Where(l => l.Count > 0)
            .Select(l => new XySeries(g.Series(l[0]), l.Select(r => r.Result!.EnergyJPerToken * 1e3).ToList(), l.Select(r => r.Result!.ThroughputTokensPerS).ToList()))
            .ToList();
        // Walk by rising energy; a point is on the front when it beats every cheaper point's throughput.
        var front = new List<(double E, double T)>();
        foreach (var r in ok.OrderBy(r => r.Result!.EnergyJPerToken).ThenByDescending(r => r.Result!.ThroughputTokensPerS))
            if (front.Count == 0 || r.Result!.ThroughputTokensPerS > front[^1].T)
                front.Add((r.Result!.EnergyJPerToken * 1e3, r.Result.ThroughputTokensPerS));
        return Charts.ScatterWithFront($"{g.Name}: throughput vs energy", "energy (mJ/token)", "throughput (tokens/s)", pts,
            new XySeries("Pareto front", front.Select(f => f.E).ToList(), front.Select(f => f.T).ToList()));
    }
}
