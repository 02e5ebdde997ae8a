// SPDX-License-Identifier: Apache-2.0
// Runs yosys on a unit and prints its cell counts.
using CoDesign.Reports;
using CoDesign.Rtl;
using CoDesign.Rtl.Synth;

namespace CoDesign.Cli.Commands.Rtl;

public static class SynthHandler
{
    public static int Run(string unit, string target, PimConfig cfg, TimeSpan timeout, OutputFormat format, CliContext ctx)
    {
        // Count and ETA over the synthesis script's passes, one stderr line per 10 % (a run takes seconds to minutes).
        Progress.ProgressLog? log = null;
        var r = YosysSynth.RunAsync(unit, target, cfg, timeout, ctx.Cancellation,
            (done, total, pass) => (log ??= new Progress.ProgressLog(ctx.Err, $"synth {unit}", total)).Report(done, pass)).GetAwaiter().GetResult();
        switch (format)
        {
            case OutputFormat.Json:
                Json.Write(ctx.Out, new
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
                break;
            case OutputFormat.Csv:
                Csv.Write(ctx.Out, ["unit", "target", "config", "cells", "flip_flops", "luts", "dsps", "seconds"],
                    [[r.Unit, r.Target, r.Config, r.Cells, r.FlipFlops, r.Luts, r.Dsps, r.Seconds]]);
                break;
            default:
                var t = new TextTable("cell type", "count") { Title = $"yosys {r.Target}: {r.Top} ({r.Config})" };
                t.RightAligned.Add(1);
                foreach (var kv in r.CellTypes.OrderByDescending(kv => kv.Value)) t.Add(kv.Key, kv.Value.ToString());
                t.Add("cells", r.Cells.ToString());
                t.Add("flip-flops", r.FlipFlops.ToString());
                if (r.Target != "generic") { t.Add("LUTs", r.Luts.ToString()); t.Add("DSPs", r.Dsps.ToString()); }
                t.Write(ctx.Out);
                break;
        }
        return ExitCodes.Success;
    }
}
