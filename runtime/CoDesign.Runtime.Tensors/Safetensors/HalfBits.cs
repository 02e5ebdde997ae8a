namespace CoDesign.Runtime.Tensors.Safetensors;

/// <summary>Conversions between float and the 16-bit storage formats (round to nearest even, like PyTorch).</summary>
public static class HalfBits
{
    public static ushort FloatToF16(float f) => BitConverter.HalfToUInt16Bits((Half)f);
    public static float F16ToFloat(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    public static ushort FloatToBf16(float f)
    {
        uint u = BitConverter.SingleToUInt32Bits(f);
        if (float.IsNaN(f)) return (ushort)((u >> 16) | 0x40);   // keep it a (quiet) NaN
        uint roundingBias = 0x7FFF + ((u >> 16) & 1);             // ties to even
        return (ushort)((u + roundingBias) >> 16);
    }

    public static float Bf16ToFloat(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>Rounds a float to what storing it in <paramref name="t"/> keeps.</summary>
    public static float RoundTo(float f, TensorDType t) => t switch
    {
        TensorDType.F16 => F16ToFloat(FloatToF16(f)),
        TensorDType.BF16 => Bf16ToFloat(FloatToBf16(f)),
        _ => f,
    };
}
