// SPDX-License-Identifier: Apache-2.0
using CoDesign.Machine;
using CoDesign.Rtl.Calibration;
using CoDesign.Rtl.Runs;
using CoDesign.Rtl.Sim;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Tests.Sim;

public class CalibrationTests
{
    [Test]
    public void OneModule_IsOne160thOfTheDevice_AndMatchesThePublishedModulePeak()
    {
        var pim = new ProcessorCost(HardwarePresets.Duplex().Processors.Single(p => p.Kind == ProcessorKind.LogicPim));
        var gemv = new CalibrationShape("gemv", 1, 4096, 512, false);
        double seconds = pim.Seconds(PimCalibration.Counts(gemv, 160), DataType.Fp16);
        double rtlIdealCycles = 4096.0 * 512 * 2 / PimConfig.Published().PeakBytesPerCycle;
        // 160 x 128 B x 650 MHz = 13.31 TB/s vs the preset's 4 x 3.352 TB/s: 0.7 % apart.
        Assert.That(seconds * PimConfig.ClockHz, Is.EqualTo(rtlIdealCycles).Within(1).Percent);
    }

    [Test]
    public void DefaultSweep_CoversGemvGemmAndAttention()
    {
        var s = PimCalibration.Sweep(full: false);
        Assert.Multiple(() =>
        {
            Assert.That(s.Select(x => x.M).Distinct(), Is.SupersetOf(new[] { 1, 8, 64 }));
            Assert.That(s.Count(x => x.StreamsKv), Is.GreaterThan(0));
            Assert.That(PimCalibration.Sweep(full: true).Count, Is.GreaterThan(s.Count));
        });
    }
    // Shapes outside the calibration sweep (K 2048, N 384; context 640): the duplex-rtl preset's efficiency,
    // fitted once on the full sweep, must predict the published module's cycles within the 5 %.
    [TestCase(1, 2048, 384, false)]
    [TestCase(8, 2048, 384, false)]
    [TestCase(4, 128, 640, true)]
    public async Task DuplexRtlPreset_PredictsThePublishedModule_WithinFivePercent(int m, int k, int n, bool kv)
    {
        static ProcessorCost Pim(Hardware hw) => new(hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim));
        var shape = new CalibrationShape("check", m, k, n, kv);
        var r = await GemmRunner.RunAsync(PimConfig.Published(), GemmWorkload.Random(m, k, n, 3), new PimRunOptions());
        double calibrated = Pim(HardwarePresets.DuplexRtl()).Seconds(PimCalibration.Counts(shape, 160), DataType.Fp16);
        double ideal = Pim(HardwarePresets.Duplex()).Seconds(PimCalibration.Counts(shape, 160), DataType.Fp16);
        Assert.Multiple(() =>
        {
            Assert.That(r.BitExactVsGolden, Is.True);
            Assert.That(calibrated / r.Seconds - 1, Is.InRange(-0.05, 0.05), "duplex-rtl");
            Assert.That(ideal / r.Seconds - 1, Is.LessThan(-0.2), "the ideal preset is the one that is off");
        });
    }
}
