using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Schema.Tests.Hardware;

/// <summary>Each impossible device is rejected with a message naming the field.</summary>
public class HardwareValidatorTests
{
    static string Fails(Action<Schema.V1.Hardware> spoil)
    {
        var hw = HardwarePresets.Duplex();
        spoil(hw);
        var e = Assert.Throws<InputException>(() => HardwareValidator.Validate(hw, "spoilt.json"));
        Assert.That(e.Message, Does.StartWith("hardware spoilt.json:"));
        return e.Message;
    }

    static Processor Pim(Schema.V1.Hardware hw) => hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);

    [TestCase(0.0)]
    [TestCase(-1e12)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void NonPositiveProcessorBandwidth_IsRejected(double bandwidth)
    {
        var msg = Fails(hw => Pim(hw).MemoryBandwidthBytesPerS = bandwidth);
        Assert.That(msg, Does.Contain("logic_pim").And.Contain("memoryBandwidthBytesPerS"));
    }

    [TestCase(0.0)]
    [TestCase(-5.0)]
    public void NonPositivePeakFlops_IsRejected(double flops)
    {
        var msg = Fails(hw => hw.Processors[0].Peak[0].FlopsPerS = flops);
        Assert.That(msg, Does.Contain("xpu").And.Contain("flopsPerS").And.Contain("fp16"));
    }

    [Test]
    public void ProcessorWithoutPeakCompute_IsRejected()
    {
        Assert.That(Fails(hw => Pim(hw).Peak.Clear()), Does.Contain("logic_pim").And.Contain("no peak compute"));
    }

    [Test]
    public void NoProcessor_IsRejected()
    {
        Assert.That(Fails(hw => hw.Processors.Clear()), Does.Contain("no processor"));
    }

    [Test]
    public void TwoHosts_AreRejected()
    {
        Assert.That(Fails(hw => hw.Processors.Add(new Processor(hw.Processors[0]) { Name = "xpu2" })), Does.Contain("exactly one GPU or XPU"));
    }

    [Test]
    public void DuplicateProcessorName_IsRejected()
    {
        Assert.That(Fails(hw => Pim(hw).Name = "xpu"), Does.Contain("'xpu' appears twice"));
    }

    [Test]
    public void NegativeDramEnergy_IsRejected()
    {
        Assert.That(Fails(hw => Pim(hw).DramEnergyJPerBit = -1e-12), Does.Contain("dramEnergyJPerBit"));
    }

    [Test]
    public void NegativeComputeEnergy_IsRejected()
    {
        Assert.That(Fails(hw => hw.Processors[0].ComputeEnergyJPerFlop = -0.23e-12), Does.Contain("computeEnergyJPerFlop"));
    }

    [Test]
    public void NegativeRowActivationEnergy_IsRejected()
    {
        Assert.That(Fails(hw => hw.Memory.RowActivationEnergyJ = -0.9e-9), Does.Contain("rowActivationEnergyJ"));
    }

    [Test]
    public void NegativeLinkEnergy_IsRejected()
    {
        Assert.That(Fails(hw => hw.Interconnect.IntraNode.EnergyJPerBit = -1e-12), Does.Contain("intraNode").And.Contain("energyJPerBit"));
    }

    [Test]
    public void NonPositiveLinkBandwidth_IsRejected()
    {
        Assert.That(Fails(hw => hw.Interconnect.InterNode.BandwidthBytesPerS = 0), Does.Contain("interNode").And.Contain("bandwidthBytesPerS"));
    }

    [Test]
    public void GeometryHoldingMoreThanTheCapacity_IsAccepted()
    {
        // An H200's stacks hold 144 GB of which 141 GB are usable: capacity is stated, geometry may exceed it.
        var hw = HardwarePresets.Duplex();
        hw.Memory.CapacityBytes = 78UL << 30;
        Assert.That(() => HardwareValidator.Validate(hw, "t"), Throws.Nothing);
    }

    [Test]
    public void GeometryNotMatchingCapacity_IsRejectedWithBothNumbers()
    {
        // 4 stacks of the preset's geometry hold 4/5 of the stated 80 GiB.
        var msg = Fails(hw => hw.Memory.Stacks = 4);
        Assert.That(msg, Does.Contain("geometry").And.Contain((64UL << 30).ToString()).And.Contain((80UL << 30).ToString())
            .And.Contain("raise rowsPerBank to 20480"), "says what to change");
    }

    [Test]
    public void PartialGeometry_IsRejected()
    {
        Assert.That(Fails(hw => hw.Memory.RowsPerBank = 0), Does.Contain("geometry is partial"));
    }

    [Test]
    public void BankBundlesNotDividingTheBanks_AreRejected()
    {
        // A pseudo-channel has 2 ranks x 4 groups x 4 banks = 32 banks; 3 bundles cannot split them.
        Assert.That(Fails(hw => hw.Memory.BankBundlesPerPseudoChannel = 3), Does.Contain("bankBundlesPerPseudoChannel 3").And.Contain("32 banks"));
    }

    [Test]
    public void ZeroCapacity_IsRejected()
    {
        Assert.That(Fails(hw => hw.Memory.CapacityBytes = 0), Does.Contain("capacityBytes"));
    }

    [Test]
    public void TimingWithRasLongerThanRc_IsRejected()
    {
        Assert.That(Fails(hw => hw.Memory.Timing.NRas = hw.Memory.Timing.NRc + 1), Does.Contain("nRas"));
    }

    [Test]
    public void EfficiencyAboveOne_IsRejected()
    {
        Assert.That(Fails(hw => Pim(hw).BandwidthEfficiency = 1.5), Does.Contain("bandwidthEfficiency"));
    }

    [Test]
    public void GeometryLeftOutEntirely_IsAccepted()
    {
        var hw = HardwarePresets.Duplex();
        var m = hw.Memory;
        m.Stacks = m.PseudoChannelsPerStack = m.Ranks = m.BankGroups = m.BanksPerGroup = m.RowsPerBank = m.ColumnsPerRow = m.BytesPerColumn = 0;
        m.BankBundlesPerPseudoChannel = 0;
        Assert.DoesNotThrow(() => HardwareValidator.Validate(hw, "no-geometry.json"));
    }
}
