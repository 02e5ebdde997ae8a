// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Runs;
using CoDesign.Rtl.Sim;

namespace CoDesign.Rtl.Tests.Sim;

[Category("Verilator")]
public class SoftmaxRtlTests
{
    [OneTimeSetUp]
    public async Task Build()
    {
        VerilatorFixture.RequireVerilator();
        await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(VerilatorFixture.Ci(), trace: false, actUnits: true));
    }

    [TestCase(1, 1, 1)]
    [TestCase(2, 100, 2)]
    [TestCase(3, 1024, 3)]
    public async Task RandomSoftmax_IsBitExact_AndWithinBound(int rows, int len, int seed)
    {
        var r = await SoftmaxRunner.RunAsync(VerilatorFixture.Ci(), rows, len, seed, new PimRunOptions());
        Assert.Multiple(() =>
        {
            Assert.That(r.Mismatches, Is.Zero);
            Assert.That(r.WithinErrorBound, Is.True, $"uses {r.ErrorBoundUse:P0} of the bound");
            long perPass = (len + 3) / 4;   // the CI unit has 4 exp lanes
            Assert.That(r.Cycles, Is.InRange(3L * rows * perPass, 3L * rows * perPass + 20L * rows), "three passes of 4 elements a cycle");
        });
    }

    [Test]
    public async Task Attention_ScoreSoftmaxContext_IsBitExact()
    {
        var r = await AttentionRunner.RunAsync(VerilatorFixture.Ci(), context: 128, group: 3, seed: 4, new PimRunOptions());
        Assert.Multiple(() =>
        {
            Assert.That(r.Mismatches, Is.Zero);
            Assert.That(r.WithinErrorBound, Is.True, $"uses {r.ErrorBoundUse:P0} of the bound");
        });
    }

    [Test]
    public async Task Silu_IsBitExact_IncludingSpecialValues()
    {
        var rng = new Random(8);
        var x = Enumerable.Range(0, 300).Select(_ => BitConverter.SingleToUInt32Bits((float)(rng.NextDouble() * 40 - 20)))
            .Concat([0x7F80_0000u, 0xFF80_0000u, 0x7FC0_0000u, 0u, 0x8000_0000u, BitConverter.SingleToUInt32Bits(-100f), BitConverter.SingleToUInt32Bits(100f)])
            .ToArray();
        var (rtl, golden, _) = await SiluRunner.RunAsync(VerilatorFixture.Ci(), x);
        Assert.That(rtl, Is.EqualTo(golden));
        // And the golden model is SiLU: within binary16 rounding plus a few binary32 ulps.
        for (int i = 0; i < 300; i++)
        {
            double v = BitConverter.UInt32BitsToSingle(x[i]), exact = v / (1 + Math.Exp(-v));
            Assert.That((double)BitConverter.UInt16BitsToHalf(golden[i]), Is.EqualTo(exact).Within(Math.Abs(exact) * 1.1e-3 + 6e-8));
        }
    }
}
