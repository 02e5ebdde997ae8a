using CoDesign.Rtl;
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Isa;
using CoDesign.Rtl.Sim;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;
using CoDesign.Schema.Ops;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Rtl;

/// <summary>
/// The "rtl" backend: what Duplex places on Logic-PIM runs on the Verilated Logic-PIM module (cd_pim_tb through
/// rtl/CoDesign.Rtl's PimSimulator) as the compiler's PIM kernels (Program.pim_kernels, handed over by the
/// engine through <see cref="IPimKernelBackend"/>): each call binds its kernel's run-time quantities (tokens,
/// context) with <see cref="PimKernelBinder"/>, places the operands where the kernel's fixed memory plan says and
/// simulates the bound stream unchanged:
///  - expert / dense FFN: program 0 = GEMM gate, GEMM up, SILU(gate); the SiLU·up product on the host (one FP32
///    multiply: the ISA has no element-wise multiply); program 1 = GEMM down;
///  - attention, per query row and KV head: GEMM q·Kᵀ (the cache rows as the weights), one SOFTMAX per query
///    head of the group, GEMM P·V — one program;
///  - Q, K, V and output projections and the LM head: one GEMM each (the min-time placement puts them on PIM
///    when their Op/B is below the crossover, at small batches);
///  - prefill attention, when the placement puts it on PIM, through the decode-attention kernel once per
///    query row (each row is a decode of its visible length).
/// The module takes FP16 operands (activations, KV and softmax outputs are binary16) and accumulates in FP32.
/// The kernels pad k with zeros to their multiple (64), which add exact zeros, so a smaller module's results are
/// those of k padded to its own lanes. RMSNorm, RoPE and the router are never placed on PIM; they run on the
/// host in FP32. Slow (one simulation per program) and exact to the RTL's arithmetic.
/// </summary>
public sealed class RtlBackend : IBackend, IPimKernelBackend
{
    readonly PimConfig _config;
    readonly CpuBackend _host = new();
    readonly Lock _cacheLock = new();
    readonly Dictionary<HostTensor, ushort[]> _fp16 = new(ReferenceEqualityComparer.Instance);
    readonly List<PimKernels> _kernels = [];
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

    /// <summary>[n][k] weights zero-padded to [n][kp] (zeros add exact zeros to every dot product).</summary>
    static ushort[] PadColumns(ushort[] w, int n, int k, int kp)
    {
        if (kp == k) return w;
        var p = new ushort[(long)n * kp];
        for (int j = 0; j < n; j++) Array.Copy(w, (long)j * k, p, (long)j * kp, k);
        return p;
    }

    public void UsePimKernels(PimKernels kernels)
    {
        if (kernels.KMultiple == 0 || kernels.KMultiple % _config.Lanes != 0)
            throw new InputException($"the program's PIM kernels pad k to {kernels.KMultiple}, which the {_config.Name} module's {_config.Lanes} lanes do not divide");
        lock (_cacheLock) if (!_kernels.Contains(kernels)) _kernels.Add(kernels);
    }

    static uint Up(int v, uint multiple) => ((uint)v + multiple - 1) / multiple * multiple;

    /// <summary>The first kernel for <paramref name="op"/> (and expert, when one is named) whose shapes satisfy <paramref name="fits"/> (given the kernels' k multiple).</summary>
    (PimKernel Kernel, uint KMultiple) Kernel(string op, int expert, Func<PimKernel, uint, bool> fits, string what)
    {
        lock (_cacheLock)
        {
            foreach (var ks in _kernels)
                foreach (var k in ks.Kernels)
                    if (k.Op == op && (expert < 0 || k.Expert == expert) && fits(k, ks.KMultiple)) return (k, ks.KMultiple);
            throw new InputException(_kernels.Count == 0
                ? "backend 'rtl' runs the compiler's Logic-PIM kernels and none were given: run it through a compiled Program (codesign run/validate)"
                : $"the program's Logic-PIM kernels have none for {what}");
        }
    }

