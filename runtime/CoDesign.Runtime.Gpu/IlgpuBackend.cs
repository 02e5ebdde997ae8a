using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace CoDesign.Runtime.Gpu;

/// <summary>
/// The "gpu" backend: every operator as an ILGPU kernel, weights resident on the device in FP16/BF16 (FP32 for
/// F32 checkpoints), the KV cache on the device in FP16 (binary16: half the bytes decode attention streams),
/// FP32 activations and accumulation. Runs on the first CUDA device when one is present and
/// on ILGPU's CPU accelerator otherwise (CI); set CODESIGN_GPU=cpu to force the CPU accelerator. Calls are
/// serialised on one stream (the engine may call from two threads). GEMV and attention use cooperative
/// kernels on CUDA and per-thread kernels on the CPU accelerator (<see cref="KernelVariant"/>).
/// </summary>
public sealed class IlgpuBackend : IBackend
{
    readonly Context _context;
    readonly Accelerator _acc;
    readonly Lock _gate = new();
    readonly Dictionary<HostTensor, MemoryBuffer> _weights = new(ReferenceEqualityComparer.Instance);
    readonly int _warpsPerGroup;

    readonly Action<KernelConfig, ArrayView<float>, ArrayView<ushort>, ArrayView<float>, int, int, int, int> _matMul16;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int> _matMul32;
    readonly Action<Index1D, ArrayView<float>, ArrayView<ushort>, ArrayView<float>, int, int, int> _matMul16PerOutput;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _matMul32PerOutput;
    readonly Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, int, int, int, int> _gptqMatMul;
    readonly Dictionary<HostTensor, (MemoryBuffer1D<int, Stride1D.Dense> Q, MemoryBuffer1D<int, Stride1D.Dense> Z, MemoryBuffer1D<ushort, Stride1D.Dense> S)> _gptq =
        new(ReferenceEqualityComparer.Instance);
    readonly bool _cooperative;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<ushort>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, int, int, int, int, int> _attentionCooperative;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> _rmsNorm;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _rope;
    readonly Action<Index1D, ArrayView<float>, ArrayView<ushort>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, int, int, int, int, int> _attention;
    readonly Action<Index1D, ArrayView<float>, int> _softmax;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>> _siluMul;

    public IlgpuBackend() : this(KernelVariant.Auto) { }

    public IlgpuBackend(KernelVariant variant)
    {
        bool forceCpu = string.Equals(Environment.GetEnvironmentVariable("CODESIGN_GPU"), "cpu", StringComparison.OrdinalIgnoreCase);
        // CPU accelerator: 1 multiprocessor x 1 warp x 4 lanes. More simulated threads than cores only adds
        // context switches at ILGPU's group barriers (measured: the default 16 threads ran 2x slower on 2 cores).
        _context = Context.Create(b => { if (!forceCpu) b.Cuda(); b.CPU(new CPUDevice(4, 1, 1)).EnableAlgorithms().Optimize(OptimizationLevel.O1); });
        _acc = !forceCpu && _context.GetCudaDevices().Count > 0 ? _context.CreateCudaAccelerator(0) : _context.CreateCPUAccelerator(0);
        // Warps per group: 4 where the device allows 4 warps in a group (CUDA: 128 threads; ILGPU CPU: 4 x 4).
        _warpsPerGroup = Math.Max(1, Math.Min(4, _acc.MaxNumThreadsPerGroup / _acc.WarpSize));
        _matMul16 = _acc.LoadStreamKernel<ArrayView<float>, ArrayView<ushort>, ArrayView<float>, int, int, int, int>(Kernels.MatMul16);
        _matMul32 = _acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(Kernels.MatMul32);
        _matMul16PerOutput = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<ushort>, ArrayView<float>, int, int, int>(Kernels.MatMul16PerOutput);
        _matMul32PerOutput = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(Kernels.MatMul32PerOutput);
        _attentionCooperative = _acc.LoadStreamKernel<ArrayView<float>, ArrayView<ushort>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, int, int, int, int, int>(Kernels.AttentionCooperative);
        _gptqMatMul = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, int, int, int, int>(Kernels.GptqMatMulPerOutput);
        _cooperative = variant == KernelVariant.Cooperative || (variant == KernelVariant.Auto && _acc.AcceleratorType == AcceleratorType.Cuda);
        _rmsNorm = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(Kernels.RmsNorm);
        _rope = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(Kernels.Rope);
        _attention = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<ushort>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, int, int, int, int, int>(Kernels.Attention);
        _softmax = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int>(Kernels.Softmax);
        _siluMul = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(Kernels.SiluMul);
    }

