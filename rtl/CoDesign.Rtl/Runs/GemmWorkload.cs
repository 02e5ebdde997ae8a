// SPDX-License-Identifier: Apache-2.0
// A GEMM on one Logic-PIM module: random FP16 operands from a seed, laid out as the controller expects.
using CoDesign.Rtl.Isa;
using CoDesign.Rtl.Sim;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Runs;

/// <summary>Y[m][n] = X[m][k] W[n][k]^T with W in the bank-bundle space and X, Y in the stack buffer.</summary>
public sealed class GemmWorkload
{
    public int M { get; }
    public int K { get; }
    public int N { get; }
    public ushort[] W { get; }
    public ushort[] X { get; }
    public uint InputAddr => 0;
    public uint OutputAddr { get; }

    public GemmWorkload(int m, int k, int n, ushort[] w, ushort[] x)
    {
        M = m; K = k; N = n; W = w; X = x;
        OutputAddr = (uint)Align((long)m * k * 2, 64);
    }

    /// <summary>Uniform values in [-1, 1) rounded to binary16, reproducible from <paramref name="seed"/>.</summary>
    public static GemmWorkload Random(int m, int k, int n, int seed)
    {
        Check(m, k, n);
        var rng = new Random(seed);
        ushort H() => BitConverter.HalfToUInt16Bits((Half)(rng.NextDouble() * 2 - 1));
        var w = new ushort[(long)n * k];
        for (long i = 0; i < w.Length; i++) w[i] = H();
        var x = new ushort[(long)m * k];
        for (long i = 0; i < x.Length; i++) x[i] = H();
        return new GemmWorkload(m, k, n, w, x);
    }

    public static void Check(int m, int k, int n)
    {
        if (m < 1 || k < 1 || n < 1) throw new InputException("GEMM dimensions must be positive");
        if ((long)n * k * 2 > int.MaxValue / 2 || (long)m * k * 2 + (long)m * n * 4 > int.MaxValue / 2)
            throw new InputException($"GEMM {m}x{k}x{n} is too large for one simulated pseudo-channel");
    }

    public PimInstruction Instruction => new()
    {
        Opcode = PimOpcode.Gemm,
        M = (uint)M,
        K = (uint)K,
        N = (uint)N,
        WeightAddr = 0,
        InputAddr = InputAddr,
        OutputAddr = OutputAddr,
    };

    public PimJob ToJob(PimConfig cfg)
    {
        if (K % cfg.Lanes != 0) throw new InputException($"K={K} must be a multiple of the lane count {cfg.Lanes}");
        var dram = new byte[Align((long)N * K * 2, cfg.Lanes * 2 * 2)];
        PimWeightLayout.Pack(W, K, N, cfg.KTileMax, dram, 0);
        var sbuf = new byte[OutputAddr + (long)M * N * 4];
        for (long i = 0; i < X.Length; i++)
        {
            sbuf[InputAddr + 2 * i] = (byte)X[i];
            sbuf[InputAddr + 2 * i + 1] = (byte)(X[i] >> 8);
        }
        return new PimJob([Instruction], dram, sbuf);
    }

    public uint[] ReadOutput(byte[] sbuf)
    {
        var y = new uint[(long)M * N];
        for (long i = 0; i < y.Length; i++) y[i] = BitConverter.ToUInt32(sbuf, (int)(OutputAddr + 4 * i));
        return y;
    }

    static long Align(long v, long a) => (v + a - 1) / a * a;
}