    /// <summary>A DRAM image holding each (weight [n][k], k, n, byte address) in the PimWeightLayout the GEMMs stream.</summary>
    byte[] Dram(params (ushort[] W, uint K, uint N, uint Addr)[] weights)
    {
        var dram = new byte[Math.Max(64, weights.Max(w => w.Addr + 2L * w.K * w.N))];
        foreach (var (w, k, n, addr) in weights) PimWeightLayout.Pack(w, (int)k, (int)n, _config.KTileMax, dram, addr);
        return dram;
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

    static float[] Narrow(double[] x) => x.Select(v => (float)v).ToArray();
    static double[] Widen(float[] f) => f.Select(v => (double)v).ToArray();

    /// <summary>
    /// A projection (Q, K or V, output, LM head) through the compiler's GEMM kernel of its shape, bound to
    /// <paramref name="rows"/> tokens. Other products (the router's and a shared expert's gates) are vector-sized
    /// work the placement never puts on PIM; they run on the host in FP32.
    /// </summary>
    public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w)
    {
        // The Program names its PIM kernels by the one operator vocabulary.
        string? op = kind is OpKind.QkvProjection or OpKind.OutputProjection or OpKind.LmHead ? kind.Name() : null;
        if (op is null) return _host.Linear(kind, x, rows, w);
        int k = w.Cols, n = w.Rows;
        var (kernel, mult) = Kernel(op, -1, (kk, mul) =>
            kk.Programs.Count == 1 && kk.Programs[0].Instructions.Count == 1
            && kk.Programs[0].Instructions[0] is var g && g.N == n && g.K == Up(k, mul),
            $"a {op} of {k} inputs and {n} outputs");
        var p = PimKernelBinder.Bind(kernel, 0, new PimBinding((uint)rows, 0, mult));
        uint kp = p[0].K;
        var dram = Dram((PadColumns(Fp16(w), n, k, (int)kp), kp, (uint)n, p[0].WeightAddr));
        var sbuf = new byte[PimKernelBinder.StackBufferBytes(p)];
        WriteHalf(sbuf, p[0].InputAddr, Narrow(x), rows, k, (int)kp);
        return Widen(ReadFloats(Run(new PimJob(p, dram, sbuf)), p[0].OutputAddr, rows * n));
    }

