using System.Numerics.Tensors;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Quantization;

/// <summary>
/// One linear weight in the GPTQ checkpoint layout (AutoGPTQ/Transformers "gptq", format v1; AutoAWQ's GEMM layout
/// orders the nibbles differently and is not this class): for a Hugging Face Linear of shape [N, K],
/// <c>qweight</c> int32 [K·bits/32, N] packs 32/bits consecutive input rows of one output column, lowest row in the
/// lowest bits; <c>qzeros</c> int32 [K/G, N·bits/32] packs the zero points of 32/bits consecutive columns of one group,
/// stored minus one (the v1 quirk: the dequantiser adds the one back); <c>scales</c> float16 [K/G, N].
/// Dequantisation is w[n, k] = scale[g, n] · (q[k, n] − (zero[g, n] + 1)), g = k / G, in float32 from the binary16
/// scale, so it is exact up to one float32 rounding of the product, the same on every backend.
/// </summary>
public sealed class GptqWeight
{
    public int Bits { get; }
    public int OutFeatures { get; }
    public int InFeatures { get; }
    public int GroupSize { get; }
    public int[] QWeight { get; }
    public int[] QZeros { get; }
    public ushort[] Scales { get; }

    int PerWord => 32 / Bits;
    int Mask => (1 << Bits) - 1;
    int Groups => InFeatures / GroupSize;

    public GptqWeight(int bits, int outFeatures, int inFeatures, int groupSize, int[] qweight, int[] qzeros, ushort[] scales)
    {
        if (bits is not (4 or 8)) throw new InputException($"GPTQ bits = {bits} is not supported (expected 4 or 8)");
        int perWord = 32 / bits;
        if (outFeatures < 1 || inFeatures < 1) throw new InputException($"GPTQ weight of shape [{outFeatures}, {inFeatures}] is empty");
        if (groupSize < 1 || inFeatures % groupSize != 0)
            throw new InputException($"GPTQ group_size {groupSize} does not divide in_features {inFeatures}");
        if (inFeatures % perWord != 0 || outFeatures % perWord != 0)
            throw new InputException($"GPTQ {bits}-bit packing needs in and out features divisible by {perWord}, got [{outFeatures}, {inFeatures}]");
        int groups = inFeatures / groupSize;
        Check(qweight.Length, (long)inFeatures / perWord * outFeatures, "qweight");
        Check(qzeros.Length, (long)groups * outFeatures / perWord, "qzeros");
        Check(scales.Length, (long)groups * outFeatures, "scales");
        (Bits, OutFeatures, InFeatures, GroupSize, QWeight, QZeros, Scales) = (bits, outFeatures, inFeatures, groupSize, qweight, qzeros, scales);
    }

    static void Check(long got, long want, string what)
    {
        if (got != want) throw new InputException($"GPTQ {what} has {got} elements, expected {want}");
    }

