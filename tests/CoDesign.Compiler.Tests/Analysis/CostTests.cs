using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Graph;
using CoDesign.Machine;
using CoDesign.Schema.Hardware;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>Times and energies of analysed operators, from the Duplex constants (docs/reference/duplex-spec.md §2).</summary>
public class CostTests
{
    const double Hbm = 3.352e12;                 // xPU bandwidth, B/s [C]
    const double XpuFlops = 989.4e12;            // FP16 dense [C]
    const double PimBandwidth = 4 * Hbm;         // [T]
    const double PimFlops = 8 * PimBandwidth;    // peak Op/B 8 [T]

    [Test]
    public void TimeOnEveryProcessor_IsItsRoofline()
    {
        var a = Decode(Compile("mixtral-8x7b", 4, Ideal(HardwarePresets.Duplex())), 64, 1024);
        using (Assert.EnterMultipleScope())
            foreach (var name in new[] { OpNames.QkvProjection, OpNames.ScoreDecode, OpNames.Experts, OpNames.LmHead })
            {
                var r = Row(a, name);
                double f = r.Counts.Flops, b = r.Counts.Bytes;
                Assert.That(r.TimeOnS["xpu"], Is.EqualTo(Math.Max(f / XpuFlops, b / Hbm)).Within(1e-9).Percent, name);
                Assert.That(r.TimeOnS["logic_pim"], Is.EqualTo(Math.Max(f / PimFlops, b / PimBandwidth)).Within(1e-9).Percent, name);
                Assert.That(r.TimeS, Is.EqualTo(r.TimeOnS[r.Processor]), name);
                Assert.That(r.TimeS, Is.EqualTo(r.TimeOnS.Values.Min()), $"{name}: min-time picks the faster processor");
            }
    }

    [Test]
    public void DecodeAttentionOnPim_IsMemoryBound()
    {
        // Op/B ≈ 4 < the Logic-PIM's ridge of 8.
        var score = Row(Decode(Compile("mixtral-8x7b", 4), 64, 1024), OpNames.ScoreDecode);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(score.Processor, Is.EqualTo("logic_pim"));
            Assert.That(score.Bound, Is.EqualTo(Bound.Memory));
        }
    }

    [Test]
    public void ExpertOnPimAtSixteenTokens_IsComputeBound()
    {
        // Op/B ≈ 16: above the Logic-PIM ridge (8), below the crossover (32).
        var experts = Row(Decode(Compile("mixtral-8x7b", 4), 64, 1024), OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(experts.Processor, Is.EqualTo("logic_pim"));
            Assert.That(experts.Bound, Is.EqualTo(Bound.Compute));
        }
    }

    [Test]
    public void Energy_IsPathBitsPlusRowActivationsPlusFlops()
    {
        var a = Decode(Compile("mixtral-8x7b", 4), 64, 1024);
        var pimRow = Row(a, OpNames.ScoreDecode);
        var xpuRow = Row(a, OpNames.QkvProjection);
        const double rowBytes = 32 * 32;          // 32 columns x 32 B per row [C]
        double Expected(OpAnalysis r, double pathJPerBit) =>
            r.Counts.Bytes * 8 * pathJPerBit + r.Counts.Bytes / rowBytes * 0.909e-9 + r.Counts.Flops * 0.23e-12;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pimRow.EnergyJ, Is.EqualTo(Expected(pimRow, 1.81e-12)).Within(1e-9).Percent, "Logic-PIM path 1.81 pJ/bit");
            Assert.That(xpuRow.EnergyJ, Is.EqualTo(Expected(xpuRow, 3.48e-12)).Within(1e-9).Percent, "xPU path 3.48 pJ/bit");
        }
    }

    [Test]
    public void AllReduce_TakesBandwidthTimePlusRingLatency()
    {
        var ar = Row(Decode(Compile("mixtral-8x7b", 4), 64, 1024), OpNames.AllReduceAttention);
        // NVLink 450 GB/s per direction, 0.8 µs per step; a ring all-reduce over 4 devices has 2 x 3 steps.
        Assert.That(ar.TimeS, Is.EqualTo(ar.CommBytes / 450e9 + 6 * 0.8e-6).Within(1e-9).Percent);
    }

    [Test]
    public void StageTime_IsTheSumOfOperatorTimesOverTheirLayers()
    {
        var a = Decode(Compile("glam-143b", 8), 64, 1024);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.StageTimeS, Is.EqualTo(a.Ops.Sum(o => o.TimeS * o.LayerCount)).Within(1e-9).Percent);
            // GLaM: 16 dense and 16 MoE blocks, plus the head ops once.
            Assert.That(a.Ops.Where(o => o.Layers != "head").Select(o => o.LayerCount).Distinct(), Is.EquivalentTo(new[] { 16 }));
            Assert.That(a.Ops.Where(o => o.Layers == "head").Select(o => o.LayerCount), Has.All.EqualTo(1));
        }
    }
}
