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
        // Least squares on rtl = overhead + ideal / efficiency: both terms are what the hooks express.
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

    /// <summary>Ordinary least squares y = a + b x, weighted by 1/y^2 so that every shape's relative error counts alike.</summary>
    static (double A, double B) Fit(List<(double X, double Y)> p)
    {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var (x, y) in p)
        {
            double w = 1 / (y * y);
            sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y;
        }
        double det = sw * sxx - sx * sx;
        if (Math.Abs(det) < 1e-300) return (0, sy / sx);
        return ((sxx * sy - sx * sxy) / det, (sw * sxy - sx * sy) / det);
    }
}
