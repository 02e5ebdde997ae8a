using ILGPU;
using ILGPU.Algorithms;

namespace CoDesign.Runtime.Gpu;

/// <summary>
/// The ILGPU kernels. Weights stay in their 16-bit storage (FP16 or BF16 bit patterns as ushort, decoded in
/// registers); activations, accumulators and KV are FP32.
/// </summary>
static class Kernels
{
    public const int Fp16 = 0, Bf16 = 1;

    static float Decode(ushort bits, int format) =>
        format == Bf16 ? Interop.IntAsFloat((uint)bits << 16) : (float)Interop.IntAsFloat(bits);

    /// <summary>
    /// y[r, n] = Σ_k x[r, k]·w[n, k], one warp per output column n: lanes stride over k (consecutive lanes read
    /// consecutive weights, so a warp's loads coalesce) and the partial sums meet in a shuffle reduction.
    /// Each weight row is read from memory once per launch, the decode GEMV's whole cost.
    /// </summary>
    public static void MatMul16(ArrayView<float> x, ArrayView<ushort> w, ArrayView<float> y, int rows, int n, int k, int format)
    {
        int warps = Group.DimX / Warp.WarpSize;
        int col = Grid.IdxX * warps + Warp.WarpIdx;
        if (col >= n) return;   // uniform per warp: every lane of a warp shares col
        long wb = (long)col * k;
        for (int r = 0; r < rows; r++)
        {
            float s = 0;
            long xb = (long)r * k;
            for (int i = Warp.LaneIdx; i < k; i += Warp.WarpSize) s += x[xb + i] * Decode(w[wb + i], format);
            for (int off = Warp.WarpSize / 2; off > 0; off /= 2) s += Warp.ShuffleDown(s, off);
            if (Warp.LaneIdx == 0) y[(long)r * n + col] = s;
        }
    }

    /// <summary>The same for F32 checkpoints (kept in FP32: narrowing them would change the model).</summary>
    public static void MatMul32(ArrayView<float> x, ArrayView<float> w, ArrayView<float> y, int rows, int n, int k)
    {
        int warps = Group.DimX / Warp.WarpSize;
        int col = Grid.IdxX * warps + Warp.WarpIdx;
        if (col >= n) return;
        long wb = (long)col * k;
        for (int r = 0; r < rows; r++)
        {
            float s = 0;
            long xb = (long)r * k;
            for (int i = Warp.LaneIdx; i < k; i += Warp.WarpSize) s += x[xb + i] * w[wb + i];
            for (int off = Warp.WarpSize / 2; off > 0; off /= 2) s += Warp.ShuffleDown(s, off);
            if (Warp.LaneIdx == 0) y[(long)r * n + col] = s;
        }
    }

    /// <summary>
    /// The same product with one thread per output element (no warp shuffles). ILGPU's CPU accelerator emulates
    /// shuffles with barriers between OS threads, which makes the warp kernel ~1 µs per multiply-add there; this
    /// form is what CI (no GPU) runs. On CUDA it would read each weight row with uncoalesced, strided loads.
    /// </summary>
    public static void MatMul16PerOutput(Index1D idx, ArrayView<float> x, ArrayView<ushort> w, ArrayView<float> y, int n, int k, int format)
    {
        int r = idx.X / n, col = idx.X % n;
        long wb = (long)col * k, xb = (long)r * k;
        float s = 0;
        for (int i = 0; i < k; i++) s += x[xb + i] * Decode(w[wb + i], format);
        y[idx] = s;
    }

    public static void MatMul32PerOutput(Index1D idx, ArrayView<float> x, ArrayView<float> w, ArrayView<float> y, int n, int k)
    {
        int r = idx.X / n, col = idx.X % n;
        long wb = (long)col * k, xb = (long)r * k;
        float s = 0;
        for (int i = 0; i < k; i++) s += x[xb + i] * w[wb + i];
        y[idx] = s;
    }

