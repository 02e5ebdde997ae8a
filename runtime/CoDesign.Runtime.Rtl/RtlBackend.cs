using CoDesign.Rtl;
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Isa;
using CoDesign.Rtl.Sim;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using OpKind = CoDesign.Runtime.Tensors.Backends.OpKind;

namespace CoDesign.Runtime.Rtl;

/// <summary>
/// The "rtl" backend: what Duplex places on Logic-PIM runs on the Verilated Logic-PIM module (cd_pim_tb through
/// rtl/CoDesign.Rtl's PimSimulator) as PIM instruction streams:
///  - expert / dense FFN: GEMM gate, GEMM up and SiLU(gate) in one program, then GEMM down (the SiLU·up product
///    between them is one FP32 multiply on the host: the ISA has no element-wise multiply);
///  - attention, per query row and KV head: GEMM q·Kᵀ (the cache rows as the weights), one SOFTMAX per query
///    head of the group, GEMM P·V — one program, all on the module;
///  - any other product (Linear) as one GEMM.
/// The module takes FP16 operands (activations, KV and softmax outputs are binary16) and accumulates in FP32.
/// RMSNorm, RoPE and the router are never placed on PIM; they run on the host in FP32.
/// Slow (one simulation per program) and exact to the RTL's arithmetic.
/// </summary>
public sealed class RtlBackend : IBackend
{
    readonly PimConfig _config;
    readonly CpuBackend _host = new();
    readonly Lock _cacheLock = new();
    readonly Dictionary<HostTensor, ushort[]> _fp16 = new(ReferenceEqualityComparer.Instance);
    long _cycles, _programs;

