namespace CoDesign.Runtime.Tensors.Safetensors;

/// <summary>
/// A named tensor in host memory. <see cref="Values"/> holds the elements widened to float32, which is exact for
/// F16 and BF16; <see cref="Storage"/> remembers the type they were stored in, so backends that keep 16-bit
/// weights (the GPU) can narrow them again without loss.
/// </summary>
public sealed class HostTensor
{
    public string Name { get; }
    public TensorDType Storage { get; }
    public int[] Shape { get; }
    public float[] Values { get; }
    /// <summary>
    /// Set for a GPTQ-quantised linear weight: the packed form the cpu and gpu backends run their dequantise-in-GEMV
    /// kernels on. <see cref="Values"/> then holds its bit-exact dequantisation (float32), which the reference reads.
    /// </summary>
    public Quantization.GptqWeight? Gptq { get; init; }

    public HostTensor(string name, TensorDType storage, int[] shape, float[] values)
    {
        long n = ElementCount(shape);
        if (n != values.Length) throw new ArgumentException($"tensor {name}: shape {ShapeText(shape)} needs {n} values, got {values.Length}");
        Name = name; Storage = storage; Shape = shape; Values = values;
    }

    public long Count => Values.Length;
    public int Rows => Shape.Length == 2 ? Shape[0] : 1;
    public int Cols => Shape[^1];

    public static long ElementCount(int[] shape) { long n = 1; foreach (var d in shape) n *= d; return n; }
    public static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>The 16-bit encodings of <see cref="Values"/> (F16 or BF16 storage only).</summary>
    public ushort[] Bits16()
    {
        var bits = new ushort[Values.Length];
        for (int i = 0; i < bits.Length; i++)
            bits[i] = Storage switch
            {
                TensorDType.F16 => HalfBits.FloatToF16(Values[i]),
                TensorDType.BF16 => HalfBits.FloatToBf16(Values[i]),
                _ => throw new InvalidOperationException($"tensor {Name} is stored as F32, not a 16-bit type"),
            };
        return bits;
    }
}
