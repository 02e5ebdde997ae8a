using CoDesign.Machine.Dram;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Machine.Tests.Dram;

/// <summary>
/// The xPU weight-stream efficiency that ProcessorCost uses (DramEfficiency, the h100 preset's HBM3 timing)
/// against published H100 SXM5 HBM3 measurements (3.35 TB/s data-sheet peak):
/// <list type="bullet">
/// <item>lower bound 0.84: coalesced matrix loads measured at 2.8 TB/s = 84 % of peak with Nsight Compute
///   ("GPU Memory Bandwidth: What Your Profiler Isn't Telling You", mikamirai.com/blog/gpu-memory-bandwidth,
///   2026-03-28, table "Realistic bandwidth ceilings observed"). A GPU kernel sees the DRAM through L2 and
///   the on-chip network, so the DRAM-side stream alone must reach at least this;</item>
/// <item>upper bound 0.97 [I] ours: JEDEC refresh and the row switch of every 32-column row cannot be hidden
///   completely by one pseudo-channel's controller; no published HBM3 stream we found exceeds 92 %
///   (STREAM-class copy/triad on H100 SXM5 report about 3.0-3.1 TB/s).</item>
/// </list>
/// docs/fidelity.md states what we could and could not source.
/// </summary>
public class XpuStreamPublishedRangeTests
{
    const double MeasuredH100CoalescedLoadFraction = 0.84;
    const double OurUpperBound = 0.97;

    [Test]
    public void XpuWeightStream_LandsInThePublishedHbm3Range()
    {
        var h100 = HardwarePresets.H100();
        var r = DramEfficiency.Of(h100.Memory, ProcessorKind.Gpu, TrafficClass.Weights)!;
        Assert.Multiple(() =>
        {
            Assert.That(r.Efficiency, Is.InRange(MeasuredH100CoalescedLoadFraction, OurUpperBound));
            // The same fraction of the data-sheet 3.352 TB/s is what the GPU's cost model streams at.
            var cost = new ProcessorCost(h100.Processors[0], h100.Memory, ideal: false);
            Assert.That(cost.BytesPerSecond / 3.352e12, Is.InRange(MeasuredH100CoalescedLoadFraction, OurUpperBound));
        });
    }
}
