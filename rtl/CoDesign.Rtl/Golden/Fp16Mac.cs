// SPDX-License-Identifier: Apache-2.0
// Bit-exact model of the MAC lane arithmetic (cd_fp16_mul, cd_fp32_add): binary16 products, binary32 sums.
namespace CoDesign.Rtl.Golden;

/// <summary>
/// The RTL's arithmetic, bit for bit. A binary16 x binary16 product has at most 22 significant bits and an
/// exponent inside binary32's normal range, so the binary32 product is exact; the hardware float multiply
/// therefore gives the RTL product. Sums round once, to nearest even, as IEEE 754 binary32 addition does
/// (.NET does not flush subnormals). The one difference from the host FPU is NaN: the RTL emits a single
/// quiet NaN (0x7FC00000) whatever the operands' payloads, so results are canonicalised.
/// </summary>
public static class Fp16Mac
{
    public const uint QuietNaN = 0x7FC0_0000;

    public static uint Mul(ushort a, ushort b) =>
        Canon((float)BitConverter.UInt16BitsToHalf(a) * (float)BitConverter.UInt16BitsToHalf(b));

    public static uint Add(uint a, uint b) =>
        Canon(BitConverter.UInt32BitsToSingle(a) + BitConverter.UInt32BitsToSingle(b));

    /// <summary>acc + a * b, as one MAC lane computes it.</summary>
    public static uint Mac(uint acc, ushort a, ushort b) => Add(acc, Mul(a, b));

    /// <summary>The pairwise tree of cd_adder_tree: level by level, neighbours 2i and 2i+1.</summary>
    public static uint TreeSum(Span<uint> leaves)
    {
        if ((leaves.Length & (leaves.Length - 1)) != 0 || leaves.Length == 0)
            throw new ArgumentException("tree width must be a power of two", nameof(leaves));
        for (int width = leaves.Length; width > 1; width /= 2)
            for (int i = 0; i < width / 2; i++) leaves[i] = Add(leaves[2 * i], leaves[2 * i + 1]);
        return leaves[0];
    }

    static uint Canon(float f) => float.IsNaN(f) ? QuietNaN : BitConverter.SingleToUInt32Bits(f);
}
