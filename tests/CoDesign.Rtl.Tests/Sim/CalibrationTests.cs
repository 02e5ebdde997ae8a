// SPDX-License-Identifier: Apache-2.0
using CoDesign.Machine;
using CoDesign.Rtl.Calibration;
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
}