    public RtlBackend()
    {
        var name = Environment.GetEnvironmentVariable("CODESIGN_RTL_CONFIG") ?? "ci";
        _config = PimConfig.Get(name, 1);
        _config.Validate();
        if (ToolLocator.Find("verilator") is null)
            throw new InputException("backend 'rtl' needs verilator to build the Logic-PIM model (install it with tools/setup.sh)");
        // Build (or find in the cache) both models once, before two threads could race to build them.
        VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(_config, trace: false, actUnits: false)).GetAwaiter().GetResult();
        VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(_config, trace: false, actUnits: true)).GetAwaiter().GetResult();
    }

    public string Name => "rtl";
    public string Device => $"Verilated Logic-PIM ({_config.Name}: {_config.Lanes} lanes x {_config.Tokens} PUs, softmax up to {_config.SoftmaxMaxLen}, {PimConfig.ClockHz / 1e6:0} MHz)";
    /// <summary>The module takes binary16 operands (activations, KV cache, probabilities) and accumulates in binary32.</summary>
    public Precision Precision => Precision.Of(TensorDType.F16, TensorDType.F32);
    public long SimulatedCycles => Interlocked.Read(ref _cycles);
    /// <summary>PIM programs simulated (each one or more instructions).</summary>
    public long GemmCount => Interlocked.Read(ref _programs);
    public double SimulatedSeconds => SimulatedCycles / PimConfig.ClockHz;

    /// <summary>The weight as FP16 bits (exact for F16 checkpoints; BF16/F32 are rounded to FP16, within the same u).</summary>
    ushort[] Fp16(HostTensor t)
    {
        lock (_cacheLock)
        {
            if (_fp16.TryGetValue(t, out var bits)) return bits;
            bits = t.Storage == TensorDType.F16 ? t.Bits16() : t.Values.Select(HalfBits.FloatToF16).ToArray();
            _fp16[t] = bits;
            return bits;
        }
    }

    int Pad(int k) => (k + _config.Lanes - 1) / _config.Lanes * _config.Lanes;
    static long Align(long v, long a) => (v + a - 1) / a * a;

    /// <summary>[n][k] weights zero-padded to [n][kp] (zeros add exact zeros to every dot product).</summary>
    static ushort[] PadColumns(ushort[] w, int n, int k, int kp)
    {
        if (kp == k) return w;
        var p = new ushort[(long)n * kp];
        for (int j = 0; j < n; j++) Array.Copy(w, (long)j * k, p, (long)j * kp, k);
        return p;
    }

    /// <summary>A program's memories: weights packed one after another in the bank-bundle space, buffers in the stack buffer.</summary>
    sealed class Job(PimConfig cfg)
    {
        readonly List<(ushort[] W, int K, int N, long Addr)> _weights = [];
        long _dramEnd, _sbufEnd;
        public List<PimInstruction> Program { get; } = [];

        public uint Weight(ushort[] w, int k, int n)
        {
            long at = _dramEnd;
            _weights.Add((w, k, n, at));
            _dramEnd = Align(at + (long)n * k * 2, cfg.Lanes * 4);
            return (uint)at;
        }

        public uint Buffer(long bytes)
        {
            long at = _sbufEnd;
            _sbufEnd = Align(at + bytes, 64);
            return (uint)at;
        }

        public PimJob Build(Action<byte[]> fill)
        {
            var dram = new byte[Math.Max(64, _dramEnd)];
            foreach (var (w, k, n, addr) in _weights) PimWeightLayout.Pack(w, k, n, cfg.KTileMax, dram, addr);
            var sbuf = new byte[_sbufEnd];
            fill(sbuf);
            return new PimJob(Program, dram, sbuf);
        }
    }

    byte[] Run(PimJob job)
    {
        var run = PimSimulator.RunAsync(_config, job, new PimRunOptions()).GetAwaiter().GetResult();
        if (run.IllegalInstruction) throw new RtlException($"the Logic-PIM controller rejected a program of {job.Program.Count} instructions");
        Interlocked.Add(ref _cycles, run.Cycles);
        Interlocked.Increment(ref _programs);
        return run.StackBuffer;
    }

    static void WriteHalf(byte[] sbuf, uint addr, ReadOnlySpan<float> x, int rows, int k, int kp)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k; j++)
            {
                ushort h = HalfBits.FloatToF16(x[r * k + j]);
                long at = addr + 2L * (r * kp + j);
                sbuf[at] = (byte)h;
                sbuf[at + 1] = (byte)(h >> 8);
            }
    }

    static float[] ReadFloats(byte[] sbuf, uint addr, int count)
    {
        var y = new float[count];
        for (int i = 0; i < count; i++) y[i] = BitConverter.ToSingle(sbuf, (int)addr + 4 * i);
        return y;
    }

    /// <summary>y[m, n] = x[m, k]·w[n, k]ᵀ as one GEMM program.</summary>
    float[] Gemm(float[] x, ushort[] w, int m, int k, int n)
    {
        int kp = Pad(k);
        var job = new Job(_config);
        uint wa = job.Weight(PadColumns(w, n, k, kp), kp, n), xa = job.Buffer(2L * m * kp), ya = job.Buffer(4L * m * n);
        job.Program.Add(new PimInstruction { Opcode = PimOpcode.Gemm, M = (uint)m, K = (uint)kp, N = (uint)n, WeightAddr = wa, InputAddr = xa, OutputAddr = ya });
        return ReadFloats(Run(job.Build(s => WriteHalf(s, xa, x, m, k, kp))), ya, m * n);
    }

    static float[] Narrow(double[] x) => x.Select(v => (float)v).ToArray();
    static double[] Widen(float[] f) => f.Select(v => (double)v).ToArray();

    public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w) => Widen(Gemm(Narrow(x), Fp16(w), rows, w.Cols, w.Rows));

    public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w)
    {
        int h = w.Gate.Cols, f = w.Gate.Rows, hp = Pad(h);
        var job = new Job(_config);
        uint ga = job.Weight(PadColumns(Fp16(w.Gate), f, h, hp), hp, f), ua = job.Weight(PadColumns(Fp16(w.Up), f, h, hp), hp, f);
        uint xa = job.Buffer(2L * rows * hp), gOut = job.Buffer(4L * rows * f), uOut = job.Buffer(4L * rows * f), sOut = job.Buffer(2L * rows * f);
        job.Program.Add(new PimInstruction { Opcode = PimOpcode.Gemm, M = (uint)rows, K = (uint)hp, N = (uint)f, WeightAddr = ga, InputAddr = xa, OutputAddr = gOut });
        job.Program.Add(new PimInstruction { Opcode = PimOpcode.Gemm, M = (uint)rows, K = (uint)hp, N = (uint)f, WeightAddr = ua, InputAddr = xa, OutputAddr = uOut });
        job.Program.Add(new PimInstruction { Opcode = PimOpcode.Silu, M = 1, K = (uint)(rows * f), InputAddr = gOut, OutputAddr = sOut });
        var xf = Narrow(x);
        var sbuf = Run(job.Build(s => WriteHalf(s, xa, xf, rows, h, hp)));
        var u = ReadFloats(sbuf, uOut, rows * f);
        var a = new float[rows * f];
        for (int i = 0; i < a.Length; i++) a[i] = (float)BitConverter.UInt16BitsToHalf(BitConverter.ToUInt16(sbuf, (int)sOut + 2 * i)) * u[i];
        return Widen(Gemm(a, Fp16(w.Down), rows, f, w.Down.Rows));
    }

    /// <summary>
    /// One program per (query row, KV head): S = q·Kᵀ for the group's query heads (q pre-scaled by 1/√d, the
    /// scale the compiler folds into the query projection), a SOFTMAX per head over the row's visible positions
    /// (writing binary16 P rows padded with zeros to a lane multiple), O = P·V with Vᵀ as the weights.
    /// </summary>
    public double[] Attention(AttentionInput a)
    {
        int d = a.HeadDim, group = a.Heads / a.KvHeads, qStride = a.Heads * d, kvStride = a.KvHeads * d, dp = Pad(d);
        var y = new double[a.Rows * qStride];
        float scale = 1f / MathF.Sqrt(d);
        for (int r = 0; r < a.Rows; r++)
        {
            int visible = a.FirstPosition + r + 1, vp = Pad(visible);
            if (visible > _config.SoftmaxMaxLen) throw new InputException($"context {visible} exceeds the RTL softmax unit's {_config.SoftmaxMaxLen} (set CODESIGN_RTL_CONFIG=published)");
            for (int g = 0; g < a.KvHeads; g++)
            {
                var k = new ushort[visible * dp];
                var vt = new ushort[d * vp];
                for (int t = 0; t < visible; t++)
                    for (int i = 0; i < d; i++)
                    {
                        k[t * dp + i] = HalfBits.FloatToF16((float)a.K[t * kvStride + g * d + i]);
                        vt[i * vp + t] = HalfBits.FloatToF16((float)a.V[t * kvStride + g * d + i]);
                    }
                var q = new float[group * d];
                for (int j = 0; j < group; j++)
                    for (int i = 0; i < d; i++) q[j * d + i] = (float)a.Q[r * qStride + (g * group + j) * d + i] * scale;
                var job = new Job(_config);
                uint ka = job.Weight(k, dp, visible), va = job.Weight(vt, vp, d);
                uint qa = job.Buffer(2L * group * dp), sa = job.Buffer(4L * group * visible), pa = job.Buffer(2L * group * vp), oa = job.Buffer(4L * group * d);
                job.Program.Add(new PimInstruction { Opcode = PimOpcode.Gemm, M = (uint)group, K = (uint)dp, N = (uint)visible, WeightAddr = ka, InputAddr = qa, OutputAddr = sa });
                for (int j = 0; j < group; j++)
                    job.Program.Add(new PimInstruction { Opcode = PimOpcode.Softmax, M = 1, K = (uint)visible, InputAddr = sa + (uint)(4 * j * visible), OutputAddr = pa + (uint)(2 * j * vp) });
                job.Program.Add(new PimInstruction { Opcode = PimOpcode.Gemm, M = (uint)group, K = (uint)vp, N = (uint)d, WeightAddr = va, InputAddr = pa, OutputAddr = oa });
                var o = ReadFloats(Run(job.Build(s => WriteHalf(s, qa, q, group, d, dp))), oa, group * d);
                for (int j = 0; j < group; j++)
                    for (int i = 0; i < d; i++) y[r * qStride + (g * group + j) * d + i] = o[j * d + i];
            }
        }
        return y;
    }

    // Not PIM operators in Duplex: the engine places them on the xPU. They run on the host in FP32 here.
    public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps) => _host.RmsNorm(x, rows, gamma, eps);
    public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, double theta) => _host.Rope(x, rows, heads, headDim, positions, theta);
    public RouterResult Route(double[] x, int rows, HostTensor router, int topK) => _host.Route(x, rows, router, topK);

    public void Dispose() => _host.Dispose();
}
