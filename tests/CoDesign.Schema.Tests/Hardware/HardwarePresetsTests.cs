using CoDesign.Machine;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Schema.Tests.Hardware;

public class HardwarePresetsTests
{
    static IEnumerable<string> Names => HardwarePresets.Names;

    [TestCaseSource(nameof(Names))]
    public void Preset_Validates(string name)
    {
        var hw = HardwarePresets.Get(name);
        Assert.DoesNotThrow(() => HardwareValidator.Validate(hw, name));
    }

    [TestCaseSource(nameof(Names))]
    public void Preset_JsonRoundTripIsEqual(string name)
    {
        var hw = HardwarePresets.Get(name);
        var back = HardwareFile.Parse(HardwareFile.ToJson(hw), name + ".json");
        Assert.That(back, Is.EqualTo(hw));
    }

    static IEnumerable<string> H100Class => Names.Where(n => n != "h200");

    [TestCaseSource(nameof(H100Class))]
    public void Preset_HasEightyGigabytesOfHbm3AsFiveStacks(string name)
    {
        var hw = HardwarePresets.Get(name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hw.Memory.CapacityBytes, Is.EqualTo(80UL << 30));
            Assert.That(hw.Memory.Stacks, Is.EqualTo(5));
            Assert.That(hw.Processors.Single(p => p.Kind is ProcessorKind.Gpu or ProcessorKind.Xpu).MemoryBandwidthBytesPerS, Is.EqualTo(3.352e12));
        }
    }

    // The PIM beats the xPU below Op/B = PIM bandwidth multiple x PIM peak Op/B (docs/reference/duplex-spec.md §3).
    [TestCase("duplex", 4 * 8.0)]
    [TestCase("bankgroup-pim", 4 * 8.0)]
    [TestCase("bank-pim", 16 * 1.0)]
    [TestCase("h100", 0.0)]
    public void Preset_CrossoverIsBandwidthMultipleTimesPimOpPerByte(string name, double crossover)
    {
        // The rule as published: peaks only (the "-ideal" variant, no DRAM timing model).
        var device = new DeviceModel(HardwarePresets.Get(name + HardwarePresets.IdealSuffix));
        Assert.That(device.CrossoverOpPerByte(DataType.Fp16), Is.EqualTo(crossover).Within(1e-9).Percent);
    }

    [Test]
    public void Duplex_LogicPimHasFourTimesTheBandwidthAndPeakOpPerByteEight()
    {
        var hw = HardwarePresets.Duplex();
        var xpu = hw.Processors.Single(p => p.Kind == ProcessorKind.Xpu);
        var pim = hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        double pimFp16 = pim.Peak.Single(p => p.DataType == DataType.Fp16).FlopsPerS;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pim.MemoryBandwidthBytesPerS, Is.EqualTo(4 * xpu.MemoryBandwidthBytesPerS).Within(1e-9).Percent);
            Assert.That(pimFp16 / pim.MemoryBandwidthBytesPerS, Is.EqualTo(8).Within(1e-9).Percent);
            // 32 GEMM modules x 512 MACs x 2 FLOP x 650 MHz x 5 stacks = 106.5 TFLOPS; the preset derives 107.3.
            Assert.That(pimFp16, Is.EqualTo(32 * 512 * 2 * 650e6 * 5).Within(1).Percent);
            Assert.That(xpu.Peak.Single(p => p.DataType == DataType.Fp16).FlopsPerS, Is.EqualTo(989.4e12));
        }
    }

    [Test]
    public void EveryPresetConstant_HasItsSourceNextToIt()
    {
        using (Assert.EnterMultipleScope())
            foreach (var name in Names)
            {
                var hw = HardwarePresets.Get(name);
                foreach (var p in hw.Processors) Assert.That(p.Source, Does.Match(@"\[(T|C|D|I)\]"), $"{name}/{p.Name}");
                Assert.That(hw.Memory.Source, Does.Match(@"\[(T|C|D)\]"), name);
                Assert.That(hw.Interconnect.Source, Does.Match(@"\[(T|C)\]"), name);
            }
    }

    [Test]
    public void UnknownPreset_IsAnInputErrorListingThePresets()
    {
        var e = Assert.Throws<InputException>(() => HardwarePresets.Get("tpu-v9"));
        Assert.That(e.Message, Does.Contain("tpu-v9").And.Contain("duplex").And.Contain("h100"));
    }
}
