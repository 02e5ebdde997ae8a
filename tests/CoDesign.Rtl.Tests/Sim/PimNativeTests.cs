// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Runs;
using CoDesign.Rtl.Sim;

namespace CoDesign.Rtl.Tests.Sim;

[Category("Verilator"), NonParallelizable]
public class PimNativeTests
{
    [OneTimeSetUp]
    public async Task Build()
    {
        VerilatorFixture.RequireVerilator();
        await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.PimLibrary(VerilatorFixture.Ci(), actUnits: false));
        await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(VerilatorFixture.Ci(), trace: false, actUnits: false));
    }

    [Test]
    public async Task InProcess_MatchesTheSubprocess_CycleForCycleAndBitForBit()
    {
        var wl = GemmWorkload.Random(3, 192, 40, 6);
        var job = wl.ToJob(VerilatorFixture.Ci());
        var sub = await PimSimulator.RunAsync(VerilatorFixture.Ci(), job, new PimRunOptions());
        var inp = await PimSimulator.RunAsync(VerilatorFixture.Ci(), wl.ToJob(VerilatorFixture.Ci()), new PimRunOptions { InProcess = true });
        Assert.Multiple(() =>
        {
            Assert.That(inp.Cycles, Is.EqualTo(sub.Cycles));
            Assert.That(inp.Commands, Is.EqualTo(sub.Commands));
            Assert.That(inp.StackBuffer, Is.EqualTo(sub.StackBuffer));
        });
    }

    [Test]
    public async Task InProcess_WatchdogFiresOnAStuckModel()
    {
        var opts = new PimRunOptions { InProcess = true, FreezeDramAtCycle = 40, StallCycles = 2000 };
        var e = await Assert.ThrowsAsync<RtlWatchdogException>(() =>
            PimSimulator.RunAsync(VerilatorFixture.Ci(), GemmWorkload.Random(2, 256, 64, 3).ToJob(VerilatorFixture.Ci()), opts));
        Assert.That(e!.Message, Does.Contain("no progress"));
    }
}
