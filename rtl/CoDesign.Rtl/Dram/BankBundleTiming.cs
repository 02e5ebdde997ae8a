// SPDX-License-Identifier: Apache-2.0
// HBM3 timing of the bank-bundle path in GEMM-module cycles: the same numbers as cd_dram_bundle.sv's parameters.
namespace CoDesign.Rtl.Dram;

/// <summary>
/// One module cycle (650 MHz [T], 1.54 ns) is about two HBM3 tCK (0.77 ns [C]), so each published tCK count
/// is halved and rounded up [I]. Kept equal to cd_dram_bundle.sv's defaults (a test pins that).
/// </summary>
public sealed record BankBundleTiming(int Rcd, int Rp, int Ras, int Rc, int Ccd, int Rtp, int Rrd, int Cl, int Rfc, int Refi)
{
    public static readonly BankBundleTiming Hbm3 = new(
        Rcd: Half(19),    // [C] nRCDRD 19
        Rp: Half(19),     // [C] nRP 19
        Ras: Half(45),    // [C] nRAS 45
        Rc: Half(63),     // [C] nRC 63
        Ccd: Half(4),     // [C] nCCDL 4: bundle reads are spaced by tCCD_L [T]
        Rtp: Half(8),     // [C] nRTPL 8
        Rrd: Half(4),     // [C] nRRDL 4
        Cl: Half(19),     // [C] nCL 19
        Rfc: Half(260),   // [C] nRFCSB 260; one REF stands for the bundle's per-bank refreshes [I]
        Refi: Half(5070));// [C] nREFI 5070

    static int Half(int tck) => (tck + 1) / 2;
}
