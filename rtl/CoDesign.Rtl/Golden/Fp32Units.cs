// SPDX-License-Identifier: Apache-2.0
// Bit-exact models of the binary32 units (cd_fp32_mul, cd_fp32_exp, cd_fp32_recip, cd_fp32_to_fp16).
namespace CoDesign.Rtl.Golden;

/// <summary>
/// exp and the reciprocal are built from binary32 adds and multiplies, each correctly rounded, so doing the
/// same operations in the same order with .NET floats (IEEE 754, no fused multiply-add, no flushing) gives
/// the RTL's bits; NaN results are canonicalised as the RTL does.
/// </summary>
public static class Fp32Units
{
    const uint Magic = 0x4B40_0000;       // 1.5 * 2^23
    static float F(uint b) => BitConverter.UInt32BitsToSingle(b);
    static uint B(float f) => float.IsNaN(f) ? Fp16Mac.QuietNaN : BitConverter.SingleToUInt32Bits(f);

    public static uint Mul(uint a, uint b) => B(F(a) * F(b));
    public static uint Add(uint a, uint b) => Fp16Mac.Add(a, b);
    public static uint Neg(uint a) => a ^ 0x8000_0000;

    public static uint Exp(uint x)
    {
        if ((x & 0x7F80_0000) == 0x7F80_0000 && (x & 0x007F_FFFF) != 0) return Fp16Mac.QuietNaN;
        if ((x & 0x8000_0000) == 0 && (x & 0x7FFF_FFFF) > 0x42B1_7217) return 0x7F80_0000;
        if ((x & 0x8000_0000) != 0 && (x & 0x7FFF_FFFF) > 0x42AE_AC4F) return 0;
        uint t = Mul(x, 0x3FB8_AA3B);
        uint tm = Add(t, Magic);
        uint nf = Add(tm, 0xCB40_0000);
        uint r = Add(Add(x, Mul(nf, 0xBF31_7200)), Mul(nf, 0xB5BF_BE8E));
        uint h = Mul(0x3AB6_0B61, r);
        h = Mul(Add(h, 0x3C08_8889), r);
        h = Mul(Add(h, 0x3D2A_AAAB), r);
        h = Mul(Add(h, 0x3E2A_AAAB), r);
        h = Mul(Add(h, 0x3F00_0000), r);
        h = Mul(Add(h, 0x3F80_0000), r);
        h = Add(h, 0x3F80_0000);
        int n = (int)tm - (int)Magic;
        int ex = (int)((h >> 23) & 0xff) + n;
        if (ex <= 0) return 0;
        if (ex >= 255) return 0x7F80_0000;
        return ((uint)ex << 23) | (h & 0x007F_FFFF);
    }

    public static uint Recip(uint d)
    {
        if (d == 0x7F80_0000) return 0;
        uint y = unchecked(0x7EF3_11C3 - d);
        for (int i = 0; i < 3; i++) y = Mul(y, Add(0x4000_0000, Neg(Mul(d, y))));
        return y;
    }

    /// <summary>binary32 → binary16 with round to nearest even (written out, as cd_fp32_to_fp16 does it).</summary>
    public static ushort ToHalf(uint a)
    {
        uint sign = (a >> 16) & 0x8000;
        int exp8 = (int)((a >> 23) & 0xff);
        if (exp8 == 0xff) return (a & 0x007F_FFFF) != 0 ? (ushort)0x7E00 : (ushort)(sign | 0x7C00);
        int e = exp8 - 112;
        if (e >= 31) return (ushort)(sign | 0x7C00);
        ulong sig = (exp8 != 0 ? 0x80_0000u : 0) | (a & 0x7F_FFFF);
        int rsh = e >= 1 ? 13 : (e < -12 ? 25 : 14 - e);
        if (rsh >= 25) return (ushort)sign;
        ulong shifted = sig >> rsh;
        bool guard = ((sig >> (rsh - 1)) & 1) != 0;
        bool sticky = (sig & ((1UL << (rsh - 1)) - 1)) != 0;
        uint packed = (uint)(((e >= 1 ? (uint)e : 0) << 10) | (uint)(shifted & 0x3FF));
        if (guard && (sticky || (shifted & 1) != 0)) packed++;
        return (ushort)(sign | packed);
    }
}
