// SPDX-License-Identifier: Apache-2.0
// The same bank-bundle weight stream through the C# HBM3 timing model and the Verilated cd_dram_bundle.
using CoDesign.Machine.Dram;
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Dram;
using CoDesign.Rtl.Runs;
using CoDesign.Rtl.Sim;
using CoDesign.Schema.Hardware;

namespace CoDesign.Rtl.Tests.Dram;

[Category("Verilator")]
public class BankBundleCrossCheckTests
{
    [OneTimeSetUp]
    public async Task Build()
    {
        VerilatorFixture.RequireVerilator();
        await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(VerilatorFixture.Ci(), trace: false, actUnits: false));
    }

    /// <summary>The RTL's commands for a GEMV, and the C# model's for a saturating stream of as many reads,
    /// both in module cycles (the duplex preset's HBM3 timing halved, BankBundleTiming.From); the C# stream
    /// starts at the RTL's first ACT, with refresh counted from reset in both.</summary>
    static async Task<(List<DramCommand> Rtl, List<HbmCommand> Model)> Run(int k, int n)
    {
        var log = Path.GetTempFileName();
        try
        {
            await GemmRunner.RunAsync(VerilatorFixture.Ci(), GemmWorkload.Random(1, k, n, 11), new PimRunOptions { DramLogPath = log });
            var rtl = DramCommand.ParseLog(log);
            var mem = HardwarePresets.Duplex().Memory;
            var t = HbmTiming.From(mem.Timing).InCycles(2);
            var g = DramGeometry.Of(mem, t, DramPath.BankBundle, bundlesPerStream: 1);
            long reads = rtl.Count(c => c.Kind == DramCommandKind.Read);
            var r = HbmChannelSimulator.Run(g, t, AddressMapping.RowInterleaved(g), AccessPattern.Stream(reads),
                new DramControllerOptions(RecordLog: true, FirstArrivalCycle: rtl[0].Cycle));
            return (rtl, [.. r.Log!]);
        }
        finally { File.Delete(log); }
    }

    static DramCommandKind Kind(HbmCommandKind k) => k switch
    {
        HbmCommandKind.Act => DramCommandKind.Activate,
        HbmCommandKind.Pre => DramCommandKind.Precharge,
        HbmCommandKind.Rd => DramCommandKind.Read,
        _ => DramCommandKind.Refresh,
    };

    [Test]
    public async Task OneBundleStream_SameCommandsAtTheSameCycles()
    {
        var (rtl, model) = await Run(64, 512);
        var m = model.Select(c => (c.Cycle, Kind(c.Kind))).ToList();
        var r = rtl.Select(c => (c.Cycle, c.Kind)).ToList();
        int first = Enumerable.Range(0, Math.Min(m.Count, r.Count)).FirstOrDefault(i => m[i] != r[i], -1);
        Assert.Multiple(() =>
        {
            Assert.That(r.Count(c => c.Kind == DramCommandKind.Refresh), Is.GreaterThan(0), "long enough to refresh");
            Assert.That(first, Is.EqualTo(-1), first < 0 ? "" : $"first difference at command {first}: RTL {r[first]}, C# {m[first]}");
            Assert.That(m.Count, Is.EqualTo(r.Count));
        });
    }

    /// <summary>The comparison sees one cycle: the C# model with tRCD one module cycle longer no longer matches.</summary>
    [Test]
    public async Task CrossCheck_SeesAOneCycleTimingChange()
    {
        var (rtl, _) = await Run(64, 128);
        var mem = HardwarePresets.Duplex().Memory;
        var t = HbmTiming.From(mem.Timing).InCycles(2);
        t = t with { RcdRd = t.RcdRd + 1 };
        var g = DramGeometry.Of(mem, t, DramPath.BankBundle, bundlesPerStream: 1);
        var r = HbmChannelSimulator.Run(g, t, AddressMapping.RowInterleaved(g),
            AccessPattern.Stream(rtl.Count(c => c.Kind == DramCommandKind.Read)),
            new DramControllerOptions(RecordLog: true, FirstArrivalCycle: rtl[0].Cycle));
        Assert.That(r.Log!.Select(c => (c.Cycle, Kind(c.Kind))), Is.Not.EqualTo(rtl.Select(c => (c.Cycle, c.Kind))));
    }
}