    /// <summary>
    /// Round-to-nearest asymmetric quantisation of a float weight [N, K] (row-major, a Hugging Face Linear) per group of
    /// <paramref name="groupSize"/> inputs of each output column: scale = (max − min) / (2^bits − 1) rounded to binary16,
    /// zero = round(−min / scale) clamped to the code range, as GPTQ's quantiser does before its error feedback (which
    /// only chooses different codes; the layout and dequantisation are the same).
    /// </summary>
    public static GptqWeight Quantise(float[] w, int outFeatures, int inFeatures, int bits, int groupSize)
    {
        int perWord = 32 / bits, maxQ = (1 << bits) - 1;
        if (groupSize < 1 || inFeatures % groupSize != 0)
            throw new InputException($"{Setting.Ref("group_size")} {groupSize} does not divide in_features {inFeatures}");
        int groups = inFeatures / groupSize;
        var qweight = new int[inFeatures / perWord * outFeatures];
        var qzeros = new int[groups * outFeatures / perWord];
        var scales = new ushort[groups * outFeatures];
        for (int n = 0; n < outFeatures; n++)
            for (int g = 0; g < groups; g++)
            {
                var span = new ReadOnlySpan<float>(w, n * inFeatures + g * groupSize, groupSize);
                float lo = Math.Min(0, TensorPrimitives.Min(span)), hi = Math.Max(0, TensorPrimitives.Max(span));
                ushort sBits = HalfBits.FloatToF16(hi > lo ? (hi - lo) / maxQ : 1f);
                float s = HalfBits.F16ToFloat(sBits);
                if (s == 0) { sBits = HalfBits.FloatToF16(1f); s = 1; }   // a group below binary16's range: all codes equal zero
                int z = Math.Clamp((int)MathF.Round(-lo / s), 0, maxQ);
                scales[g * outFeatures + n] = sBits;
                // v1 stores zero − 1; a zero of 0 wraps to all ones in its field, as AutoGPTQ's packer writes it.
                qzeros[g * (outFeatures / perWord) + n / perWord] |= ((z - 1) & maxQ) << (bits * (n % perWord));
                for (int i = 0; i < groupSize; i++)
                {
                    int k = g * groupSize + i;
                    int q = Math.Clamp((int)MathF.Round(span[i] / s) + z, 0, maxQ);
                    qweight[k / perWord * outFeatures + n] |= q << (bits * (k % perWord));
                }
            }
        return new GptqWeight(bits, outFeatures, inFeatures, groupSize, qweight, qzeros, scales);
    }

    public int Code(int n, int k) => (int)((uint)QWeight[k / PerWord * OutFeatures + n] >> (Bits * (k % PerWord))) & Mask;

    /// <summary>The zero point as used (the stored field plus one, wrapped to the code range as AutoGPTQ's kernels do).</summary>
    public int Zero(int g, int n) => (((int)((uint)QZeros[g * (OutFeatures / PerWord) + n / PerWord] >> (Bits * (n % PerWord))) & Mask) + 1) & Mask;

    public float Scale(int g, int n) => HalfBits.F16ToFloat(Scales[g * OutFeatures + n]);

    /// <summary>The dequantised weight [N, K], row-major: what the float backends and the float64 reference run on.</summary>
    public float[] Dequantise()
    {
        var w = new float[(long)OutFeatures * InFeatures];
        for (int n = 0; n < OutFeatures; n++)
            for (int k = 0; k < InFeatures; k++)
            {
                int g = k / GroupSize;
                w[(long)n * InFeatures + k] = Scale(g, n) * (Code(n, k) - Zero(g, n));
            }
        return w;
    }

    /// <summary>
    /// y[r, n] = Σ_k x[r, k]·w[n, k] in float32, dequantising each group of the column as it is read (no dequantised
    /// copy of the matrix): the weight-streaming GEMV of MARLIN-style kernels, on the CPU.
    /// </summary>
    public float[] MatMul(float[] x, int rows)
    {
        var y = new float[rows * OutFeatures];
        MatMulColumns(x, rows, y, 0, OutFeatures);
        return y;
    }

    /// <summary>Output columns [first, end) of <see cref="MatMul"/> into y [rows, N]: the unit the cpu backend spreads over cores.</summary>
    public void MatMulColumns(float[] x, int rows, float[] y, int first, int end)
    {
        if (x.Length != (long)rows * InFeatures) throw new ArgumentException($"x has {x.Length} elements, expected {rows} x {InFeatures}");
        Span<float> group = stackalloc float[Math.Min(GroupSize, 4096)];
        var buffer = GroupSize <= 4096 ? null : new float[GroupSize];
        for (int n = first; n < end; n++)
            for (int g = 0; g < Groups; g++)
            {
                Span<float> col = buffer is null ? group[..GroupSize] : buffer;
                float s = Scale(g, n);
                int z = Zero(g, n);
                for (int i = 0; i < GroupSize; i++) col[i] = s * (Code(n, g * GroupSize + i) - z);
                for (int r = 0; r < rows; r++)
                    y[r * OutFeatures + n] += TensorPrimitives.Dot(new ReadOnlySpan<float>(x, r * InFeatures + g * GroupSize, GroupSize), col);
            }
    }
}
