// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Golden;

namespace CoDesign.Rtl.Tests.Golden;

/// <summary>The dot-product tree's model against IEEE 754 semantics computed another way.</summary>
public class Fp16DotTests
{
    static ushort H(double v) => BitConverter.HalfToUInt16Bits((Half)v);
    static float S(uint bits) => BitConverter.UInt32BitsToSingle(bits);
    static double P(ushort a, ushort b) => (double)BitConverter.UInt16BitsToHalf(a) * (double)BitConverter.UInt16BitsToHalf(b);

    [TestCase(4)]
    [TestCase(8)]
    [TestCase(64)]
    public void NarrowRange_IsTheCorrectlyRoundedSum(int lanes)
    {
        // Operands within 2^-4..2^4: every product lies inside the window, so the tree must return the exact
        // sum rounded once. The exact sum fits a double (spread below 53 bits), so (float)double rounds once.
        var rng = new Random(11 + lanes);
        var w = new ushort[lanes];
        var x = new ushort[lanes];
        for (int trial = 0; trial < 20_000; trial++)
        {
            double exact = 0;
            for (int l = 0; l < lanes; l++)
            {
                w[l] = H((rng.Next(2) == 0 ? -1 : 1) * Math.ScaleB(1 + rng.NextDouble(), rng.Next(-4, 4)));
                x[l] = H((rng.Next(2) == 0 ? -1 : 1) * Math.ScaleB(1 + rng.NextDouble(), rng.Next(-4, 4)));
                exact += P(w[l], x[l]);
            }
            uint got = Fp16Dot.Sum(w, x);
            Assert.That(got, Is.EqualTo(BitConverter.SingleToUInt32Bits((float)exact)), $"trial {trial}");
        }
    }

    [Test]
    public void ProductsBelowTheWindow_AreTruncatedTowardZero()
    {
        // 8 lanes: F = 38. 256 * 256 = 2^16 has exponent sum 46, so one unit of the window is 2^(46-50-38) = 2^-42.
        ushort big = H(256), sub65 = 0x0041, twoM20 = 0x0010;   // 65 * 2^-24 and 16 * 2^-24 = 2^-20 (subnormals)
        ushort[] w = [big, big, sub65, 0, 0, 0, 0, 0];
        ushort[] x = [big, H(-256), twoM20, 0, 0, 0, 0, 0];
        Assert.Multiple(() =>
        {
            // 2^16 - 2^16 + 65 * 2^-44 = 16.25 units: the quarter unit is cut, the rest is exact.
            Assert.That(S(Fp16Dot.Sum(w, x)), Is.EqualTo(MathF.ScaleB(1, -38)));
            x[2] = (ushort)(twoM20 | 0x8000);
            Assert.That(S(Fp16Dot.Sum(w, x)), Is.EqualTo(-MathF.ScaleB(1, -38)), "toward zero, not toward -inf");
            // 2^-48 is 1/64 of a unit: nothing is left, and the cancellation gives +0.
            w[2] = 0x0001; x[2] = 0x0001;
            Assert.That(Fp16Dot.Sum(w, x), Is.EqualTo(0u));
            // Without the large products the window moves down and 2^-48 is exact.
            w[0] = w[1] = 0;
            Assert.That(S(Fp16Dot.Sum(w, x)), Is.EqualTo(MathF.ScaleB(1, -48)));
        });
    }

    [Test]
    public void ErrorStaysWithinTheDerivedBound_OnWideRanges()
    {
        // Any finite operands: |tree - exact| <= u|exact| + eta * sum|p|, eta = Lanes * 2^-F (GemmGolden).
        var rng = new Random(3);
        var w = new ushort[8];
        var x = new ushort[8];
        double eta = 8 * Math.ScaleB(1, -Fp16Dot.FractionBits(8));
        for (int trial = 0; trial < 50_000; trial++)
        {
            decimal exactDec = 0;
            double abs = 0;
            for (int l = 0; l < 8; l++)
            {
                do w[l] = (ushort)rng.Next(0x10000); while ((w[l] & 0x7C00) == 0x7C00);
                do x[l] = (ushort)rng.Next(0x10000); while ((x[l] & 0x7C00) == 0x7C00);
                abs += Math.Abs(P(w[l], x[l]));
                exactDec += (decimal)P(w[l], x[l]);
            }
            double exact = (double)exactDec;
            double got = S(Fp16Dot.Sum(w, x));
            Assert.That(Math.Abs(got - exact), Is.LessThanOrEqualTo(Math.ScaleB(1, -24) * Math.Abs(exact) + eta * abs + 1e-300),
                $"trial {trial}");
        }
    }

    [Test]
    public void SpecialProducts_FollowIeeeAddition()
    {
        var w = new ushort[4];
        var x = new ushort[4];
        void Set(int l, double a, double b) { w[l] = H(a); x[l] = H(b); }
        Set(0, 1, 1); Set(1, double.PositiveInfinity, 2);
        Assert.That(Fp16Dot.Sum(w, x), Is.EqualTo(0x7F80_0000u), "+inf");
        Set(2, double.NegativeInfinity, 1);
        Assert.That(Fp16Dot.Sum(w, x), Is.EqualTo(Fp16Mac.QuietNaN), "+inf + -inf");
        Set(2, 0, 1); Set(1, double.PositiveInfinity, 0);
        Assert.That(Fp16Dot.Sum(w, x), Is.EqualTo(Fp16Mac.QuietNaN), "inf * 0");
        Set(1, -1, double.PositiveInfinity);
        Assert.That(Fp16Dot.Sum(w, x), Is.EqualTo(0xFF80_0000u), "-inf");
        w[3] = 0x7E01; x[3] = H(1);
        Assert.That(Fp16Dot.Sum(w, x), Is.EqualTo(Fp16Mac.QuietNaN), "NaN payloads are not kept");
    }

    [Test]
    public void ExactZero_IsPositive_UnlessEveryProductIsNegativeZero()
    {
        ushort[] nz = [H(-0.0), H(-0.0), H(0), H(-0.0)];
        ushort[] one = [H(1), H(1), H(-0.0), H(1)];
        Assert.Multiple(() =>
        {
            Assert.That(Fp16Dot.Sum(nz, one), Is.EqualTo(0x8000_0000u), "-0*1 + -0*1 + 0*-0 + -0*1 = -0");
            Assert.That(Fp16Dot.Sum([H(1), H(-1), 0, 0], [H(1), H(1), 0, 0]), Is.EqualTo(0u), "1 - 1 = +0");
            Assert.That(Fp16Dot.Sum([H(-0.0), 0, 0, 0], [H(1), 0, 0, 0]), Is.EqualTo(0u), "-0 + 0 = +0");
        });
    }
    [Test]
    public void OneProduct_IsTheMacLanesProduct()
    {
        // A beat whose other lanes are +0 * +0 returns its one product exactly (binary16 products fit binary32),
        // so the GEMM lanes multiply as the MAC lane (cd_mac_lane) does; zero products differ only in the sign
        // of the sum, which +0 lanes decide.
        var rng = new Random(5);
        var w = new ushort[8];
        var x = new ushort[8];
        for (int trial = 0; trial < 200_000; trial++)
        {
            w[3] = (ushort)rng.Next(0x10000);
            x[3] = (ushort)rng.Next(0x10000);
            uint mac = Fp16Mac.Mul(w[3], x[3]);
            if ((mac & 0x7FFF_FFFF) == 0) continue;
            Assert.That(Fp16Dot.Sum(w, x), Is.EqualTo(mac), $"0x{w[3]:X4} * 0x{x[3]:X4}");
        }
    }
}