    /// <summary>
    /// y[r, n] = Σ_k x[r, k]·w[n, k] for a GPTQ (v1) weight, one thread per output: each packed code is unpacked and
    /// dequantised in registers as scale·(code − zero), the same float32 product as the host's dequantisation, so the
    /// weight is read at its packed width (bits/8 bytes per weight plus the group's scale and zero) and never expanded.
    /// </summary>
    public static void GptqMatMulPerOutput(Index1D idx, ArrayView<float> x, ArrayView<int> qweight, ArrayView<int> qzeros, ArrayView<ushort> scales,
        ArrayView<float> y, int n, int k, int groupSize, int bits)
    {
        int r = idx.X / n, col = idx.X % n;
        int perWord = 32 / bits, mask = (1 << bits) - 1, groups = k / groupSize;
        long xb = (long)r * k;
        float s = 0;
        for (int g = 0; g < groups; g++)
        {
            float scale = Decode(scales[(long)g * n + col], Fp16);
            int zero = ((int)((uint)qzeros[(long)g * (n / perWord) + col / perWord] >> (bits * (col % perWord))) & mask) + 1 & mask;
            for (int i = 0; i < groupSize; i++)
            {
                int kk = g * groupSize + i;
                int code = (int)((uint)qweight[(long)(kk / perWord) * n + col] >> (bits * (kk % perWord))) & mask;
                s += x[xb + kk] * (scale * (code - zero));
            }
        }
        y[idx] = s;
    }

    /// <summary>One thread per row: y = x / sqrt(mean(x²) + eps) ⊙ gamma.</summary>
    public static void RmsNorm(Index1D row, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> y, int h, float eps)
    {
        long b = (long)row.X * h;
        float ss = 0;
        for (int i = 0; i < h; i++) ss += x[b + i] * x[b + i];
        float inv = 1f / XMath.Sqrt(ss / h + eps);
        for (int i = 0; i < h; i++) y[b + i] = x[b + i] * inv * gamma[i];
    }

    /// <summary>One thread per (row, head, pair): rotate-half RoPE with host-computed cos/sin [rows, half].</summary>
    public static void Rope(Index1D idx, ArrayView<float> x, ArrayView<float> cos, ArrayView<float> sin, ArrayView<float> y, int heads, int headDim)
    {
        int half = headDim / 2;
        int i = idx.X % half, rh = idx.X / half, r = rh / heads;
        long b = (long)rh * headDim;
        float c = cos[r * half + i], s = sin[r * half + i];
        float x1 = x[b + i], x2 = x[b + i + half];
        y[b + i] = x1 * c - x2 * s;
        y[b + i + half] = x2 * c + x1 * s;
    }

    /// <summary>
    /// One thread per (row, head): causal GQA attention over the cache with a max-subtracted softmax.
    /// K and V are binary16 (the KV cache's storage on the device), widened exactly to float for each product;
    /// scores, softmax and sums are FP32. scores is scratch [rows·heads, cacheLen].
    /// </summary>
    public static void Attention(Index1D idx, ArrayView<float> q, ArrayView<ushort> k, ArrayView<ushort> v, ArrayView<float> scores, ArrayView<float> y,
        int heads, int kvHeads, int d, int cacheLen, int firstPos)
    {
        int r = idx.X / heads, h = idx.X % heads, kvh = h / (heads / kvHeads);
        int visible = firstPos + r + 1, qStride = heads * d, kvStride = kvHeads * d;
        long sb = (long)idx.X * cacheLen, qb = (long)r * qStride + h * d;
        float scale = 1f / XMath.Sqrt(d), max = float.NegativeInfinity;
        for (int j = 0; j < visible; j++)
        {
            float s = 0;
            long kb = (long)j * kvStride + kvh * d;
            for (int i = 0; i < d; i++) s += q[qb + i] * Decode(k[kb + i], Fp16);
            s *= scale;
            scores[sb + j] = s;
            max = XMath.Max(max, s);
        }
        float sum = 0;
        for (int j = 0; j < visible; j++) { float e = XMath.Exp(scores[sb + j] - max); scores[sb + j] = e; sum += e; }
        float inv = 1f / sum;
        for (int i = 0; i < d; i++) y[qb + i] = 0;
        for (int j = 0; j < visible; j++)
        {
            float p = scores[sb + j] * inv;
            long vb = (long)j * kvStride + kvh * d;
            for (int i = 0; i < d; i++) y[qb + i] += p * Decode(v[vb + i], Fp16);
        }
    }

    /// <summary>Most warps a group may have (1024 threads / 32): the size of the shared reduction buffer.</summary>
    const int MaxWarpsPerGroup = 32;

