// SPDX-License-Identifier: Apache-2.0
// Bit-exact model of the GEMM module's dot-product tree (cd_gemm's dot function): one beat of Lanes products.
using System.Numerics;

namespace CoDesign.Rtl.Golden;

/// <summary>
/// Sum of the exact binary16 products of one beat, rounded once to binary32 (round to nearest even). Each
/// product sig · 2^(x − 50) (sig the 22-bit significand product, x the sum of the operands' effective exponents,
/// subnormals counting as 1) is truncated toward zero to a multiple of 2^(emax − 50 − F), emax the largest x
/// among the nonzero products and F = <see cref="FractionBits"/>; the truncated values add exactly.
/// Written from that definition with doubles and long integers, not from the RTL's bit manipulations.
/// </summary>
public static class Fp16Dot
{
    /// <summary>Window bits below the largest product's significand: 64-bit integers hold Lanes products of
    /// 22 + F bits with a sign bit and log2(Lanes) bits of growth, so F = 63 − 22 − log2(Lanes).</summary>
    public static int FractionBits(int lanes) => 41 - BitOperations.Log2((uint)lanes);

    public static uint Sum(ReadOnlySpan<ushort> w, ReadOnlySpan<ushort> x)
    {
        if (w.Length != x.Length || w.Length < 1 || (w.Length & (w.Length - 1)) != 0)
            throw new ArgumentException("a beat is a power-of-two number of weight and input pairs");
        int lanes = w.Length;
        // Infinite and NaN products follow IEEE 754 addition: NaN wins, +inf and -inf give NaN.
        bool nan = false, pinf = false, ninf = false, special = false;
        for (int l = 0; l < lanes; l++)
        {
            if (!IsSpecial(w[l]) && !IsSpecial(x[l])) continue;
            special = true;
            double p = (double)BitConverter.UInt16BitsToHalf(w[l]) * (double)BitConverter.UInt16BitsToHalf(x[l]);
            if (double.IsNaN(p)) nan = true;
            else if (p > 0) pinf = true;
            else ninf = true;
        }
        if (special) return nan || (pinf && ninf) ? Fp16Mac.QuietNaN : (ninf ? 0xFF80_0000u : 0x7F80_0000u);

        int emax = 0;
        bool allNegativeZero = true;
        for (int l = 0; l < lanes; l++)
        {
            bool zero = (w[l] & 0x7FFF) == 0 || (x[l] & 0x7FFF) == 0;
            if (!zero) emax = Math.Max(emax, EffectiveExponent(w[l]) + EffectiveExponent(x[l]));
            allNegativeZero &= zero && ((w[l] ^ x[l]) & 0x8000) != 0;
        }
        int scale = emax - 50 - FractionBits(lanes);   // value of one unit of the window is 2^scale
        long total = 0;
        for (int l = 0; l < lanes; l++)
        {
            // Exact: a 22-bit significand times a power of two; the quotient by 2^scale is below 2^(22 + F).
            double p = (double)BitConverter.UInt16BitsToHalf(w[l]) * (double)BitConverter.UInt16BitsToHalf(x[l]);
            total += (long)Math.Truncate(Math.ScaleB(p, -scale));
        }
        if (total == 0) return allNegativeZero ? 0x8000_0000u : 0u;
        return RoundToBinary32(total, scale);
    }

    /// <summary>total · 2^scale rounded to nearest even; the callers' range keeps it normal and finite.</summary>
    static uint RoundToBinary32(long total, int scale)
    {
        ulong mag = (ulong)Math.Abs(total);
        int lead = 63 - BitOperations.LeadingZeroCount(mag);
        int drop = Math.Max(0, lead - 23);
        ulong q = mag >> drop;
        if (drop > 0)
        {
            ulong rem = mag & ((1UL << drop) - 1), half = 1UL << (drop - 1);
            if (rem > half || (rem == half && (q & 1) == 1)) q++;
        }
        float f = MathF.ScaleB(q, drop + scale);   // q <= 2^24: exact in binary32, and so is the scaling
        return BitConverter.SingleToUInt32Bits(total < 0 ? -f : f);
    }

    static bool IsSpecial(ushort h) => (h & 0x7C00) == 0x7C00;

    static int EffectiveExponent(ushort h) => Math.Max(1, (h >> 10) & 0x1F);
}
