using CoDesign.Rtl;
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Runs;
using CoDesign.Rtl.Sim;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;

namespace CoDesign.Runtime.Rtl;

/// <summary>
/// The "rtl" backend: every matrix product runs on the Verilated Logic-PIM GEMM module (cd_pim_tb, driven by one
/// PIM GEMM instruction per product through rtl/CoDesign.Rtl's PimSimulator): FP16 operands, FP32 accumulation,
/// weights in the bank-bundle DRAM model. That covers what Duplex places on Logic-PIM: expert FFNs (gate, up,
/// down) and decode attention (Q·Kᵀ and P·V per KV head, the cache as the "weights"). The element-wise parts the
/// GEMM module does not implement (SiLU·up, softmax, masking, scaling) run on the host in FP32, as does every
/// non-matrix operator (RMSNorm, RoPE, router), which the engine never places on PIM.
/// Slow (one simulation per product) and exact to the RTL's arithmetic.
/// </summary>
public sealed class RtlBackend : IBackend
{
    readonly PimConfig _config;
    readonly CpuBackend _host = new();
    readonly Lock _cacheLock = new();
    readonly Dictionary<HostTensor, ushort[]> _fp16 = new(ReferenceEqualityComparer.Instance);
    long _cycles, _gemms;

    public RtlBackend()
    {
        var name = Environment.GetEnvironmentVariable("CODESIGN_RTL_CONFIG") ?? "ci";
        _config = PimConfig.Get(name, 1);
        _config.Validate();
        if (ToolLocator.Find("verilator") is null)
            throw new InputException("backend 'rtl' needs verilator to build the Logic-PIM model (install it with tools/setup.sh)");
        // Build (or find in the cache) the model once, before two threads could race to build it.
        VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(_config, trace: false)).GetAwaiter().GetResult();
    }

    public string Name => "rtl";
    public string Device => $"Verilated Logic-PIM GEMM ({_config.Name}: {_config.Lanes} lanes x {_config.Tokens} PUs, {PimConfig.ClockHz / 1e6:0} MHz)";
    /// <summary>The GEMM module takes FP16 operands (activations and the KV cache are rounded to FP16) and accumulates in FP32.</summary>
    public Precision Precision => Precision.Of(TensorDType.F16, TensorDType.F32);
    public long SimulatedCycles => Interlocked.Read(ref _cycles);
    public long GemmCount => Interlocked.Read(ref _gemms);
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

    /// <summary>
    /// y[m, n] = x[m, k]·w[n, k]ᵀ on the RTL. K is zero-padded to a multiple of the lane count (zeros add exact
    /// zeros); x is rounded to FP16, the module's operand format.
    /// </summary>
    float[] Gemm(ReadOnlySpan<float> x, ushort[] w, int m, int k, int n)
    {
        int lanes = _config.Lanes, kp = (k + lanes - 1) / lanes * lanes;
        var wp = w;
        if (kp != k)
        {
            wp = new ushort[(long)n * kp];
            for (int j = 0; j < n; j++) Array.Copy(w, (long)j * k, wp, (long)j * kp, k);
        }
        var xp = new ushort[(long)m * kp];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++) xp[(long)i * kp + j] = HalfBits.FloatToF16(x[i * k + j]);
        var wl = new GemmWorkload(m, kp, n, wp, xp);
        var run = PimSimulator.RunAsync(_config, wl.ToJob(_config), new PimRunOptions()).GetAwaiter().GetResult();
        if (run.IllegalInstruction) throw new RtlException($"the Logic-PIM controller rejected GEMM {m}x{kp}x{n}");
        Interlocked.Add(ref _cycles, run.Cycles);
        Interlocked.Increment(ref _gemms);
        var bits = wl.ReadOutput(run.StackBuffer);
        var y = new float[bits.Length];
        for (int i = 0; i < y.Length; i++) y[i] = BitConverter.UInt32BitsToSingle(bits[i]);
        return y;
    }

    static float[] Narrow(double[] x) => x.Select(v => (float)v).ToArray();
    static double[] Widen(float[] f) => f.Select(v => (double)v).ToArray();

    public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w) => Widen(Gemm(Narrow(x), Fp16(w), rows, w.Cols, w.Rows));

    public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w)
    {
        var xf = Narrow(x);
        int h = w.Gate.Cols, f = w.Gate.Rows;
        var g = Gemm(xf, Fp16(w.Gate), rows, h, f);
        var u = Gemm(xf, Fp16(w.Up), rows, h, f);
        for (int i = 0; i < g.Length; i++) g[i] = g[i] / (1f + MathF.Exp(-g[i])) * u[i];
        return Widen(Gemm(g, Fp16(w.Down), rows, f, w.Down.Rows));
    }

    /// <summary>
    /// Per KV head: S = Q_g·K_gᵀ for the group's query rows (one GEMM, the cache rows as weights), scale, causal mask
    /// and softmax in FP32, then O = P·V_g (one GEMM with Vᵀ as weights).
    /// </summary>
    public double[] Attention(AttentionInput a)
    {
        int d = a.HeadDim, group = a.Heads / a.KvHeads, len = a.CacheLength, qStride = a.Heads * d, kvStride = a.KvHeads * d;
        int m = a.Rows * group;
        var y = new double[a.Rows * qStride];
        float scale = 1f / MathF.Sqrt(d);
        for (int g = 0; g < a.KvHeads; g++)
        {
            var q = new float[m * d];
            for (int r = 0; r < a.Rows; r++)
                for (int j = 0; j < group; j++)
                    for (int i = 0; i < d; i++) q[(r * group + j) * d + i] = (float)a.Q[r * qStride + (g * group + j) * d + i];
            var kBits = new ushort[len * d];
            var vtBits = new ushort[d * len];
            for (int t = 0; t < len; t++)
                for (int i = 0; i < d; i++)
                {
                    kBits[t * d + i] = HalfBits.FloatToF16((float)a.K[t * kvStride + g * d + i]);
                    vtBits[i * len + t] = HalfBits.FloatToF16((float)a.V[t * kvStride + g * d + i]);
                }
            var s = Gemm(q, kBits, m, d, len);
            for (int r = 0; r < a.Rows; r++)
            {
                int visible = a.FirstPosition + r + 1;
                for (int j = 0; j < group; j++)
                {
                    var row = s.AsSpan((r * group + j) * len, len);
                    float max = float.NegativeInfinity, sum = 0;
                    for (int t = 0; t < visible; t++) max = MathF.Max(max, row[t] * scale);
                    for (int t = 0; t < len; t++)
                    {
                        row[t] = t < visible ? MathF.Exp(row[t] * scale - max) : 0;
                        sum += row[t];
                    }
                    for (int t = 0; t < visible; t++) row[t] /= sum;
                }
            }
            var o = Gemm(s, vtBits, m, len, d);
            for (int r = 0; r < a.Rows; r++)
                for (int j = 0; j < group; j++)
                    for (int i = 0; i < d; i++) y[r * qStride + (g * group + j) * d + i] = o[(r * group + j) * d + i];
        }
        return y;
    }

    // Not PIM operators in Duplex: the engine places them on the xPU. They run on the host in FP32 here.
    public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps) => _host.RmsNorm(x, rows, gamma, eps);
    public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, double theta) => _host.Rope(x, rows, heads, headDim, positions, theta);
    public RouterResult Route(double[] x, int rows, HostTensor router, int topK) => _host.Route(x, rows, router, topK);

    public void Dispose() => _host.Dispose();
}