    public string Name => "gpu";
    public string Device => $"ILGPU {_acc.AcceleratorType}: {_acc.Name} ({(_cooperative ? "cooperative" : "per-thread")} kernels)";
    public bool IsCuda => _acc.AcceleratorType == AcceleratorType.Cuda;
    public Precision Precision => Precision.Float32;
    /// <summary>Attention reads K and V rounded to binary16 (the KV cache's device storage) and sums in FP32; the rest is FP32.</summary>
    public Precision PrecisionOf(OpKind op) => op == OpKind.Attention ? KvPrecision : Precision;
    static readonly Precision KvPrecision = Precision.Of(TensorDType.F16, TensorDType.F32);
    public Accelerator Accelerator => _acc;

    static float[] Narrow(double[] x) => FloatArrays.Narrow(x);
    static double[] Widen(float[] f) => FloatArrays.Widen(f);

    /// <summary>The device copy of a weight, uploaded on first use in its storage type.</summary>
    MemoryBuffer Weight(HostTensor t)
    {
        if (_weights.TryGetValue(t, out var b)) return b;
        b = t.Storage == TensorDType.F32 ? _acc.Allocate1D(t.Values) : _acc.Allocate1D(t.Bits16());
        _weights[t] = b;
        return b;
    }

    /// <summary>y[rows, N] = x·wᵀ on the device (caller holds the gate).</summary>
    internal void MatMul(ArrayView<float> x, int rows, HostTensor w, ArrayView<float> y)
    {
        int n = w.Rows, k = w.Cols;
        if (w.Gptq is { } g)
        {
            // GPTQ weights live on the device packed (int32 codes and zeros, binary16 scales): one thread per output on both accelerators.
            if (!_gptq.TryGetValue(w, out var p)) _gptq[w] = p = (_acc.Allocate1D(g.QWeight), _acc.Allocate1D(g.QZeros), _acc.Allocate1D(g.Scales));
            _gptqMatMul(rows * n, x, p.Q.View, p.Z.View, p.S.View, y, n, k, g.GroupSize, g.Bits);
            return;
        }
        var config = new KernelConfig((n + _warpsPerGroup - 1) / _warpsPerGroup, _warpsPerGroup * _acc.WarpSize);
        var buf = Weight(w);
        int format = w.Storage == TensorDType.BF16 ? Kernels.Bf16 : Kernels.Fp16;
        if (!_cooperative)
        {
            if (w.Storage == TensorDType.F32) _matMul32PerOutput(rows * n, x, ((MemoryBuffer1D<float, Stride1D.Dense>)buf).View, y, n, k);
            else _matMul16PerOutput(rows * n, x, ((MemoryBuffer1D<ushort, Stride1D.Dense>)buf).View, y, n, k, format);
            return;
        }
        if (w.Storage == TensorDType.F32) _matMul32(config, x, ((MemoryBuffer1D<float, Stride1D.Dense>)buf).View, y, rows, n, k);
        else _matMul16(config, x, ((MemoryBuffer1D<ushort, Stride1D.Dense>)buf).View, y, rows, n, k, format);
    }

