// SPDX-License-Identifier: Apache-2.0
// Decode attention for one KV-head group on one module: score GEMV, softmax, context GEMV, as one program.
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Isa;
using CoDesign.Rtl.Sim;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Runs;

public static class AttentionRunner
{
    public const int HeadDim = 128;   // [T] every evaluated model uses head dimension 128

    /// <summary>
    /// S = q K^T (group x context, binary32), P = softmax(S) (binary16), O = P V (group x 128, binary32).
    /// K sits in DRAM as a [context][128] weight matrix, V as its transpose [128][context]; q arrives
    /// pre-scaled by 1/sqrt(128), as the compiler folds the scale into the query projection.
    /// </summary>
    public static async Task<RtlOpReport> RunAsync(PimConfig cfg, int context, int group, int seed, PimRunOptions opts,
        CancellationToken ct = default)
    {
        if (group < 1 || context < 1) throw new InputException("--context and --group must be positive");
        if (context % cfg.Lanes != 0) throw new InputException($"--context must be a multiple of the lane count {cfg.Lanes}");
        if (context > cfg.SoftmaxMaxLen) throw new InputException($"--context {context} exceeds the softmax unit's {cfg.SoftmaxMaxLen}");
        var rng = new Random(seed);
        ushort H(double v) => BitConverter.HalfToUInt16Bits((Half)v);
        var q = Enumerable.Range(0, group * HeadDim).Select(_ => H((rng.NextDouble() * 2 - 1) / Math.Sqrt(HeadDim) * 4)).ToArray();
        var k = Enumerable.Range(0, context * HeadDim).Select(_ => H(rng.NextDouble() * 2 - 1)).ToArray();
        var vt = Enumerable.Range(0, HeadDim * context).Select(_ => H(rng.NextDouble() * 2 - 1)).ToArray();

        long kBytes = Align((long)context * HeadDim * 2, cfg.Lanes * 4);
        var dram = new byte[kBytes + Align((long)HeadDim * context * 2, cfg.Lanes * 4)];
        PimWeightLayout.Pack(k, HeadDim, context, cfg.KTileMax, dram, 0);
        PimWeightLayout.Pack(vt, context, HeadDim, cfg.KTileMax, dram, kBytes);
        uint qAddr = 0, sAddr = (uint)Align(group * HeadDim * 2, 64), pAddr = (uint)Align(sAddr + group * context * 4, 64),
             oAddr = (uint)Align(pAddr + group * context * 2, 64);
        var sbuf = new byte[oAddr + group * HeadDim * 4];
        Buffer.BlockCopy(q, 0, sbuf, (int)qAddr, q.Length * 2);
        PimInstruction[] program =
        [
            new() { Opcode = PimOpcode.Gemm, M = (uint)group, K = HeadDim, N = (uint)context, WeightAddr = 0, InputAddr = qAddr, OutputAddr = sAddr },
            new() { Opcode = PimOpcode.Softmax, M = (uint)group, K = (uint)context, InputAddr = sAddr, OutputAddr = pAddr },
            new() { Opcode = PimOpcode.Gemm, M = (uint)group, K = (uint)context, N = HeadDim, WeightAddr = (uint)kBytes, InputAddr = pAddr, OutputAddr = oAddr },
        ];
        var run = await PimSimulator.RunAsync(cfg, new PimJob(program, dram, sbuf), opts, ct);
        if (run.IllegalInstruction) throw new RtlException("the controller rejected an attention instruction");

        var sG = GemmGolden.Run(k, q, group, HeadDim, context, cfg.Lanes);
        var pG = SoftmaxGolden.Run(sG, group, context, cfg.SoftmaxLanes);
        var oG = GemmGolden.Run(vt, pG, group, context, HeadDim, cfg.Lanes);
        var oR = new uint[group * HeadDim];
        for (int i = 0; i < oR.Length; i++) oR[i] = BitConverter.ToUInt32(run.StackBuffer, (int)oAddr + 4 * i);
        // Intermediates must match too: a compensating pair of errors would otherwise hide.
        long mid = 0;
        for (int i = 0; i < sG.Length; i++) if (BitConverter.ToUInt32(run.StackBuffer, (int)sAddr + 4 * i) != sG[i]) mid++;
        for (int i = 0; i < pG.Length; i++) if (BitConverter.ToUInt16(run.StackBuffer, (int)pAddr + 2 * i) != pG[i]) mid++;

        var (exact, bound) = Reference(q, k, vt, group, context, cfg.Lanes);
        var acc = AccuracyStats.Compare(oR, oG, exact, bound);
        double bytes = 2.0 * context * HeadDim * 2;
        double flops = 2.0 * 2 * group * context * HeadDim + SoftmaxRunner.FlopsPerElement * group * context;
        return new RtlOpReport("attention", cfg.Name, cfg.Lanes, cfg.Tokens, cfg.Bundles, group, context, HeadDim,
            run.Cycles, PimConfig.ClockHz, run.Cycles / PimConfig.ClockHz, bytes, bytes / run.Cycles, cfg.PeakBytesPerCycle,
            flops, flops / run.Cycles, cfg.PeakFlopsPerCycle, acc.BitExact && mid == 0, acc.Mismatches + mid,
            acc.MaxAbsError, acc.MaxRelError, acc.MaxErrorOverBound, acc.WithinBound, run.Commands, run.CyclesPerSecond);
    }

    /// <summary>
    /// float64 attention from the same binary16 q, K, V. Bound per output: the binary16 probabilities carry
    /// the softmax bound, and the context GEMM adds its own: sum_j |p~_j - p_j| |v_j| + gamma_d sum_j p~_j |v_j|.
    /// </summary>
    static (double[] Exact, double[] Bound) Reference(ushort[] q, ushort[] k, ushort[] vt, int g, int c, int lanes)
    {
        double Hd(ushort h) => (double)BitConverter.UInt16BitsToHalf(h);
        var exact = new double[g * HeadDim];
        var bound = new double[g * HeadDim];
        double gamma = GemmGolden.ErrorBoundFactor(c, lanes) * 2 + GemmGolden.ErrorBoundFactor(HeadDim, lanes);
        for (int r = 0; r < g; r++)
        {
            var s = new double[c];
            for (int j = 0; j < c; j++)
                for (int d = 0; d < HeadDim; d++) s[j] += Hd(q[r * HeadDim + d]) * Hd(k[j * HeadDim + d]);
            double max = s.Max(), sum = 0;
            var p = s.Select(x => Math.Exp(x - max)).ToArray();
            sum = p.Sum();
            for (int j = 0; j < c; j++) p[j] /= sum;
            for (int d = 0; d < HeadDim; d++)
            {
                double o = 0, b = 0;
                for (int j = 0; j < c; j++)
                {
                    double v = Math.Abs(Hd(vt[d * c + j]));
                    o += p[j] * Hd(vt[d * c + j]);
                    // Score errors move p too: a relative score error of gamma shifts exp by |s| gamma.
                    b += (SoftmaxRunner.Bound(p[j], c) + p[j] * Math.Abs(s[j] - max) * gamma * 4) * v + gamma * p[j] * v;
                }
                exact[r * HeadDim + d] = o;
                bound[r * HeadDim + d] = b;
            }
        }
        return (exact, bound);
    }

    static long Align(long v, long a) => (v + a - 1) / a * a;
}
