// SPDX-License-Identifier: Apache-2.0
// Compares the analytic Logic-PIM model with RTL cycle counts and fits its calibration hooks.
using CoDesign.Machine;
using CoDesign.Rtl.Runs;
using CoDesign.Rtl.Sim;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Calibration;

/// <summary>One operator shape of the sweep; attention GEMVs stream the KV cache instead of weights.</summary>
public sealed record CalibrationShape(string Label, int M, int K, int N, bool StreamsKv);

public sealed record CalibrationRow(CalibrationShape Shape, long RtlCycles, double RtlSeconds, double AnalyticSeconds,
    double Error, double CalibratedSeconds, double CalibratedError, double BandwidthUtilisation);

/// <summary>The sweep's rows and the fitted hooks (processor fields bandwidth_efficiency,
/// compute_efficiency and op_overhead_s of the preset's logic_pim), with the calibrated hardware.</summary>
public sealed record CalibrationResult(IReadOnlyList<CalibrationRow> Rows, double BandwidthEfficiency,
    double OpOverheadSeconds, Hardware Calibrated)
{
    public double MaxAbsError => Rows.Max(r => Math.Abs(r.Error));
    public double MaxAbsCalibratedError => Rows.Max(r => Math.Abs(r.CalibratedError));
}

public static class PimCalibration
{
    /// <summary>Small default sweep: GEMV/GEMM over tokens, K, N and decode-attention GEMVs over context and group.</summary>
    public static IReadOnlyList<CalibrationShape> Sweep(bool full)
    {
        int[] tokens = full ? [1, 2, 4, 8, 16, 32, 64] : [1, 8, 64];
        (int K, int N)[] kn = full
            ? [(128, 128), (512, 512), (1024, 1024), (4096, 512), (4096, 4096), (8192, 1024), (1024, 8192), (8192, 8192)]
            : [(128, 128), (1024, 256), (4096, 512)];
        int[] contexts = full ? [128, 512, 1024, 4096, 8192] : [128, 1024];
        int[] groups = full ? [1, 2, 4, 8] : [1, 4];
        var list = new List<CalibrationShape>();
        foreach (var m in tokens)
            foreach (var (k, n) in kn)
                if (full || m < 64 || k * n <= 1024 * 256) list.Add(new($"gemm m{m} k{k} n{n}", m, k, n, false));
        const int headDim = 128;   // [T] every evaluated model uses head dimension 128
        foreach (var c in contexts)
            foreach (var g in groups)
            {
                list.Add(new($"attn-score c{c} g{g}", g, headDim, c, true));     // q (g x d) . K^T (d x c)
                list.Add(new($"attn-context c{c} g{g}", g, c, headDim, true));   // p (g x c) . V (c x d)
            }
        return list;
    }

    /// <summary>
    /// Device-level operator counts when all modules run the same shape (one module's share = 1/modules).
    /// Only the weight / KV stream is DRAM traffic: on Logic-PIM, inputs and results live in the logic die's
    /// two 1 MB buffers [T]. Counting them as DRAM bytes (as a generic roofline would) overestimates
    /// small-N shapes by up to 20 %; the machine model should drop activation bytes for PIM processors.
    /// </summary>
    public static OpCounts Counts(CalibrationShape s, int modules)
    {
        double stream = 2.0 * s.K * s.N;
        var c = new OpCounts(2.0 * s.M * s.N * s.K, s.StreamsKv ? 0 : stream, 0, s.StreamsKv ? stream : 0);
        return c.Scale(modules);
    }

    public static async Task<CalibrationResult> RunAsync(PimConfig cfg, IReadOnlyList<CalibrationShape> shapes, int seed,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var published = PimConfig.Published();
        if (cfg.Lanes != published.Lanes || cfg.Tokens != published.Tokens)
            throw new CoDesign.Schema.InputException(
                $"calibrate compares with the duplex preset, whose module is {published.Lanes} lanes x {published.Tokens} PUs; use --config published");
        var hw = HardwarePresets.Duplex();
        var proc = hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        // [T] one GEMM module per pseudo-channel: 5 stacks x 32 pCH.
        int modules = (int)(hw.Memory.Stacks * hw.Memory.PseudoChannelsPerStack);
        var ideal = new ProcessorCost(proc.Clone());
        var measured = new List<(CalibrationShape S, RtlOpReport R, double Ideal)>();
        foreach (var s in shapes)
        {
            progress?.Report(s.Label);
            var r = await GemmRunner.RunAsync(cfg, GemmWorkload.Random(s.M, s.K, s.N, seed), new PimRunOptions(), s.Label, ct);
            if (!r.BitExactVsGolden) throw new RtlException($"{s.Label}: RTL is not bit-exact against the golden model");
            measured.Add((s, r, ideal.Seconds(Counts(s, modules), DataType.Fp16)));
        }
        // rtl = overhead + ideal / efficiency: both terms are what the processor's hooks express.
        var (a, b) = Fit(measured.Select(m => (m.Ideal, m.R.Seconds)).ToList());
        double eff = Math.Clamp(1 / b, 0.01, 1), overhead = Math.Max(0, a);
        var calibrated = hw.Clone();
        var cp = calibrated.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        cp.BandwidthEfficiency = eff;
        cp.ComputeEfficiency = eff;   // the PUs consume the weight stream, so they stall exactly when it does
        cp.OpOverheadS = overhead;
        cp.Source += $"; calibrated against RTL ({cfg.Name}, {measured.Count} shapes): efficiency {eff:F3}, overhead {overhead:E2} s";
        var cal = new ProcessorCost(cp);
        var rows = measured.Select(m =>
        {
            double calS = cal.Seconds(Counts(m.S, modules), DataType.Fp16);
            return new CalibrationRow(m.S, m.R.Cycles, m.R.Seconds, m.Ideal, m.Ideal / m.R.Seconds - 1,
                calS, calS / m.R.Seconds - 1, m.R.BandwidthUtilisation);
        }).ToList();
        return new CalibrationResult(rows, eff, overhead, calibrated);
    }

    /// <summary>
    /// Minimax fit of y = a + b x over the shapes: the (a &gt;= 0, b) with the smallest worst relative error,
    /// since the target is a bound on every shape, not a small average. For a fixed a the best b balances
    /// the largest over- and under-estimate, so a one-dimensional scan over a suffices.
    /// </summary>
    static (double A, double B) Fit(List<(double X, double Y)> p)
    {
        double bestA = 0, bestB = 1, bestErr = double.PositiveInfinity;
        double aMax = p.Min(q => q.Y);
        for (int i = 0; i <= 2000; i++)
        {
            double a = aMax * i / 2000;
            // r_i(b) = (a + b x_i) / y_i - 1 is increasing in b; balance max r = -min r.
            double lo = 0, hi = 10;
            for (int it = 0; it < 100; it++)
            {
                double mid = (lo + hi) / 2;
                double rMax = p.Max(q => (a + mid * q.X) / q.Y - 1), rMin = p.Min(q => (a + mid * q.X) / q.Y - 1);
                if (rMax + rMin > 0) hi = mid; else lo = mid;
            }
            double b = (lo + hi) / 2;
            double err = p.Max(q => Math.Abs((a + b * q.X) / q.Y - 1));
            if (err < bestErr) (bestErr, bestA, bestB) = (err, a, b);
        }
        return (bestA, bestB);
    }
}
