// SPDX-License-Identifier: Apache-2.0
// HBM3 timing of the bank-bundle path in GEMM-module cycles, derived from the one HBM3 timing source.
using CoDesign.Machine.Dram;
using CoDesign.Schema.Hardware;

namespace CoDesign.Rtl.Dram;

/// <summary>
/// One module cycle (650 MHz [T], 1.54 ns) is about two HBM3 tCK (0.77 ns [C]), so each tCK count of the
/// hardware description's HBM3 timing (HardwarePresets, via <see cref="HbmTiming"/>) is halved and rounded up
/// [I]. cd_dram_bundle.sv has no numbers of its own: VerilatorModel.Pim passes these through cd_pim_tb as -G
/// parameters (its defaults are 0, which stops the simulation).
/// </summary>
public sealed record BankBundleTiming(int Rcd, int Rp, int Ras, int Rc, int Ccd, int Rtp, int Rrd, int Cl, int Rfc, int Refi)
{
    public static readonly BankBundleTiming Hbm3 = From(HbmTiming.From(HardwarePresets.Duplex().Memory.Timing));

    /// <summary>Bundle reads are spaced by tCCD_L [T]; one REF stands for the bundle's per-bank refreshes (tRFCsb) [I].</summary>
    public static BankBundleTiming From(HbmTiming tck)
    {
        var m = tck.InCycles(2);
        return new(m.RcdRd, m.Rp, m.Ras, m.Rc, m.CcdL, m.RtpL, m.RrdL, m.Cl, m.RfcSb, m.Refi);
    }

    /// <summary>Verilator -G values for cd_pim_tb's (and so cd_dram_bundle's) timing parameters.</summary>
    /// <remarks>Sized 64-bit literals: the parameters are longint, and a plain number is a 32-bit constant
    /// (Verilator -Wall: WIDTH).</remarks>
    public IReadOnlyList<string> Parameters =>
        [.. new (string Name, int Value)[] { ("TRcd", Rcd), ("TRp", Rp), ("TRas", Ras), ("TRc", Rc), ("TCcd", Ccd), ("TRtp", Rtp),
            ("TRrd", Rrd), ("TCl", Cl), ("TRfc", Rfc), ("TRefi", Refi) }.Select(p => $"{p.Name}=64'd{p.Value}")];
}
