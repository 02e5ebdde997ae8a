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

        // Serving techniques (docs/serving-techniques.md): only groups that sweep weights/spec/prefix.
        var techniqueFigures = groups.Select((g, i) => (Fig: TechniqueGains.Figure(g, byId), i)).Where(t => t.Fig is not null).ToList();
        if (techniqueFigures.Count > 0)
        {
            html.Heading("techniques", "Gain over the baseline per serving technique");
            foreach (var (fig, i) in techniqueFigures) Fig($"fig-techniques-{i}", "techniques", fig!.Value.Plot, fig.Value.Caption);
        }

        html.Heading("energy", "Energy per token");
        foreach (var (g, i) in groups.Select((g, i) => (g, i)))
        {
            var parts = EnergyParts.Select(p => new Series(p.Name, g.SeriesNames.Select(s => Mean(g, s, r => p.Get(r.Result!.EnergyBreakdownJPerToken) * 1e3)).ToList())).ToList();
            Fig($"fig-energy-{i}", "energy", Charts.StackedBars($"{g.Name}: energy per output token", g.CompareAxis ?? "system", "energy (mJ/token)", g.SeriesNames, parts),
                $"Mean over the group's {g.Categories.Count} workloads of each component, per {g.CompareAxis ?? "system"}. " +
                $"\"communication\" is link energy: bytes sent x the interconnect's energyJPerBit ({LinkEnergy(g)}). " + Provenances.Describe(g.Rows));
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
        {
            // Parameters a group moves together (a zipped axis) are one axis: one figure, named by the first.
            var drawn = new List<string>();
            foreach (var param in Parameters.HardwareParams)
            {
                if (drawn.Any(d => Lockstep(g, d, param))) continue;
                var companions = Parameters.HardwareParams.Where(o => o != param && Lockstep(g, param, o)).ToList();
                if (Sensitivity(g, param, companions, byId) is not { } s) continue;
                drawn.Add(param);
                Fig($"fig-sensitivity-{n++}", "sensitivity", s.Plot, s.Caption);
            }
        }
        if (n == 0) html.Paragraph("No hardware parameter was swept in these results (axes such as logic_pim_op_b or hbm_bandwidth_bytes_per_s draw curves here).");

        html.Heading("pareto", "Throughput vs energy (Pareto front)");
        foreach (var (g, i) in groups.Select((g, i) => (g, i)))
            if (Pareto(g) is { } p) Fig($"fig-pareto-{i}", "pareto", p.Plot,
                $"Each point a configuration, coloured by {g.CompareAxis ?? "system"}; dashed: the Pareto front of each workload ({p.Fronts} with more " +
                "than one alternative), drawn only across the alternatives that serve that same workload (no other has both higher throughput and lower energy). " + Provenances.Describe(g.Rows));

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

    /// <summary>Says whether the link energy is modelled for the group's hardware (the presets leave it 0: not published).</summary>
    static string LinkEnergy(GroupView g)
    {
        var perBit = g.Rows.Where(r => r.Ok).Select(r => r.ToPoint()).Select(p =>
        {
            try { var ic = PointSettings.ResolveHardware(p).Interconnect; return ic is null ? 0 : Math.Max(ic.IntraNode?.EnergyJPerBit ?? 0, ic.InterNode?.EnergyJPerBit ?? 0); }
            catch (InputException) { return 0; }
        }).ToList();
        return perBit.Count > 0 && perBit.All(e => e == 0)
            ? "0 for every point here: the hardware sets no link energy, so communication costs time but no energy"
            : $"up to {Units.Fixed(perBit.Max() * 1e12, "0.##")} pJ/bit";
    }

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

    /// <summary>Both parameters vary in the group and each value of one goes with one value of the other.</summary>
    static bool Lockstep(GroupView g, string a, string b)
    {
        var ok = g.Rows.Where(r => r.Ok && r.Params.ContainsKey(a) && r.Params.ContainsKey(b)).ToList();
        var xa = ok.Select(r => r.ToPoint().Number(a)!.Value).ToList();
        var xb = ok.Select(r => r.ToPoint().Number(b)!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return xa.Distinct().Count() > 1 && xb.Distinct().Count() > 1 && OneToOne(xa, xb);
    }

    /// <summary>At least three positive values with one common ratio (powers of two, decades): drawn on a log axis.</summary>
    public static bool Geometric(IReadOnlyList<double> values)
    {
        var v = values.Distinct().Order().ToList();
        if (v.Count < 3 || v[0] <= 0) return false;
        double ratio = v[1] / v[0];
        return ratio > 1 && v.Zip(v.Skip(1)).All(p => Math.Abs(p.Second / p.First / ratio - 1) < 1e-9);
    }

    static (ScottPlot.Plot Plot, string Caption)? Sensitivity(GroupView g, string param, IReadOnlyList<string> companions, IReadOnlyDictionary<string, ResultRow> byId)
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
        bool log = Geometric(xs);
        string with = companions.Count > 0 ? $", with {string.Join(", ", companions)} in lockstep" : "";
        string xLabel = (scale == 1 ? param : $"{param} (x {scale:0e0})") + (log ? ", log scale" : "") + with;
        var curves = ok.GroupBy(r => ResultTable.Label(r, lockstep)).Take(10)
            .Select(c => new XySeries(c.Key.Length > 0 ? c.Key : g.Name, c.OrderBy(X).Select(r => X(r) / scale).ToList(),
                c.OrderBy(X).Select(r => normalised ? ResultTable.Normalised(r, byId)!.Value : r.Result!.ThroughputTokensPerS).ToList()))
            .ToList();
        string y = normalised ? "throughput / baseline" : "throughput (tokens/s)";
        return (Charts.Lines($"{g.Name}: sensitivity to {param}{with}", xLabel, y, curves, logX: log),
            $"{y} as {param} varies (SI units){with}, one curve per combination of the other axes (at most 10 shown)" +
            (log ? "; the values grow by a constant factor, so the x axis is logarithmic" : "") + ". " + Provenances.Describe(ok));
    }

    // What a point serves, as opposed to how (hardware, system, parallelism, placement): Pareto fronts stay within one.
    static readonly string[] WorkloadParams = ["model", "batch", "qps", "requests", "input_len", "output_len", "length_std", "routing", "seed", "devices"];

    static string Workload(ResultRow r) =>
        string.Join(" ", WorkloadParams.Where(r.Params.ContainsKey).Select(k => $"{k}={r.Params[k]}"));

    static (ScottPlot.Plot Plot, int Fronts)? Pareto(GroupView g)
    {
        var ok = g.Rows.Where(r => r.Ok && r.Result!.EnergyJPerToken > 0).ToList();
        if (ok.Count == 0) return null;
        var pts = g.SeriesNames.Select(s => ok.Where(r => g.Series(r) == s).ToList()).Where(l => l.Count > 0)
            .Select(l => new XySeries(g.Series(l[0]), l.Select(r => r.Result!.EnergyJPerToken * 1e3).ToList(), l.Select(r => r.Result!.ThroughputTokensPerS).ToList()))
            .ToList();
        var fronts = new List<XySeries>();
        foreach (var w in ok.GroupBy(Workload).Where(w => w.Count() > 1))
        {
            // Walk by rising energy; a point is on the front when it beats every cheaper point's throughput.
            var front = new List<(double E, double T)>();
            foreach (var r in w.OrderBy(r => r.Result!.EnergyJPerToken).ThenByDescending(r => r.Result!.ThroughputTokensPerS))
                if (front.Count == 0 || r.Result!.ThroughputTokensPerS > front[^1].T)
                    front.Add((r.Result!.EnergyJPerToken * 1e3, r.Result.ThroughputTokensPerS));
            fronts.Add(new XySeries($"front: {w.Key}", front.Select(f => f.E).ToList(), front.Select(f => f.T).ToList()));
        }
        return (Charts.ScatterWithFront($"{g.Name}: throughput vs energy", "energy (mJ/token)", "throughput (tokens/s)", pts, fronts), fronts.Count);
    }
}
