using CoDesign.Reports;
using CoDesign.Rtl.Synth;

namespace CoDesign.Cli.Commands.Rtl;

/// <summary>What <c>rtl synth</c> prints: yosys cell counts of one unit.</summary>
public sealed class SynthRenderer : Renderer<SynthReport>
{
    protected override void Table(TextWriter w, SynthReport r)
    {
        var t = new TextTable("cell type", "count") { Title = $"yosys {r.Target}: {r.Top} ({r.Config})" };
        t.RightAligned.Add(1);
        foreach (var kv in r.CellTypes.OrderByDescending(kv => kv.Value)) t.Add(kv.Key, kv.Value.ToString());
        t.Add("cells", r.Cells.ToString());
        t.Add("flip-flops", r.FlipFlops.ToString());
        if (r.Target != "generic") { t.Add("LUTs", r.Luts.ToString()); t.Add("DSPs", r.Dsps.ToString()); }
        t.Write(w);
    }

    protected override void Json(TextWriter w, SynthReport r)
    {
        Reports.Json.Write(w, new
        {
            unit = r.Unit,
            top = r.Top,
            target = r.Target,
            config = r.Config,
            cells = r.Cells,
            flip_flops = r.FlipFlops,
            luts = r.Luts,
            dsps = r.Dsps,
            cell_types = r.CellTypes,
            seconds = r.Seconds,
        });
    }

    protected override void Csv(TextWriter w, SynthReport r)
    {
        Reports.Csv.Write(w, ["unit", "target", "config", "cells", "flip_flops", "luts", "dsps", "seconds"],
            [[r.Unit, r.Target, r.Config, r.Cells, r.FlipFlops, r.Luts, r.Dsps, r.Seconds]]);
    }
}
