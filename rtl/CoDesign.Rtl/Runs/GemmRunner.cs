// SPDX-License-Identifier: Apache-2.0
// Runs one GEMM on the RTL and checks it against the golden model and a float64 MathNet reference.
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Sim;
using MathNet.Numerics.LinearAlgebra;

namespace CoDesign.Rtl.Runs;

public static class GemmRunner
{
    public static async Task<RtlOpReport> RunAsync(PimConfig cfg, GemmWorkload wl, PimRunOptions opts,
        string op = "gemm", CancellationToken ct = default)
    {
        var run = await PimSimulator.RunAsync(cfg, wl.ToJob(cfg), opts, ct);
        if (run.IllegalInstruction) throw new RtlException("the controller rejected the GEMM instruction");
        var rtl = wl.ReadOutput(run.StackBuffer);
        var golden = GemmGolden.Run(wl.W, wl.X, wl.M, wl.K, wl.N, cfg.Lanes);
        var (exact, bound) = Reference(wl, cfg.Lanes);
        var acc = AccuracyStats.Compare(rtl, golden, exact, bound);

        int passes = (wl.M + cfg.Tokens - 1) / cfg.Tokens;
        double bytes = (double)passes * wl.N * wl.K * 2;   // weights are re-read once per pass of Tokens tokens
        double flops = 2.0 * wl.M * wl.N * wl.K;
        return new RtlOpReport(op, cfg.Name, cfg.Lanes, cfg.Tokens, cfg.Bundles, wl.M, wl.K, wl.N,
            run.Cycles, PimConfig.ClockHz, run.Cycles / PimConfig.ClockHz,
            bytes, bytes / run.Cycles, cfg.PeakBytesPerCycle, flops, flops / run.Cycles, cfg.PeakFlopsPerCycle,
            acc.BitExact, acc.Mismatches, acc.MaxAbsError, acc.MaxRelError, acc.MaxErrorOverBound, acc.WithinBound,
            run.Commands, run.CyclesPerSecond);
    }

    /// <summary>Float64 product (MathNet) and the per-output bound gamma_d * sum |w x|.</summary>
    public static (double[] Exact, double[] Bound) Reference(GemmWorkload wl, int lanes)
    {
        var x = Matrix<double>.Build.Dense(wl.M, wl.K, (i, j) => (double)BitConverter.UInt16BitsToHalf(wl.X[i * wl.K + j]));
        var w = Matrix<double>.Build.Dense(wl.N, wl.K, (i, j) => (double)BitConverter.UInt16BitsToHalf(wl.W[i * wl.K + j]));
        var y = x * w.Transpose();
        var yAbs = x.PointwiseAbs() * w.PointwiseAbs().Transpose();
        double g = GemmGolden.ErrorBoundFactor(wl.K, lanes);
        var exact = new double[wl.M * wl.N];
        var bound = new double[exact.Length];
        for (int i = 0; i < wl.M; i++)
            for (int j = 0; j < wl.N; j++)
            {
                exact[i * wl.N + j] = y[i, j];
                // The float64 reference itself rounds; its error (< K * 2^-53 relative) is far below g.
                bound[i * wl.N + j] = g * yAbs[i, j] * (1 + 1e-9);
            }
        return (exact, bound);
    }
}
