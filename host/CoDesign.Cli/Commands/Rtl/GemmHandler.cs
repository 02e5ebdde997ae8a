// SPDX-License-Identifier: Apache-2.0
// Runs a GEMV/GEMM on the RTL and prints the report.
using CoDesign.Reports;
using CoDesign.Rtl;
using CoDesign.Rtl.Runs;
using CoDesign.Rtl.Sim;

namespace CoDesign.Cli.Commands.Rtl;

public static class GemmHandler
{
    public static int Run(string op, PimConfig cfg, int m, int k, int n, int seed, PimRunOptions opts,
        OutputFormat format, CliContext ctx)
    {
        var wl = GemmWorkload.Random(m, k, n, seed);
        var report = GemmRunner.RunAsync(cfg, wl, opts, op, ctx.Cancellation).GetAwaiter().GetResult();
        new RtlOpRenderer().Write(ctx.Out, [report], format);
        return report.BitExactVsGolden ? ExitCodes.Success : ExitCodes.InternalFailure;
    }
}
