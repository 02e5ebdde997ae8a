using CoDesign.Reports.Plots;
using CoDesign.Sweeps.Run;

namespace CoDesign.Sweeps.Reporting;

/// <summary>
/// The serving-techniques view of a group: for each technique axis (weights, spec, prefix) and each of its
/// values, every system's throughput over the baseline's, as a geometric mean over the other axes' points.
/// </summary>
public static class TechniqueGains
{
    /// <summary>The axes the serving-techniques study sweeps; groups without them get no figure.</summary>
    public static readonly string[] Axes = ["weights", "spec", "prefix"];

    public static (ScottPlot.Plot Plot, string Caption)? Figure(GroupView g, IReadOnlyDictionary<string, ResultRow> byId)
    {
        var axes = Axes.Where(a => g.Rows.Any(r => r.Choices.ContainsKey(a))).ToList();
        if (axes.Count == 0 || !g.HasBaseline) return null;
        var gains = Table(g, byId, axes);
        var categories = gains.Keys.ToList();
        var series = g.SeriesNames.Where(s => gains.Values.Any(d => d.ContainsKey(s)))
            .Select(s => new Series(s, categories.Select(c => gains[c].TryGetValue(s, out var v) ? v : (double?)null).ToList()))
            .ToList();
        return (Charts.GroupedBars($"{g.Name}: gain over the baseline per technique", "technique setting", "throughput / baseline (geometric mean)",
                categories, series, 1),
            $"For each value of {string.Join(", ", axes)}: each system's throughput over the baseline's at the same point, " +
            "geometric mean over the other axes. " + Provenances.Describe(g.Rows));
    }

    /// <summary>category ("weights=INT4") → series → geometric-mean gain over the baseline.</summary>
    public static Dictionary<string, Dictionary<string, double>> Table(GroupView g, IReadOnlyDictionary<string, ResultRow> byId, IReadOnlyList<string> axes)
    {
        var result = new Dictionary<string, Dictionary<string, double>>();
        foreach (var axis in axes)
            foreach (var value in g.Rows.Select(r => r.Choices.GetValueOrDefault(axis)).OfType<string>().Distinct())
            {
                var bySeries = new Dictionary<string, double>();
                foreach (var s in g.SeriesNames)
                {
                    var ratios = g.Rows.Where(r => g.Series(r) == s && r.Choices.GetValueOrDefault(axis) == value)
                        .Select(r => ResultTable.Normalised(r, byId)).OfType<double>().Where(x => x > 0).ToList();
                    if (ratios.Count > 0) bySeries[s] = Math.Exp(ratios.Average(Math.Log));
                }
                result[$"{axis}={value}"] = bySeries;
            }
        return result;
    }
}
