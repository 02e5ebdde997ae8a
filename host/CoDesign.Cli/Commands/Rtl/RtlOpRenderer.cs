// SPDX-License-Identifier: Apache-2.0
// The rtl gemv/gemm/softmax/attention verbs' output: one report per operator run.
using CoDesign.Reports;
using CoDesign.Rtl.Runs;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Rtl;

public sealed class RtlOpRenderer : Renderer<IReadOnlyList<RtlOpReport>>
{
    protected override void Json(TextWriter w, IReadOnlyList<RtlOpReport> reports)
    {
        if (reports.Count == 1) Reports.Json.Write(w, Shape(reports[0]));
        else Reports.Json.Write(w, reports.Select(Shape));
    }

    protected override void Csv(TextWriter w, IReadOnlyList<RtlOpReport> reports)
    {
        var rows = reports.Select(Shape).Select(Flatten).ToList();
        Reports.Csv.Write(w, rows[0].Select(c => c.Key).ToList(), rows.Select(r => (IReadOnlyList<object?>)r.Select(c => c.Value).ToList()));
    }

    protected override void Table(TextWriter w, IReadOnlyList<RtlOpReport> reports)
    {
        foreach (var r in reports)
        {
            var t = new TextTable("quantity", "value") { Title = $"rtl {r.Op} {r.M}x{r.K}x{r.N} on {r.Config} ({r.Lanes} lanes x {r.Pus} PUs, {r.Bundles} bundle(s))" };
            t.RightAligned.Add(1);
            t.Add("cycles", Units.Number(r.Cycles));
            t.Add("time at 650 MHz", Units.Seconds(r.Seconds));
            t.Add("DRAM bytes per cycle", $"{Units.Number(r.BytesPerCycle)} of {Units.Number(r.PeakBytesPerCycle)} ({Units.Percent(r.BandwidthUtilisation)})");
            t.Add("FLOP per cycle", $"{Units.Number(r.FlopsPerCycle)} of {Units.Number(r.PeakFlopsPerCycle)}");
            t.Add("bit-exact vs golden", r.BitExactVsGolden ? "yes" : $"NO ({r.Mismatches} outputs differ)");
            t.Add("max abs / rel error vs float64", $"{Units.Fixed(r.MaxAbsError, "0.00E+0")} / {Units.Fixed(r.MaxRelError, "0.00E+0")}");
            t.Add("error bound used", $"{Units.Percent(r.ErrorBoundUse)}{(r.WithinErrorBound ? "" : " (EXCEEDED)")}");
            t.Add("DRAM commands ACT / RD / PRE / REF", $"{r.DramCommands.Activate} / {r.DramCommands.Read} / {r.DramCommands.Precharge} / {r.DramCommands.Refresh}");
            t.Add("simulation speed", $"{Units.Number(r.SimCyclesPerSecond)} cycles/s");
            t.Write(w);
        }
    }

    static object Shape(RtlOpReport r) => new
    {
        op = r.Op,
        config = r.Config,
        lanes = r.Lanes,
        pus = r.Pus,
        bundles = r.Bundles,
        m = r.M,
        k = r.K,
        n = r.N,
        cycles = r.Cycles,
        clock_hz = r.ClockHz,
        seconds = r.Seconds,
        dram_bytes = r.DramBytes,
        bytes_per_cycle = r.BytesPerCycle,
        peak_bytes_per_cycle = r.PeakBytesPerCycle,
        bandwidth_utilisation = r.BandwidthUtilisation,
        flops = r.Flops,
        flops_per_cycle = r.FlopsPerCycle,
        peak_flops_per_cycle = r.PeakFlopsPerCycle,
        bit_exact_vs_golden = r.BitExactVsGolden,
        golden_mismatches = r.Mismatches,
        max_abs_error = r.MaxAbsError,
        max_rel_error = r.MaxRelError,
        error_bound_use = r.ErrorBoundUse,
        within_error_bound = r.WithinErrorBound,
        dram_commands = new { act = r.DramCommands.Activate, rd = r.DramCommands.Read, pre = r.DramCommands.Precharge, @ref = r.DramCommands.Refresh },
        sim_cycles_per_second = r.SimCyclesPerSecond,
    };

    /// <summary>One level of nesting flattened as parent_child keys, for CSV and tables.</summary>
    static List<KeyValuePair<string, object?>> Flatten(object shaped)
    {
        var list = new List<KeyValuePair<string, object?>>();
        foreach (var p in shaped.GetType().GetProperties())
        {
            var v = p.GetValue(shaped);
            if (v is not null && v.GetType().Name.Contains("AnonymousType"))
                foreach (var q in v.GetType().GetProperties()) list.Add(new($"{p.Name}_{q.Name.TrimStart('@')}", q.GetValue(v)));
            else list.Add(new(p.Name, v));
        }
        return list;
    }
}