    public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w)
    {
        lock (_gate)
        {
            using var xb = _acc.Allocate1D(Narrow(x));
            using var yb = _acc.Allocate1D<float>((long)rows * w.Rows);
            MatMul(xb.View, rows, w, yb.View);
            _acc.Synchronize();
            return Widen(yb.GetAsArray1D());
        }
    }

    public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps)
    {
        lock (_gate)
        {
            using var xb = _acc.Allocate1D(Narrow(x));
            using var gb = _acc.Allocate1D(gamma.Values);
            using var yb = _acc.Allocate1D<float>(x.Length);
            _rmsNorm(rows, xb.View, gb.View, yb.View, gamma.Cols, (float)eps);
            _acc.Synchronize();
            return Widen(yb.GetAsArray1D());
        }
    }

    public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope)
    {
        var (cos, sin) = RopeTables.ForPositions(positions, rope);
        lock (_gate)
        {
            using var xb = _acc.Allocate1D(Narrow(x));
            using var cb = _acc.Allocate1D(cos);
            using var sb = _acc.Allocate1D(sin);
            using var yb = _acc.Allocate1D<float>(x.Length);
            _rope(rows * heads * (headDim / 2), xb.View, cb.View, sb.View, yb.View, heads, headDim);
            _acc.Synchronize();
            return Widen(yb.GetAsArray1D());
        }
    }

    /// <summary>Launches the attention kernel on device buffers (caller holds the gate and synchronises).</summary>
    internal void AttentionKernel(ArrayView<float> q, ArrayView<ushort> k, ArrayView<ushort> v, ArrayView<float> scores, ArrayView<float> y,
        int rows, int heads, int kvHeads, int d, int cacheLen, int firstPos)
    {
        if (_cooperative)
            _attentionCooperative(new KernelConfig(rows * heads, _warpsPerGroup * _acc.WarpSize), q, k, v, scores, y, heads, kvHeads, d, cacheLen, firstPos);
        else
            _attention(rows * heads, q, k, v, scores, y, heads, kvHeads, d, cacheLen, firstPos);
    }

    public double[] Attention(AttentionInput a)
    {
        // The cache as the device stores it: binary16, each value rounded once from the engine's float64.
        int kvLen = a.CacheLength * a.KvHeads * a.HeadDim;
        var k = new ushort[kvLen];
        var v = new ushort[kvLen];
        for (int i = 0; i < kvLen; i++) { k[i] = BitConverter.HalfToUInt16Bits((System.Half)a.K[i]); v[i] = BitConverter.HalfToUInt16Bits((System.Half)a.V[i]); }
        lock (_gate)
        {
            using var qb = _acc.Allocate1D(Narrow(a.Q));
            using var kb = _acc.Allocate1D(k);
            using var vb = _acc.Allocate1D(v);
            using var sb = _acc.Allocate1D<float>((long)a.Rows * a.Heads * a.CacheLength);
            using var yb = _acc.Allocate1D<float>(a.Q.Length);
            AttentionKernel(qb.View, kb.View, vb.View, sb.View, yb.View, a.Rows, a.Heads, a.KvHeads, a.HeadDim, a.CacheLength, a.FirstPosition);
            _acc.Synchronize();
            return Widen(yb.GetAsArray1D());
        }
    }

    public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK)
    {
        float[] probs;
        int e = router.Rows;
        lock (_gate)
        {
            using var xb = _acc.Allocate1D(Narrow(x));
            using var pb = _acc.Allocate1D<float>((long)rows * e);
            MatMul(xb.View, rows, router, pb.View);
            _softmax(rows, pb.View, e);
            _acc.Synchronize();
            probs = pb.GetAsArray1D();
        }
        // Top-k of a handful of experts is selection, not arithmetic: done on the host with the shared tie rule.
        var experts = new int[rows * topK];
        var weights = new double[rows * topK];
        var row = new double[e];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < e; j++) row[j] = probs[r * e + j];
            RouterMath.TopK(row, topK, experts.AsSpan(r * topK, topK), weights.AsSpan(r * topK, topK), normalizeTopK);
            for (int j = 0; j < topK; j++) weights[r * topK + j] = (float)weights[r * topK + j];
        }
        return new RouterResult(experts, weights, topK);
    }

    public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w)
    {
        lock (_gate)
        {
            int f = w.Gate.Rows;
            using var xb = _acc.Allocate1D(Narrow(x));
            using var gb = _acc.Allocate1D<float>((long)rows * f);
            using var ub = _acc.Allocate1D<float>((long)rows * f);
            using var yb = _acc.Allocate1D<float>((long)rows * w.Down.Rows);
            MatMul(xb.View, rows, w.Gate, gb.View);
            MatMul(xb.View, rows, w.Up, ub.View);
            _siluMul((int)gb.Length, gb.View, ub.View);
            MatMul(gb.View, rows, w.Down, yb.View);
            _acc.Synchronize();
            return Widen(yb.GetAsArray1D());
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var b in _weights.Values) b.Dispose();
            foreach (var (q, z, sc) in _gptq.Values) { q.Dispose(); z.Dispose(); sc.Dispose(); }
            _weights.Clear();
            _acc.Dispose();
            _context.Dispose();
        }
    }
}
