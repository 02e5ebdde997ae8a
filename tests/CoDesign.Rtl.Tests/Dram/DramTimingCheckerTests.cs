// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Dram;

namespace CoDesign.Rtl.Tests.Dram;

public class DramTimingCheckerTests
{
    static readonly BankBundleTiming T = BankBundleTiming.Hbm3;
    static DramCommand C(long t, DramCommandKind k, int row = 0, int bundle = 0) => new(t, k, bundle, row, 0);

    [Test]
    public void ReadOneCycleBeforeTrcd_IsRefused_AndAtTrcd_Accepted()
    {
        var chk = new DramTimingChecker(T, 1);
        chk.Issue(C(0, DramCommandKind.Activate, 5));
        Assert.Multiple(() =>
        {
            Assert.That(chk.Probe(C(T.Rcd - 1, DramCommandKind.Read, 5)), Does.Contain("tRCD"));
            Assert.That(chk.Probe(C(T.Rcd, DramCommandKind.Read, 5)), Is.Null);
        });
    }

    [Test]
    public void BackToBackReads_NeedTccdL()
    {
        var chk = new DramTimingChecker(T, 1);
        chk.Issue(C(0, DramCommandKind.Activate, 1));
        chk.Issue(C(T.Rcd, DramCommandKind.Read, 1));
        Assert.Multiple(() =>
        {
            Assert.That(chk.Probe(C(T.Rcd + T.Ccd - 1, DramCommandKind.Read, 1)), Does.Contain("tCCD"));
            Assert.That(chk.Probe(C(T.Rcd + T.Ccd, DramCommandKind.Read, 1)), Is.Null);
        });
    }

    [Test]
    public void PrechargeAndReactivate_NeedTrasAndTrp()
    {
        var chk = new DramTimingChecker(T, 1);
        chk.Issue(C(0, DramCommandKind.Activate, 1));
        Assert.That(chk.Probe(C(T.Ras - 1, DramCommandKind.Precharge)), Does.Contain("tRAS"));
        chk.Issue(C(T.Ras, DramCommandKind.Precharge));
        long act = Math.Max(T.Ras + T.Rp, T.Rc);
        Assert.Multiple(() =>
        {
            Assert.That(chk.Probe(C(act - 1, DramCommandKind.Activate, 2)), Is.Not.Null);
            Assert.That(chk.Probe(C(act, DramCommandKind.Activate, 2)), Is.Null);
        });
    }

    [Test]
    public void ReadToAnotherRow_IsRefused()
    {
        var chk = new DramTimingChecker(T, 1);
        chk.Issue(C(0, DramCommandKind.Activate, 1));
        Assert.That(chk.Probe(C(100, DramCommandKind.Read, 2)), Does.Contain("not open"));
    }

    [Test]
    public void ActivateDuringRefresh_IsRefused()
    {
        var chk = new DramTimingChecker(T, 1);
        chk.Issue(C(0, DramCommandKind.Refresh));
        Assert.Multiple(() =>
        {
            Assert.That(chk.Probe(C(T.Rfc - 1, DramCommandKind.Activate, 1)), Does.Contain("tRFC"));
            Assert.That(chk.Probe(C(T.Rfc, DramCommandKind.Activate, 1)), Is.Null);
        });
    }

    [Test]
    public void RtlModel_TakesItsTimingFromTheHardwareDescription_AndHoldsNoCopy()
    {
        var sv = File.ReadAllText(Path.Combine(Build.RtlSources.Hw, "cd_dram_bundle.sv"));
        var defaults = System.Text.RegularExpressions.Regex.Matches(sv, @"parameter longint T\w+\s*=\s*(\d+)")
            .Select(m => m.Groups[1].Value).ToList();
        var g = Build.VerilatorModel.Pim(PimConfig.Ci(), trace: false, actUnits: false).Parameters;
        var fromHardware = BankBundleTiming.From(CoDesign.Machine.Dram.HbmTiming.From(
            CoDesign.Schema.Hardware.HardwarePresets.Duplex().Memory.Timing));
        Assert.Multiple(() =>
        {
            Assert.That(defaults, Has.Count.EqualTo(10).And.All.EqualTo("0"), "no hand-written timing in the RTL");
            Assert.That(g, Is.SupersetOf(fromHardware.Parameters));
            Assert.That(fromHardware.Parameters, Does.Contain($"TRcd=64'd{T.Rcd}").And.Contain($"TRefi=64'd{T.Refi}"));
        });
    }
}
