using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Sweeps.Reporting;
using CoDesign.Sweeps.Run;

namespace CoDesign.Cli.Commands.Sweep;

/// <summary>The people's view of a results file: one line per point, units for reading.</summary>
public static class SweepTable
{
    public static void Write(TextWriter w, IReadOnlyList<ResultRow> rows)
    {
        var byId = rows.ToDictionary(r => r.Id);
        var t = new TextTable("group", "system", "point", "throughput", "vs baseline", "TTFT p50", "TBT p50", "TBT p99", "energy/token", "note");
        foreach (int i in new[] { 3, 4, 5, 6, 7, 8 }) t.RightAligned.Add(i);
        foreach (var r in rows)
        {
            var s = r.Result;
            t.Add(r.Group, r.System, ResultTable.Label(r, "system"),
                s is null ? "-" : Units.Number(s.ThroughputTokensPerS) + " tok/s",
                ResultTable.Normalised(r, byId) is { } n ? Units.Ratio(n) + "x" : "-",
                s is null ? "-" : Units.Seconds(s.TtftS.P50), s is null ? "-" : Units.Seconds(s.TbtS.P50), s is null ? "-" : Units.Seconds(s.TbtS.P99),
                s is null ? "-" : Units.Joules(s.EnergyJPerToken),
                r.Error ?? (s?.BatchReducedTo is { } b ? $"batch reduced to {b}" : ""));
        }
        t.Write(w);
        var versions = rows.Select(r => r.Provenance.CodesignVersion).Distinct();
        var seeds = rows.Select(r => r.Provenance.Seed).Distinct();
        w.WriteLine($"{rows.Count} points; CoDesign {string.Join(", ", versions)}; seed {string.Join(", ", seeds)}; hardware " +
                    string.Join(", ", rows.Select(r => $"{r.Provenance.HardwareSource}={r.Provenance.HardwareSha256[..12]}").Distinct()));
    }
}
