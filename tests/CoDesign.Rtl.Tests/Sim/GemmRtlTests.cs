// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Dram;
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Runs;
using CoDesign.Rtl.Sim;

namespace CoDesign.Rtl.Tests.Sim;

[Category("Verilator")]
public class GemmRtlTests
{
    [OneTimeSetUp]
    public async Task Build()
    {
        VerilatorFixture.RequireVerilator();
        await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(VerilatorFixture.Ci(), trace: false, actUnits: false));
        await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(VerilatorFixture.Ci(2), trace: false, actUnits: false));
    }

    // CI config: 8 lanes, 2 PUs, K tiles of 64, N tiles of 32 -> these shapes cover one and many
    // passes, K tiles and N tiles, and a partial last N tile.
    [TestCase(1, 64, 8, 1)]
    [TestCase(2, 128, 32, 2)]
    [TestCase(3, 192, 40, 3)]
    [TestCase(5, 256, 70, 4)]
    public async Task RandomGemm_IsBitExact_AndWithinBound(int m, int k, int n, int seed)
    {
        var r = await GemmRunner.RunAsync(VerilatorFixture.Ci(), GemmWorkload.Random(m, k, n, seed), new PimRunOptions());
        Assert.Multiple(() =>
        {
            Assert.That(r.Mismatches, Is.Zero);
            Assert.That(r.WithinErrorBound, Is.True);
            Assert.That(r.DramCommands.Read, Is.EqualTo(((m + 1) / 2) * (long)n * k / 16), "one RD per 2 beats of 8 weights, per pass");
        });
    }

    [Test]
    public async Task SpecialValuesInOperands_AreBitExact()
    {
        var wl = GemmWorkload.Random(2, 64, 8, 5);
        wl.W[3] = 0x7C00;              // +inf weight meets a finite input: row 0 is +-inf or NaN
        wl.X[3] = 0x0000;              // ... and here a zero input: inf * 0 = NaN
        wl.W[64 + 1] = 0x0001;         // subnormal weight
        wl.X[64 + 2] = 0x7E00;         // NaN input, token 1
        wl.W[2 * 64] = 0x7BFF;         // 65504
        var r = await GemmRunner.RunAsync(VerilatorFixture.Ci(), wl, new PimRunOptions());
        Assert.That(r.Mismatches, Is.Zero);
    }

    [Test]
    public async Task WideRangeOperands_AreBitExact()
    {
        // Every finite binary16 (subnormals, zeros of both signs, 2^-24 .. 65504): products spread over 80
        // binades, so the dot-product tree truncates some of them and cancels others.
        var wl = GemmWorkload.Random(3, 128, 24, 9);
        var rng = new Random(9);
        ushort Finite() { ushort h; do h = (ushort)rng.Next(0x10000); while ((h & 0x7C00) == 0x7C00); return h; }
        for (int i = 0; i < wl.W.Length; i++) wl.W[i] = Finite();
        for (int i = 0; i < wl.X.Length; i++) wl.X[i] = Finite();
        var r = await GemmRunner.RunAsync(VerilatorFixture.Ci(), wl, new PimRunOptions());
        Assert.That(r.Mismatches, Is.Zero);
    }

    [Test]
    public async Task DramCommands_FromTheRtl_AreLegal_AndTight()
    {
        var log = Path.GetTempFileName();
        try
        {
            await GemmRunner.RunAsync(VerilatorFixture.Ci(2), GemmWorkload.Random(2, 256, 64, 3), new PimRunOptions { DramLogPath = log });
            var cmds = DramCommand.ParseLog(log);
            Assert.That(cmds.Count(c => c.Kind == DramCommandKind.Refresh), Is.GreaterThan(0), "the run must be long enough to refresh");
            Assert.That(DramTimingChecker.FirstViolation(cmds, BankBundleTiming.Hbm3, 2), Is.Null);
            // The model issues each first RD after an ACT at exactly tRCD: one cycle earlier must be refused.
            int i = cmds.FindIndex(c => c.Kind == DramCommandKind.Read);
            var early = cmds.ToList();
            early[i] = early[i] with { Cycle = early[i].Cycle - 1 };
            Assert.That(DramTimingChecker.FirstViolation(early, BankBundleTiming.Hbm3, 2), Does.Contain("tRCD"));
        }
        finally { File.Delete(log); }
    }

    [Test]
    public async Task LongGemv_WithTwoBundles_ReachesMostOfTheBandwidth()
    {
        var r = await GemmRunner.RunAsync(VerilatorFixture.Ci(2), GemmWorkload.Random(1, 1024, 64, 9), new PimRunOptions());
        Assert.That(r.BandwidthUtilisation, Is.GreaterThan(0.8));
    }

    /// <summary>The target, on the published module: a long GEMV at >= 90 % of the bank-bundle bandwidth.</summary>
    [Test, Category("Slow")]
    public async Task PublishedGemv_WithTwoBundles_ReachesNinetyPercentOfTheBandwidth()
    {
        var r = await GemmRunner.RunAsync(PimConfig.Published(2), GemmWorkload.Random(8, 4096, 512, 1), new PimRunOptions());
        Assert.Multiple(() =>
        {
            Assert.That(r.BandwidthUtilisation, Is.GreaterThanOrEqualTo(0.90));
            Assert.That(r.Mismatches, Is.Zero);
        });
    }

    [Test]
    public async Task Watchdog_FiresOnAStuckModel()
    {
        var opts = new PimRunOptions { FreezeDramAtCycle = 40, StallCycles = 2000 };
        var e = await Assert.ThrowsAsync<RtlWatchdogException>(() =>
            GemmRunner.RunAsync(VerilatorFixture.Ci(), GemmWorkload.Random(2, 256, 64, 3), opts));
        Assert.That(e!.Message, Does.Contain("no progress"));
    }

    [Test]
    public async Task Watchdog_StopsARunPastItsWallClockLimit()
    {
        var opts = new PimRunOptions { WallTimeout = TimeSpan.FromMilliseconds(300) };
        var e = await Assert.ThrowsAsync<RtlWatchdogException>(() =>
            GemmRunner.RunAsync(VerilatorFixture.Ci(), GemmWorkload.Random(64, 4096, 1024, 3), opts));
        Assert.That(e!.Message, Does.Contain("wall-clock"));
    }

    [Test]
    public async Task Trace_WritesAnFstWaveform()
    {
        var fst = Path.Combine(Path.GetTempPath(), $"codesign-{Guid.NewGuid():N}.fst");
        try
        {
            var r = await GemmRunner.RunAsync(VerilatorFixture.Ci(), GemmWorkload.Random(1, 64, 4, 2), new PimRunOptions { TracePath = fst });
            Assert.Multiple(() =>
            {
                Assert.That(r.Mismatches, Is.Zero);
                Assert.That(new FileInfo(fst).Length, Is.GreaterThan(1000));
            });
            using var f = File.OpenRead(fst);
            Assert.That(f.ReadByte(), Is.Zero, "an FST file starts with a header block (type 0)");
        }
        finally { File.Delete(fst); }
    }

    [Test]
    public async Task BuildCache_IsKeyedBySourcesAndParameters()
    {
        var a = VerilatorModel.Pim(VerilatorFixture.Ci(), false, false);
        var b = VerilatorModel.Pim(VerilatorFixture.Ci() with { Tokens = 4 }, false, false);
        Assert.That(VerilatorBuild.Key(a, "v"), Is.Not.EqualTo(VerilatorBuild.Key(b, "v")));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var exe = await VerilatorBuild.EnsureBuiltAsync(a);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(exe), Is.True);
            Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "a cached model must not rebuild");
        });
    }
}