    /// <summary>
    /// A value reduced over the whole group (max when <paramref name="isMax"/>, else sum): a shuffle reduction
    /// inside each warp, then one partial per warp through shared memory. Every thread gets the result.
    /// All threads of the group must call it (it contains barriers).
    /// </summary>
    static float GroupReduce(float value, bool isMax, ArrayView<float> partial)
    {
        for (int off = Warp.WarpSize / 2; off > 0; off /= 2)
        {
            float o = Warp.ShuffleDown(value, off);
            value = isMax ? XMath.Max(value, o) : value + o;
        }
        if (Warp.LaneIdx == 0) partial[Warp.WarpIdx] = value;
        Group.Barrier();
        int warps = Group.DimX / Warp.WarpSize;
        float r = partial[0];
        for (int i = 1; i < warps; i++) r = isMax ? XMath.Max(r, partial[i]) : r + partial[i];
        Group.Barrier();   // partial is reused by the next reduction
        return r;
    }

    /// <summary>
    /// Causal GQA attention with one group per (query row, head): (1) a warp per context position computes the
    /// score (lanes over head_dim, coalesced K reads, shuffle sum); (2) the group's max, exp and sum; (3) threads
    /// over head_dim accumulate P·V (consecutive threads read consecutive V elements). scores is scratch
    /// [rows·heads, cacheLen]. K and V are binary16, FP32 everywhere else. Same arithmetic as
    /// <see cref="Attention"/> up to summation order.
    /// </summary>
    public static void AttentionCooperative(ArrayView<float> q, ArrayView<ushort> k, ArrayView<ushort> v, ArrayView<float> scores, ArrayView<float> y,
        int heads, int kvHeads, int d, int cacheLen, int firstPos)
    {
        var partial = SharedMemory.Allocate<float>(MaxWarpsPerGroup);
        int rh = Grid.IdxX, r = rh / heads, h = rh % heads, kvh = h / (heads / kvHeads);
        int visible = firstPos + r + 1, qStride = heads * d, kvStride = kvHeads * d;
        int warps = Group.DimX / Warp.WarpSize, lane = Warp.LaneIdx, tid = Group.IdxX, threads = Group.DimX;
        long sb = (long)rh * cacheLen, qb = (long)r * qStride + h * d;
        float scale = 1f / XMath.Sqrt(d);

        float max = float.NegativeInfinity;
        for (int j = Warp.WarpIdx; j < visible; j += warps)
        {
            float s = 0;
            long kb = (long)j * kvStride + kvh * d;
            for (int i = lane; i < d; i += Warp.WarpSize) s += q[qb + i] * Decode(k[kb + i], Fp16);
            for (int off = Warp.WarpSize / 2; off > 0; off /= 2) s += Warp.ShuffleDown(s, off);
            s = Warp.Shuffle(s, 0) * scale;
            if (lane == 0) scores[sb + j] = s;
            max = XMath.Max(max, s);
        }
        Group.Barrier();   // scores written by lane 0 of each warp are read by every thread below
        max = GroupReduce(max, true, partial);

        float sum = 0;
        for (int j = tid; j < visible; j += threads)
        {
            float e = XMath.Exp(scores[sb + j] - max);
            scores[sb + j] = e;
            sum += e;
        }
        Group.Barrier();
        sum = GroupReduce(sum, false, partial);
        float inv = 1f / sum;

        for (int i = tid; i < d; i += threads)
        {
            float acc = 0;
            long vb = (long)kvh * d + i;
            for (int j = 0; j < visible; j++) acc += scores[sb + j] * Decode(v[vb + (long)j * kvStride], Fp16);
            y[qb + i] = acc * inv;
        }
    }

    /// <summary>One thread per row: softmax over the router logits, in place.</summary>
    public static void Softmax(Index1D row, ArrayView<float> x, int n)
    {
        long b = (long)row.X * n;
        float max = float.NegativeInfinity, sum = 0;
        for (int i = 0; i < n; i++) max = XMath.Max(max, x[b + i]);
        for (int i = 0; i < n; i++) { float e = XMath.Exp(x[b + i] - max); x[b + i] = e; sum += e; }
        for (int i = 0; i < n; i++) x[b + i] /= sum;
    }

    /// <summary>g ← silu(g)·u = g / (1 + e^-g) · u.</summary>
    public static void SiluMul(Index1D i, ArrayView<float> g, ArrayView<float> u)
    {
        float a = g[i];
        g[i] = a / (1f + XMath.Exp(-a)) * u[i];
    }
}
