// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Sim;

namespace CoDesign.Rtl.Tests.Sim;

[Category("Verilator")]
public class FpUnitsRtlTests
{
    [OneTimeSetUp]
    public async Task Build()
    {
        VerilatorFixture.RequireVerilator();
        await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.FpUnits());
    }

    static uint F(float f) => BitConverter.SingleToUInt32Bits(f);

    static List<(uint, uint)> Vectors()
    {
        var rng = new Random(5);
        var v = new List<(uint, uint)>
        {
            (F(1f), F(1f)), (0x0000_0001, F(0.5f)), (0x0000_0001, 0x0000_0001), (0x007F_FFFF, F(1.0000001f)),
            (0x0080_0000, F(0.5f)), (F(float.MaxValue), F(2f)), (F(float.PositiveInfinity), 0), (0x7F80_0001, F(1f)),
            (F(-0f), F(-0f)), (F(-88f), 0), (F(-87.3f), 0), (F(88.7f), 0), (F(89f), 0), (F(0f), 0), (F(-1e-30f), 0),
            (F(65520f), 0), (F(65519.99f), 0), (F(6.1e-5f), 0), (F(5.96e-8f), 0), (F(2.98e-8f), 0), (F(2.99e-8f), 0),
        };
        for (int i = 0; i < 100_000; i++)
        {
            uint a = (uint)rng.NextInt64(0, 1L << 32), b = (uint)rng.NextInt64(0, 1L << 32);
            if (i % 3 == 0) a = F((float)(rng.NextDouble() * -100));       // softmax's domain of exp
            if (i % 3 == 1) a = F((float)(rng.NextDouble() * 1e4 + 1));      // reciprocal of a sum
            v.Add((a, b));
        }
        return v;
    }

    [Test]
    public async Task EveryUnit_MatchesItsGoldenModel_BitForBit()
    {
        var v = Vectors();
        var rtl = await FpUnitsSim.RunAsync(v);
        for (int i = 0; i < v.Count; i++)
        {
            var (a, b) = v[i];
            var g = new FpUnitsOut(Fp32Units.Mul(a, b), Fp32Units.Add(a, b), Fp32Units.Exp(a), Fp32Units.Recip(a), Fp32Units.ToHalf(a));
            if (rtl[i] != g) Assert.Fail($"a={a:X8} b={b:X8}: RTL {rtl[i]}, golden {g}");
        }
    }

    [Test]
    public void GoldenToHalf_AgreesWithDotNetConversion()
    {
        var rng = new Random(3);
        for (int i = 0; i < 200_000; i++)
        {
            uint a = (uint)rng.NextInt64(0, 1L << 32);
            float f = BitConverter.UInt32BitsToSingle(a);
            if (float.IsNaN(f)) continue;
            ushort expect = BitConverter.HalfToUInt16Bits((Half)f);
            if (Fp32Units.ToHalf(a) != expect) Assert.Fail($"{a:X8}: {Fp32Units.ToHalf(a):X4} vs .NET {expect:X4}");
        }
    }

    /// <summary>The stated accuracy of the exponent: within 3 ulp of exp over the softmax domain and beyond.</summary>
    [Test]
    public void Exp_IsWithinThreeUlp()
    {
        double worst = 0;
        for (double x = -87; x <= 88; x += 0.000731)
        {
            float got = BitConverter.UInt32BitsToSingle(Fp32Units.Exp(F((float)x)));
            double exact = Math.Exp((float)x);
            double ulp = Math.Pow(2, Math.Floor(Math.Log2(exact)) - 23);
            worst = Math.Max(worst, Math.Abs(got - exact) / ulp);
        }
        TestContext.Out.WriteLine($"exp worst error: {worst:F3} ulp");
        Assert.That(worst, Is.LessThanOrEqualTo(3));
    }

    [Test]
    public void Recip_IsWithinTwoUlp()
    {
        double worst = 0;
        for (double d = 1; d < 1e5; d *= 1.000917)
        {
            float got = BitConverter.UInt32BitsToSingle(Fp32Units.Recip(F((float)d)));
            double exact = 1 / (double)(float)d;
            double ulp = Math.Pow(2, Math.Floor(Math.Log2(exact)) - 23);
            worst = Math.Max(worst, Math.Abs(got - exact) / ulp);
        }
        TestContext.Out.WriteLine($"reciprocal worst error: {worst:F3} ulp");
        Assert.That(worst, Is.LessThanOrEqualTo(2));
    }
}