    /// <summary>
    /// The FFN's kernel ("experts" for the routed expert it names, "shared_expert" for the shared expert, else
    /// "ffn") bound to <paramref name="rows"/>
    /// tokens: program 0 gives SiLU(G) and U, the host forms A = SiLU(G)·U in FP32 and writes it as binary16 at
    /// program 1's input, program 1 gives Y = A·downᵀ.
    /// </summary>
    public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w)
    {
        int h = w.Gate.Cols, f = w.Gate.Rows;
        bool expert = kind == OpKind.Expert && w.Expert >= 0, shared = kind == OpKind.SharedExpert;
        // The named expert's kernel; its shapes must be this FFN's: k padded to the kernels' multiple, n exact.
        var (kernel, mult) = Kernel(expert ? "experts" : shared ? OpKind.SharedExpert.Name() : OpKind.Ffn.Name(), expert ? w.Expert : -1, (k, mul) =>
            k.Programs.Count == 2 && k.Programs[0].Instructions[0] is var g && g.N == f && g.K == Up(h, mul)
            && k.Programs[1].Instructions[0] is var dn && dn.N == h && dn.K == Up(f, mul),
            $"{(expert ? $"expert {w.Expert}" : shared ? "a shared expert" : "a dense FFN")} of hidden {h} and width {f}");
        var b = new PimBinding((uint)rows, 0, mult);
        var p0 = PimKernelBinder.Bind(kernel, 0, b);
        var p1 = PimKernelBinder.Bind(kernel, 1, b);
        uint hp = p0[0].K, fp = p1[0].K;
        var dram = Dram((PadColumns(Fp16(w.Gate), f, h, (int)hp), hp, (uint)f, p0[0].WeightAddr),
                        (PadColumns(Fp16(w.Up), f, h, (int)hp), hp, (uint)f, p0[1].WeightAddr),
                        (PadColumns(Fp16(w.Down), h, f, (int)fp), fp, (uint)h, p1[0].WeightAddr));
        var sbuf = new byte[PimKernelBinder.StackBufferBytes(p0.Concat(p1))];
        WriteHalf(sbuf, p0[0].InputAddr, Narrow(x), rows, h, (int)hp);
        sbuf = Run(new PimJob(p0, dram, sbuf));
        var u = ReadFloats(sbuf, p0[1].OutputAddr, rows * f);
        var a = new float[rows * f];
        for (int i = 0; i < a.Length; i++) a[i] = (float)BitConverter.UInt16BitsToHalf(BitConverter.ToUInt16(sbuf, (int)p0[2].OutputAddr + 2 * i)) * u[i];
        WriteHalf(sbuf, p1[0].InputAddr, a, rows, f, (int)fp);
        return Widen(ReadFloats(Run(new PimJob(p1, dram, sbuf)), p1[0].OutputAddr, rows * h));
    }

    /// <summary>
    /// The decode-attention kernel, once per (query row, KV head) with the row's visible context: q (pre-scaled
    /// by 1/√d, the scale the compiler folds into the query projection) at the kernel's input, the group's K rows
    /// and Vᵀ, zero from the context to its padded length, at the kernel's two weight addresses.
    /// </summary>
    public double[] Attention(AttentionInput a)
    {
        int d = a.HeadDim, group = a.Heads / a.KvHeads, qStride = a.Heads * d, kvStride = a.KvHeads * d;
        var (kernel, mult) = Kernel("attention.score.decode", -1, (k, mul) =>
            k.Programs[0].Instructions[0] is var s && s.M == group && s.K == Up(d, mul) && k.Programs[0].Instructions[^1].N == d,
            $"attention with {group} query heads per KV head of dimension {d}");
        var y = new double[a.Rows * qStride];
        float scale = 1f / MathF.Sqrt(d);
        for (int r = 0; r < a.Rows; r++)
        {
            int visible = a.FirstPosition + r + 1;
            if (visible > _config.SoftmaxMaxLen) throw new InputException($"context {visible} exceeds the RTL softmax unit's {_config.SoftmaxMaxLen} (set CODESIGN_RTL_CONFIG=published)");
            var p = PimKernelBinder.Bind(kernel, 0, new PimBinding(1, (uint)visible, mult));
            int dp = (int)p[0].K, cp = (int)p[0].N;
            for (int g = 0; g < a.KvHeads; g++)
            {
                var k = new ushort[cp * dp];
                var vt = new ushort[d * cp];
                for (int t = 0; t < visible; t++)
                    for (int i = 0; i < d; i++)
                    {
                        k[t * dp + i] = HalfBits.FloatToF16((float)a.K[t * kvStride + g * d + i]);
                        vt[i * cp + t] = HalfBits.FloatToF16((float)a.V[t * kvStride + g * d + i]);
                    }
                var q = new float[group * d];
                for (int j = 0; j < group; j++)
                    for (int i = 0; i < d; i++) q[j * d + i] = (float)a.Q[r * qStride + (g * group + j) * d + i] * scale;
                var sbuf = new byte[PimKernelBinder.StackBufferBytes(p)];
                WriteHalf(sbuf, p[0].InputAddr, q, group, d, dp);
                var dram = Dram((k, (uint)dp, (uint)cp, p[0].WeightAddr), (vt, (uint)cp, (uint)d, p[^1].WeightAddr));
                var o = ReadFloats(Run(new PimJob(p, dram, sbuf)), p[^1].OutputAddr, group * d);
                for (int j = 0; j < group; j++)
                    for (int i = 0; i < d; i++) y[r * qStride + (g * group + j) * d + i] = o[j * d + i];
            }
        }
        return y;
    }

    // Not PIM operators (no Logic-PIM unit for them): the engine places them on the xPU. They run on the host in FP32 here.
    public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps) => _host.RmsNorm(x, rows, gamma, eps);
    public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope) => _host.Rope(x, rows, heads, headDim, positions, rope);
    public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK) => _host.Route(x, rows, router, topK, normalizeTopK);

    public void Dispose() => _host.Dispose();
}
