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
        new SynthRenderer().Write(ctx.Out, r, format);
        return ExitCodes.Success;
    }
}
