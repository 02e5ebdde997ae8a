using CoDesign.Runtime.Tensors.Safetensors;

namespace CoDesign.Runtime.Tensors.Tests.Safetensors;

/// <summary>
/// binary16 (IEEE 754-2008 §3.6) and bfloat16 (the top 16 bits of binary32) conversions at their edges: round to
/// nearest, ties to even; subnormals; overflow to infinity; NaN stays NaN. Expected bit patterns are hand-derived.
/// </summary>
public class HalfBitsEdgeTests
{
    static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    [TestCase(1f, (ushort)0x3C00)]
    [TestCase(65504f, (ushort)0x7BFF)]                 // largest finite binary16
    [TestCase(65519.99f, (ushort)0x7BFF)]              // below the midpoint to 2^16: rounds down
    [TestCase(65520f, (ushort)0x7C00)]                 // the midpoint ties to even = infinity
    [TestCase(1e6f, (ushort)0x7C00)]
    [TestCase(-1e6f, (ushort)0xFC00)]
    [TestCase(5.9604645e-8f, (ushort)0x0001)]          // 2^-24, smallest subnormal
    [TestCase(2.9802322e-8f, (ushort)0x0000)]          // 2^-25: a tie between 0 and 2^-24, to even (0)
    [TestCase(8.940697e-8f, (ushort)0x0002)]           // 1.5 · 2^-24: a tie between 1 and 2 ulps, to even (2)
    [TestCase(6.1035156e-5f, (ushort)0x0400)]          // 2^-14, smallest normal
    [TestCase(1.0009766f, (ushort)0x3C01)]             // 1 + 2^-10
    [TestCase(1.0004883f, (ushort)0x3C00)]             // 1 + 2^-11: tie, to even (1)
    [TestCase(1.0014648f, (ushort)0x3C02)]             // 1 + 3·2^-11: tie, to even (1 + 2^-9)
    public void Fp16_RoundsPerIeee(float f, ushort bits) => Assert.That(HalfBits.FloatToF16(f), Is.EqualTo(bits));

    [Test]
    public void Fp16_NaNStaysNaN_AndSubnormalsWidenExactly()
    {
        Assert.That(float.IsNaN(HalfBits.F16ToFloat(HalfBits.FloatToF16(float.NaN))), Is.True);
        Assert.That(HalfBits.F16ToFloat(0x0001), Is.EqualTo(MathF.Pow(2, -24)));
        Assert.That(HalfBits.F16ToFloat(0x03FF), Is.EqualTo(1023 * MathF.Pow(2, -24)));
        Assert.That(HalfBits.F16ToFloat(0x8000), Is.EqualTo(-0f));
        Assert.That(float.IsNegative(HalfBits.F16ToFloat(0x8000)), Is.True);
    }

    [TestCase(0x3F800000u, (ushort)0x3F80)]            // 1
    [TestCase(0x3F808000u, (ushort)0x3F80)]            // exactly half an ulp above 1: tie, to even (down)
    [TestCase(0x3F818000u, (ushort)0x3F82)]            // tie above an odd mantissa: to even (up)
    [TestCase(0x3F808001u, (ushort)0x3F81)]            // just above the tie: up
    [TestCase(0x7F7FFFFFu, (ushort)0x7F80)]            // float.MaxValue rounds past bfloat16's largest: infinity
    [TestCase(0x7F7F7FFFu, (ushort)0x7F7F)]            // below the midpoint: largest finite bfloat16
    [TestCase(0x00000001u, (ushort)0x0000)]            // smallest binary32 subnormal: below half a bfloat16 ulp
    [TestCase(0x00008000u, (ushort)0x0000)]            // subnormal tie, to even (0)
    [TestCase(0x00018000u, (ushort)0x0002)]            // subnormal tie above an odd mantissa: up
    [TestCase(0x007FFFFFu, (ushort)0x0080)]            // largest subnormal rounds up to the smallest normal
    [TestCase(0xFF800000u, (ushort)0xFF80)]            // −infinity
    public void Bf16_RoundsToNearestEven(uint f, ushort bits) => Assert.That(HalfBits.FloatToBf16(F(f)), Is.EqualTo(bits));

    [Test]
    public void Bf16_NaNStaysQuietNaN_EvenWhenOnlyLowBitsAreSet()
    {
        // A NaN whose payload is only in the low 16 bits would truncate to infinity; the conversion must keep it NaN.
        var b = HalfBits.FloatToBf16(F(0x7F800001));
        Assert.That(float.IsNaN(HalfBits.Bf16ToFloat(b)), Is.True);
        Assert.That(b & 0x0040, Is.Not.Zero, "quiet bit set");
        Assert.That(float.IsNaN(HalfBits.Bf16ToFloat(HalfBits.FloatToBf16(F(0xFFC00000)))), Is.True);
    }
}
