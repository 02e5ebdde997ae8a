// SPDX-License-Identifier: Apache-2.0
// Bit-exact model of cd_softmax and cd_silu.
namespace CoDesign.Rtl.Golden;

public static class SoftmaxGolden
{
    /// <summary>Orders binary32 values as cd_softmax's comparator does (NaN above everything).</summary>
    static ulong Key(uint f) => (f & 0x7F80_0000) == 0x7F80_0000 && (f & 0x7F_FFFF) != 0 ? 0x1_FFFF_FFFFUL
        : (f & 0x8000_0000) != 0 ? ~f : (f | 0x8000_0000);

    /// <summary>[rows][len] binary32 scores → [rows][len] binary16 probabilities, with <paramref name="lanes"/>
    /// exp units: each cycle's exponentials are summed by a pairwise tree (+0 past the row's end), then
    /// added to the running sum.</summary>
    public static ushort[] Run(ReadOnlySpan<uint> scores, int rows, int len, int lanes)
    {
        var p = new ushort[rows * len];
        var e = new uint[len];
        var group = new uint[lanes];
        for (int r = 0; r < rows; r++)
        {
            var s = scores.Slice(r * len, len);
            uint max = 0xFF80_0000;
            foreach (var v in s) if (Key(v) > Key(max)) max = v;
            uint sum = 0;
            for (int i = 0; i < len; i++) e[i] = Fp32Units.Exp(Fp32Units.Add(s[i], Fp32Units.Neg(max)));
            for (int i = 0; i < len; i += lanes)
            {
                for (int l = 0; l < lanes; l++) group[l] = i + l < len ? e[i + l] : 0;
                sum = Fp32Units.Add(sum, Fp16Mac.TreeSum(group));
            }
            uint y = Fp32Units.Recip(sum);
            for (int i = 0; i < len; i++) p[r * len + i] = Fp32Units.ToHalf(Fp32Units.Mul(e[i], y));
        }
        return p;
    }

    /// <summary>SiLU(x) = x * recip(1 + exp(-x)), binary32 inside, binary16 out.</summary>
    public static ushort Silu(uint x) =>
        Fp32Units.ToHalf(Fp32Units.Mul(x, Fp32Units.Recip(Fp32Units.Add(0x3F80_0000, Fp32Units.Exp(Fp32Units.Neg(x))))));
}
