using System.Numerics.Tensors;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>
/// Fast CPU execution: float32 activations and accumulation with System.Numerics.Tensors SIMD kernels, output
/// rows spread over all cores. FP16/BF16 weights are widened to float32 once at load (<see cref="HostTensor.Values"/>),
/// which is exact, so "FP32 math on FP16/BF16 weights" loses nothing on the weights.
/// </summary>
public sealed class CpuBackend : IBackend
{
    // Work below this many multiply-adds runs on one thread: scheduling costs more than it saves.
    const long ParallelThreshold = 1 << 15;
    // Output columns per parallel work item: large enough to amortise scheduling, small enough to balance 2..64 cores.
    const int ColumnsPerChunk = 32;

    public string Name => "cpu";
    public string Device => $"host CPU, float32 SIMD ({System.Numerics.Vector<float>.Count} lanes), {Environment.ProcessorCount} threads";
    public Precision Precision => Precision.Float32;

    static float[] Narrow(double[] x) => FloatArrays.Narrow(x);
    static double[] Widen(float[] f) => FloatArrays.Widen(f);

    /// <summary>y[rows, N] = x[rows, K]·wᵀ in float32; parallel over chunks of output columns (weight rows).</summary>
    static float[] MatMul(float[] x, int rows, HostTensor w)
    {
        int n = w.Rows, k = w.Cols;
        var wv = w.Values;
        var y = new float[rows * n];
        var gptq = w.Gptq;
        void Chunk(int c)
        {
            // A GPTQ weight runs the dequantise-in-GEMV kernel on its packed codes, not the dequantised copy.
            if (gptq is not null) { gptq.MatMulColumns(x, rows, y, c * ColumnsPerChunk, Math.Min(n, (c + 1) * ColumnsPerChunk)); return; }
            int end = Math.Min(n, (c + 1) * ColumnsPerChunk);
            for (int j = c * ColumnsPerChunk; j < end; j++)
            {
                var wr = new ReadOnlySpan<float>(wv, j * k, k);
                for (int r = 0; r < rows; r++) y[r * n + j] = TensorPrimitives.Dot(new ReadOnlySpan<float>(x, r * k, k), wr);
            }
        }
        int chunks = (n + ColumnsPerChunk - 1) / ColumnsPerChunk;
        if ((long)rows * n * k < ParallelThreshold) for (int c = 0; c < chunks; c++) Chunk(c);
        else Parallel.For(0, chunks, Chunk);
        return y;
    }

    public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w) => Widen(MatMul(Narrow(x), rows, w));

    public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps)
    {
        int h = gamma.Cols;
        var xf = Narrow(x);
        var y = new float[xf.Length];
        for (int r = 0; r < rows; r++)
        {
            var row = new ReadOnlySpan<float>(xf, r * h, h);
            float inv = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(row) / h + (float)eps);
            var outRow = new Span<float>(y, r * h, h);
            TensorPrimitives.Multiply(row, inv, outRow);
            TensorPrimitives.Multiply(outRow, gamma.Values, outRow);
        }
        return Widen(y);
    }

    public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope)
    {
        var (cos, sin) = RopeTables.ForPositions(positions, rope);
        var xf = Narrow(x);
        var y = new float[xf.Length];
        int half = headDim / 2;
        var t1 = new float[half];
        var t2 = new float[half];
        for (int r = 0; r < rows; r++)
        {
            var c = new ReadOnlySpan<float>(cos, r * half, half);
            var s = new ReadOnlySpan<float>(sin, r * half, half);
            for (int h = 0; h < heads; h++)
            {
                int b = (r * heads + h) * headDim;
                var x1 = new ReadOnlySpan<float>(xf, b, half);
                var x2 = new ReadOnlySpan<float>(xf, b + half, half);
                // y1 = x1·cos − x2·sin ; y2 = x2·cos + x1·sin
                TensorPrimitives.Multiply(x2, s, t1);
                TensorPrimitives.Negate<float>(t1, t1);
                TensorPrimitives.MultiplyAdd(x1, c, t1, new Span<float>(y, b, half));
                TensorPrimitives.Multiply(x1, s, t2);
                TensorPrimitives.MultiplyAdd(x2, c, t2, new Span<float>(y, b + half, half));
            }
        }
        return Widen(y);
    }

    public double[] Attention(AttentionInput a)
    {
        int d = a.HeadDim, group = a.Heads / a.KvHeads, qStride = a.Heads * d, kvStride = a.KvHeads * d;
        float scale = 1f / MathF.Sqrt(d);
        var q = Narrow(a.Q);
        var k = new float[a.CacheLength * kvStride];
        var v = new float[a.CacheLength * kvStride];
        for (int i = 0; i < k.Length; i++) { k[i] = (float)a.K[i]; v[i] = (float)a.V[i]; }
        var y = new float[a.Rows * qStride];
        void Head(int h)
        {
            int kvh = h / group;
            var p = new float[a.CacheLength];
            for (int r = 0; r < a.Rows; r++)
            {
                int visible = a.FirstPosition + r + 1;
                var qr = new ReadOnlySpan<float>(q, r * qStride + h * d, d);
                for (int j = 0; j < visible; j++) p[j] = TensorPrimitives.Dot(qr, new ReadOnlySpan<float>(k, j * kvStride + kvh * d, d)) * scale;
                var ps = new Span<float>(p, 0, visible);
                TensorPrimitives.Subtract(ps, TensorPrimitives.Max<float>(ps), ps);
                TensorPrimitives.Exp(ps, ps);
                TensorPrimitives.Divide(ps, TensorPrimitives.Sum<float>(ps), ps);
                var outRow = new Span<float>(y, r * qStride + h * d, d);
                for (int j = 0; j < visible; j++) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(v, j * kvStride + kvh * d, d), p[j], outRow, outRow);
            }
        }
        if ((long)a.Rows * a.CacheLength * qStride < ParallelThreshold) for (int h = 0; h < a.Heads; h++) Head(h);
        else Parallel.For(0, a.Heads, Head);
        return Widen(y);
    }

    public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK)
    {
        int e = router.Rows;
        var logits = MatMul(Narrow(x), rows, router);
        var experts = new int[rows * topK];
        var weights = new double[rows * topK];
        var probs = new float[e];
        var probsD = new double[e];
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.SoftMax(new ReadOnlySpan<float>(logits, r * e, e), probs);
            for (int j = 0; j < e; j++) probsD[j] = probs[j];
            RouterMath.TopK(probsD, topK, experts.AsSpan(r * topK, topK), weights.AsSpan(r * topK, topK), normalizeTopK);
            // The (renormalised) weights are float32 values on this backend.
            for (int j = 0; j < topK; j++) weights[r * topK + j] = (float)weights[r * topK + j];
        }
        return new RouterResult(experts, weights, topK);
    }

    public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w)
    {
        var xf = Narrow(x);
        var g = MatMul(xf, rows, w.Gate);
        var u = MatMul(xf, rows, w.Up);
        // silu(g)·u = g·sigmoid(g)·u
        var sg = new float[g.Length];
        TensorPrimitives.Sigmoid(g, sg);
        TensorPrimitives.Multiply(g, sg, g);
        TensorPrimitives.Multiply(g, u, g);
        return Widen(MatMul(g, rows, w.Down));
    }

    public void Dispose() { }
}
