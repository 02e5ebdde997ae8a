// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Golden;

namespace CoDesign.Rtl.Tests.Golden;

public class Fp16MacTests
{
    static ushort H(double v) => BitConverter.HalfToUInt16Bits((Half)v);
    static uint F(float v) => BitConverter.SingleToUInt32Bits(v);

    [Test]
    public void Product_OfSmallestSubnormals_IsExact()
    {
        // 2^-24 * 2^-24 = 2^-48: far below binary16, still a normal binary32.
        Assert.That(Fp16Mac.Mul(0x0001, 0x0001), Is.EqualTo(F(MathF.Pow(2, -48))));
    }

    [Test]
    public void Product_OfLargest_IsExact()
    {
        Assert.That(Fp16Mac.Mul(H(65504), H(65504)), Is.EqualTo(F(65504f * 65504f)));
        Assert.That((double)BitConverter.UInt32BitsToSingle(Fp16Mac.Mul(H(65504), H(65504))), Is.EqualTo(65504.0 * 65504.0));
    }

    [Test]
    public void Sum_TiesToEven()
    {
        uint one = F(1f);
        uint halfUlp = F(MathF.Pow(2, -24));
        Assert.Multiple(() =>
        {
            Assert.That(Fp16Mac.Add(one, halfUlp), Is.EqualTo(one), "1 + ulp/2 ties to the even 1");
            uint oneUp = F(1f + MathF.Pow(2, -23));
            Assert.That(Fp16Mac.Add(oneUp, halfUlp), Is.EqualTo(F(1f + MathF.Pow(2, -22))), "odd + ulp/2 rounds up to even");
        });
    }

    [Test]
    public void Sum_Overflow_GivesInfinity() =>
        Assert.That(Fp16Mac.Add(F(float.MaxValue), F(float.MaxValue)), Is.EqualTo(F(float.PositiveInfinity)));

    [Test]
    public void Nan_IsCanonical()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Fp16Mac.Mul(H(double.PositiveInfinity), 0), Is.EqualTo(Fp16Mac.QuietNaN));
            Assert.That(Fp16Mac.Add(F(float.PositiveInfinity), F(float.NegativeInfinity)), Is.EqualTo(Fp16Mac.QuietNaN));
            Assert.That(Fp16Mac.Add(0xFFC0_1234, F(1f)), Is.EqualTo(Fp16Mac.QuietNaN));
        });
    }

    [Test]
    public void ZeroSigns_FollowRoundToNearest()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Fp16Mac.Add(0x8000_0000, 0x8000_0000), Is.EqualTo(0x8000_0000u));
            Assert.That(Fp16Mac.Add(0x8000_0000, 0), Is.EqualTo(0u));
            Assert.That(Fp16Mac.Add(F(1.5f), F(-1.5f)), Is.EqualTo(0u));
        });
    }

    [Test]
    public void GoldenGemm_StaysWithinItsErrorBound()
    {
        var wl = Runs.GemmWorkload.Random(3, 512, 16, seed: 7);
        var y = GemmGolden.Run(wl.W, wl.X, wl.M, wl.K, wl.N, lanes: 8);
        var (exact, bound) = Runs.GemmRunner.Reference(wl, 8);
        var stats = Runs.AccuracyStats.Compare(y, y, exact, bound);
        Assert.Multiple(() =>
        {
            Assert.That(stats.WithinBound, Is.True, $"worst error uses {stats.MaxErrorOverBound:P1} of the bound");
            Assert.That(stats.MaxAbsError, Is.GreaterThan(0), "float32 accumulation must differ from float64 somewhere");
        });
    }
}
