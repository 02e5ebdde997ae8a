using System.Text;
using CoDesign.Schema;
using CoDesign.Sweeps.Run;

namespace CoDesign.Sweeps.Reporting;

/// <summary>The report in Markdown: per group a table of throughput (normalised where there is a baseline) and energy.</summary>
public static class MarkdownSummary
{
    public static string Render(string title, IReadOnlyList<GroupView> groups, IReadOnlyList<ResultRow> rows, IReadOnlyDictionary<string, ResultRow> byId)
    {
        var sb = new StringBuilder();
        sb.Append($"# {title}\n\n{rows.Count} points, {rows.Count(r => r.Ok)} ran. {Provenances.Describe(rows)}\n\n");
        sb.Append("Hardware hashes are SHA-256 of the canonical protobuf JSON of the hardware each point ran on (after swept parameters).\n\n");
        foreach (var g in groups)
        {
            sb.Append($"## {g.Name}\n\n");
            sb.Append(g.HasBaseline ? "Throughput relative to the baseline (tokens/s of the point in parentheses).\n\n" : "Throughput (tokens/s).\n\n");
            sb.Append($"| {g.CategoryAxes} | {string.Join(" | ", g.SeriesNames)} |\n|---|{string.Concat(g.SeriesNames.Select(_ => "---:|"))}\n");
            foreach (var c in g.Categories)
            {
                sb.Append($"| {c} |");
                foreach (var s in g.SeriesNames)
                {
                    var r = g.Rows.FirstOrDefault(x => g.Category(x) == c && g.Series(x) == s);
                    string cell = r is null ? "" : !r.Ok ? "could not run" :
                        ResultTable.Normalised(r, byId) is { } n ? $"{Units.Ratio(n)}x ({Units.Number(r.Result!.ThroughputTokensPerS)})" : Units.Number(r.Result!.ThroughputTokensPerS);
                    sb.Append($" {cell} |");
                }
                sb.Append('\n');
            }
            sb.Append('\n');
            foreach (var s in g.SeriesNames)
            {
                var ok = g.Rows.Where(r => r.Ok && g.Series(r) == s).ToList();
                if (ok.Count > 0)
                    sb.Append($"- {s}: mean energy {Units.Joules(ok.Average(r => r.Result!.EnergyJPerToken))}/token, median TBT p99 " +
                              $"{Units.Seconds(ok.Select(r => r.Result!.TbtS.P99).Order().ElementAt(ok.Count / 2))}\n");
            }
            foreach (var r in g.Rows.Where(r => !r.Ok)) sb.Append($"- could not run: {ResultTable.Label(r)}: {r.Error}\n");
            sb.Append($"\n{Provenances.Describe(g.Rows)}\n\n");
        }
        return sb.ToString();
    }
}
