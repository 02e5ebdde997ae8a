// SPDX-License-Identifier: Apache-2.0
// Runs the softmax unit on random scores and checks it against the golden model and float64.
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Sim;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Runs;

public static class SoftmaxRunner
{
    /// <summary>Work the unit does per element, counted as FLOPs: compare, subtract, exp, add, multiply.</summary>
    public const double FlopsPerElement = 5;

    /// <summary>Scores ~ N(0, 3^2), the spread of scaled attention logits.</summary>
    public static uint[] RandomScores(int rows, int len, int seed)
    {
        var rng = new Random(seed);
        var s = new uint[rows * len];
        for (int i = 0; i < s.Length; i++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            s[i] = BitConverter.SingleToUInt32Bits((float)(3 * g));
        }
        return s;
    }

    /// <summary>float64 softmax of each row.</summary>
    public static double[] Reference(ReadOnlySpan<uint> s, int rows, int len)
    {
        var p = new double[rows * len];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int i = 0; i < len; i++) max = Math.Max(max, BitConverter.UInt32BitsToSingle(s[r * len + i]));
            for (int i = 0; i < len; i++) sum += p[r * len + i] = Math.Exp(BitConverter.UInt32BitsToSingle(s[r * len + i]) - max);
            for (int i = 0; i < len; i++) p[r * len + i] /= sum;
        }
        return p;
    }

    /// <summary>
    /// |p - exact| &lt;= exact * (2^-11 + (len + 8) 2^-24) + 2^-25: binary16 rounding of the result (half an
    /// ulp, 2^-11 relative; 2^-25 absolute in the subnormal range) plus the binary32 work before it: exp
    /// (3 ulp), the sum (at most len roundings on any path), the reciprocal (2 ulp), the normalising multiply.
    /// </summary>
    public static double Bound(double exact, int len) => exact * (Math.Pow(2, -11) + (len + 8) * Math.Pow(2, -24)) + Math.Pow(2, -25);

    public static async Task<RtlOpReport> RunAsync(PimConfig cfg, int rows, int len, int seed, PimRunOptions opts,
        CancellationToken ct = default)
    {
        if (rows < 1 || len < 1) throw new InputException("softmax needs at least one row and one element");
        if (len > cfg.SoftmaxMaxLen) throw new InputException($"--length {len} exceeds the softmax unit's {cfg.SoftmaxMaxLen}");
        var s = RandomScores(rows, len, seed);
        uint outAddr = (uint)(rows * len * 4);
        var sbuf = new byte[outAddr + rows * len * 2];
        Buffer.BlockCopy(s, 0, sbuf, 0, rows * len * 4);
        var ins = new PimInstruction { Opcode = PimOpcode.Softmax, M = (uint)rows, K = (uint)len, N = 0, InputAddr = 0, OutputAddr = outAddr };
        var run = await PimSimulator.RunAsync(cfg, new PimJob([ins], new byte[64], sbuf), opts, ct);
        if (run.IllegalInstruction) throw new RtlException("the controller rejected the softmax instruction");
        var rtl = new uint[rows * len];
        for (int i = 0; i < rtl.Length; i++) rtl[i] = BitConverter.ToUInt16(run.StackBuffer, (int)outAddr + 2 * i);
        var golden = SoftmaxGolden.Run(s, rows, len, cfg.SoftmaxLanes).Select(h => (uint)h).ToArray();
        var exact = Reference(s, rows, len);
        var acc = CompareHalf(rtl, golden, exact, exact.Select(e => Bound(e, len)).ToArray());
        double flops = FlopsPerElement * rows * len;
        return new RtlOpReport("softmax", cfg.Name, cfg.Lanes, cfg.Tokens, cfg.Bundles, rows, len, 0,
            run.Cycles, PimConfig.ClockHz, run.Cycles / PimConfig.ClockHz, 0, 0, 0,
            flops, flops / run.Cycles, FlopsPerElement * cfg.SoftmaxLanes / 3, acc.BitExact, acc.Mismatches, acc.MaxAbsError, acc.MaxRelError,
            acc.MaxErrorOverBound, acc.WithinBound, run.Commands, run.CyclesPerSecond);
    }

    /// <summary>Like AccuracyStats.Compare for binary16 outputs; relative error only where binary16 is normal.</summary>
    public static AccuracyStats CompareHalf(uint[] rtl, uint[] golden, double[] exact, double[] bound)
    {
        long mism = 0;
        double maxAbs = 0, maxRel = 0, over = 0;
        for (int i = 0; i < rtl.Length; i++)
        {
            if (rtl[i] != golden[i]) mism++;
            double v = (double)BitConverter.UInt16BitsToHalf((ushort)rtl[i]);
            double e = Math.Abs(v - exact[i]);
            if (double.IsNaN(e)) { maxAbs = maxRel = over = double.PositiveInfinity; continue; }
            maxAbs = Math.Max(maxAbs, e);
            if (exact[i] >= Math.Pow(2, -14)) maxRel = Math.Max(maxRel, e / exact[i]);
            over = Math.Max(over, e / bound[i]);
        }
        return new AccuracyStats(rtl.Length, mism, maxAbs, maxRel, over);
    }
}
