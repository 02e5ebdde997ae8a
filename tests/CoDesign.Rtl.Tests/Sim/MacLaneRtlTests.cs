// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Sim;

namespace CoDesign.Rtl.Tests.Sim;

[Category("Verilator")]
public class MacLaneRtlTests
{
    [OneTimeSetUp]
    public async Task Build()
    {
        VerilatorFixture.RequireVerilator();
        await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.MacLane());
    }

    static uint F(float v) => BitConverter.SingleToUInt32Bits(v);
    static ushort H(double v) => BitConverter.HalfToUInt16Bits((Half)v);

    static async Task AssertMatchesGolden(IReadOnlyList<MacVector> v)
    {
        var rtl = await MacLaneSim.RunAsync(v);
        for (int i = 0; i < v.Count; i++)
        {
            uint p = Fp16Mac.Mul(v[i].A, v[i].B), s = Fp16Mac.Add(v[i].Acc, p);
            if (rtl[i].Product != p || rtl[i].Sum != s)
                Assert.Fail($"a={v[i].A:X4} b={v[i].B:X4} acc={v[i].Acc:X8}: RTL product {rtl[i].Product:X8} sum {rtl[i].Sum:X8}, golden {p:X8} {s:X8}");
        }
    }

    static IEnumerable<TestCaseData> Corners()
    {
        yield return new TestCaseData(new MacVector(0x0001, 0x3C00, 0)).SetName("SubnormalInput_TimesOne");
        yield return new TestCaseData(new MacVector(0x0001, 0x0001, 0)).SetName("SubnormalTimesSubnormal");
        yield return new TestCaseData(new MacVector(0x03FF, 0x03FF, 0x0000_0001)).SetName("SubnormalAccumulator");
        yield return new TestCaseData(new MacVector(0x3C00, 0x0000, 0x807F_FFFF)).SetName("NegativeSubnormalAccPlusZero");
        yield return new TestCaseData(new MacVector(0x3C00, 0x0001, 0x0080_0000)).SetName("SmallestNormalAcc");
        yield return new TestCaseData(new MacVector(H(65504), H(65504), F(float.MaxValue))).SetName("Overflow_ToInfinity");
        yield return new TestCaseData(new MacVector(H(-65504), H(65504), F(-float.MaxValue))).SetName("NegativeOverflow_ToMinusInfinity");
        yield return new TestCaseData(new MacVector(0x7C00, 0x0000, 0)).SetName("InfinityTimesZero_IsNaN");
        yield return new TestCaseData(new MacVector(0x7C00, 0x3C00, F(float.NegativeInfinity))).SetName("InfMinusInf_IsNaN");
        yield return new TestCaseData(new MacVector(0x7E01, 0x3C00, F(1f))).SetName("NaNInput_IsCanonicalNaN");
        yield return new TestCaseData(new MacVector(0x3C00, 0x3C00, 0x7F80_0001)).SetName("SignallingNaNAcc_IsCanonicalNaN");
        yield return new TestCaseData(new MacVector(0x1800, 0x3C00, F(1f))).SetName("ExactSum_NeedsNoRounding");   // 1 + 2^-9
        yield return new TestCaseData(new MacVector(0x0001, 0x3C00, F(1f))).SetName("TinyAddend_IsAbsorbed");
        yield return new TestCaseData(new MacVector(0x3C00, 0x3C00, F(-1f))).SetName("ExactCancellation_IsPlusZero");
        yield return new TestCaseData(new MacVector(0x8000, 0x3C00, 0x8000_0000)).SetName("MinusZeroPlusMinusZero_IsMinusZero");
        // 2^24 + 1 is a tie between 2^24 and 2^24 + 2: even wins (2^24); 2^24 + 2 + 1 rounds up to 2^24 + 4.
        yield return new TestCaseData(new MacVector(0x3C00, 0x3C00, F(16777216f))).SetName("TieToEven_RoundsDown");
        yield return new TestCaseData(new MacVector(0x3C00, 0x3C00, F(16777218f))).SetName("TieToEven_RoundsUp");
    }

    [TestCaseSource(nameof(Corners))]
    public async Task CornerCase_MatchesGolden(MacVector v) => await AssertMatchesGolden([v]);

    [Test]
    public async Task TiesToEven_ProducesTheEvenNeighbour()
    {
        var rtl = await MacLaneSim.RunAsync([new MacVector(0x3C00, 0x3C00, F(16777216f)), new MacVector(0x3C00, 0x3C00, F(16777218f))]);
        Assert.That(rtl.Select(r => BitConverter.UInt32BitsToSingle(r.Sum)), Is.EqualTo(new[] { 16777216f, 16777220f }));
    }

    [Test]
    public async Task RandomBitPatterns_MatchGolden()
    {
        // Raw bit patterns hit every class: subnormals, infinities, NaNs, both zeros, cancellation.
        var rng = new Random(11);
        var v = new List<MacVector>();
        for (int i = 0; i < 200_000; i++)
        {
            uint acc = (uint)rng.NextInt64(0, 1L << 32);
            ushort a = (ushort)rng.Next(0, 1 << 16), b = (ushort)rng.Next(0, 1 << 16);
            if (i % 4 == 1)
            {
                // Near-cancellation: acc close to -(a*b), which exercises the left-normalising path.
                uint p = Fp16Mac.Mul(a, b);
                acc = (p ^ 0x8000_0000) + (uint)rng.Next(-3, 4);
            }
            v.Add(new MacVector(a, b, acc));
        }
        await AssertMatchesGolden(v);
    }
}
