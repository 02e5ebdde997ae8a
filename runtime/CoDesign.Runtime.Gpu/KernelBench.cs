using System.Diagnostics;
using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using ILGPU;
using ILGPU.Runtime;

namespace CoDesign.Runtime.Gpu;

/// <summary>One kernel's measured time and the traffic and arithmetic it implies.</summary>
public sealed record KernelTiming(string Kernel, string Shape, int Iterations, double SecondsPerLaunch, double Bytes, double Flops)
{
    public double BytesPerSecond => Bytes / SecondsPerLaunch;
    public double FlopsPerSecond => Flops / SecondsPerLaunch;
}

/// <summary>
/// Times the decode kernels alone on device-resident buffers (no host copies, no allocation in the timed loop):
/// the decode GEMV (one token through an FP16 [N, K] weight) and decode attention (one query row per head over
/// an FP32 KV cache of the given length). Bytes count what the kernel must move at least once: the weights (or
/// the cache), the input and the output.
/// </summary>
public static class KernelBench
{
    public static KernelTiming DecodeGemv(IlgpuBackend gpu, int n, int k, int iterations, CancellationToken ct = default)
    {
        var rng = new SplitMix64(1);
        var w = new HostTensor("bench.weight", TensorDType.F16, [n, k],
            Enumerable.Range(0, n * k).Select(_ => HalfBits.RoundTo((float)(rng.NextDouble() - 0.5), TensorDType.F16)).ToArray());
        var acc = gpu.Accelerator;
        using var x = acc.Allocate1D(Enumerable.Range(0, k).Select(_ => (float)rng.NextDouble()).ToArray());
        using var y = acc.Allocate1D<float>(n);
        double s = Time(acc, iterations, () => gpu.MatMul(x.View, 1, w, y.View), ct);
        return new KernelTiming("decode_gemv_fp16", $"1x{k} · [{n}x{k}]ᵀ", iterations, s, 2.0 * n * k + 4.0 * (k + n), 2.0 * n * k);
    }

    public static KernelTiming DecodeAttention(IlgpuBackend gpu, int heads, int kvHeads, int headDim, int context, int iterations,
        CancellationToken ct = default)
    {
        var rng = new SplitMix64(2);
        float[] R(long len) { var a = new float[len]; for (long i = 0; i < len; i++) a[i] = (float)(rng.NextDouble() - 0.5); return a; }
        var acc = gpu.Accelerator;
        long kv = (long)context * kvHeads * headDim;
        // One sequence's decode step: one query row per head against its whole cache (the engine launches one per sequence).
        using var q = acc.Allocate1D(R((long)heads * headDim));
        ushort[] H(long len) => R(len).Select(f => BitConverter.HalfToUInt16Bits((System.Half)f)).ToArray();
        using var kb = acc.Allocate1D(H(kv));
        using var vb = acc.Allocate1D(H(kv));
        using var sc = acc.Allocate1D<float>((long)heads * context);
        using var y = acc.Allocate1D<float>((long)heads * headDim);
        double s = Time(acc, iterations, () => gpu.AttentionKernel(q.View, kb.View, vb.View, sc.View, y.View, 1, heads, kvHeads, headDim, context, context - 1), ct);
        // K and V in binary16 (the backend's KV-cache storage), q and y in FP32.
        double bytes = 2.0 * kv * 2 + 2.0 * heads * headDim * 4;
        double flops = 4.0 * heads * headDim * context;
        return new KernelTiming("decode_attention_fp16_kv", $"{heads}/{kvHeads} heads x {headDim}, context {context}", iterations, s, bytes, flops);
    }

    /// <summary>Median of per-launch times over the iterations after one warm-up launch (which also uploads weights).
    /// Cancellation is checked between launches, so Ctrl-C stops a long bench within one launch.</summary>
    static double Time(Accelerator acc, int iterations, Action launch, CancellationToken ct)
    {
        launch();
        acc.Synchronize();
        var times = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            ct.ThrowIfCancellationRequested();
            long t0 = Stopwatch.GetTimestamp();
            launch();
            acc.Synchronize();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(times);
        return times[iterations / 2];
    }
}
