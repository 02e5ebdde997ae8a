using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Tests;

public class HardwareTweaksTests
{
    static SweepPoint Point(params (string, object)[] ps) =>
        new(0, "x", "g", new Dictionary<string, string>(), ps.ToDictionary(p => p.Item1, p => p.Item2), null);

    static Processor Pim(Hardware hw) => hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);

    [Test]
    public void Pim_parameters_keep_the_hardware_consistent()
    {
        var hw = HardwareTweaks.Apply(HardwarePresets.Duplex(), Point(("logic_pim_bandwidth_multiple", 8.0), ("logic_pim_op_b", 16.0)));
        double hbm = hw.Processors[0].MemoryBandwidthBytesPerS;
        Assert.That(Pim(hw).MemoryBandwidthBytesPerS, Is.EqualTo(8 * hbm).Within(1e-9).Percent);
        Assert.That(Pim(hw).Peak[0].FlopsPerS, Is.EqualTo(16 * 8 * hbm).Within(1e-9).Percent);
        HardwareValidator.Validate(hw, "tweaked");
    }

    [Test]
    public void Hbm_bandwidth_scales_every_path_and_capacity_drops_the_geometry()
    {
        var original = HardwarePresets.Duplex();
        var hw = HardwareTweaks.Apply(original, Point(("hbm_bandwidth_bytes_per_s", 2 * original.Processors[0].MemoryBandwidthBytesPerS), ("hbm_capacity_bytes", 40e9)));
        Assert.That(Pim(hw).MemoryBandwidthBytesPerS / hw.Processors[0].MemoryBandwidthBytesPerS,
            Is.EqualTo(Pim(original).MemoryBandwidthBytesPerS / original.Processors[0].MemoryBandwidthBytesPerS).Within(1e-9).Percent, "PIM keeps its multiple");
        Assert.That(hw.Processors[0].MemoryBandwidthBytesPerS, Is.EqualTo(2 * original.Processors[0].MemoryBandwidthBytesPerS).Within(1e-9).Percent);
        Assert.That(hw.Memory.CapacityBytes, Is.EqualTo(40_000_000_000UL));
        Assert.That(hw.Memory.Stacks, Is.Zero);
        HardwareValidator.Validate(hw, "tweaked");
        Assert.That(original.Memory.Stacks, Is.EqualTo(5u), "the preset itself is untouched");
    }

    [Test]
    public void Clock_xpu_flops_and_energy_per_bit()
    {
        var original = HardwarePresets.Duplex();
        var hw = HardwareTweaks.Apply(original, Point(("logic_pim_clock_hz", 1.3e9), ("xpu_flops_per_s", 2e15), ("energy_j_per_bit", 1.74e-12)));
        Assert.That(Pim(hw).Peak[0].FlopsPerS, Is.EqualTo(2 * Pim(original).Peak[0].FlopsPerS).Within(1e-9).Percent, "twice the clock, twice the MAC rate");
        Assert.That(hw.Processors[0].Peak.Single(p => p.DataType == DataType.Fp16).FlopsPerS, Is.EqualTo(2e15));
        Assert.That(Pim(hw).DramEnergyJPerBit, Is.EqualTo(Pim(original).DramEnergyJPerBit / 2).Within(1e-9).Percent, "PIM path keeps its ratio to the xPU path");
        Assert.That(HardwareTweaks.Apply(HardwarePresets.H100(), Point(("logic_pim_op_b", 16.0))).Equals(HardwarePresets.H100()), Is.True,
            "PIM parameters leave a GPU alone");
    }

    [Test]
    public void Ideal_efficiency_switches_the_timing_model_off_and_on()
    {
        var ideal = HardwareTweaks.Apply(HardwarePresets.Duplex(), Point(("ideal_efficiency", 1L)));
        var derived = HardwareTweaks.Apply(HardwarePresets.Get("duplex-ideal"), Point(("ideal_efficiency", 0L)));
        Assert.Multiple(() =>
        {
            Assert.That(ideal.IdealEfficiency, Is.True);
            Assert.That(derived.IdealEfficiency, Is.False);
            Assert.That(new CoDesign.Machine.ProcessorCost(Pim(ideal), ideal.Memory, ideal.IdealEfficiency).BytesPerSecond,
                Is.GreaterThan(new CoDesign.Machine.ProcessorCost(Pim(derived), derived.Memory, derived.IdealEfficiency).BytesPerSecond));
        });
    }
}
