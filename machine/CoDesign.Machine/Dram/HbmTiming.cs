using CoDesign.Schema.V1;

namespace CoDesign.Machine.Dram;

/// <summary>
/// HBM timing in command-clock cycles (tCK). The numbers live once, in the hardware description's
/// <see cref="MemoryTiming"/> (HardwarePresets.Hbm3: Ramulator 2's HBM3_5.2Gbps preset, which refers to
/// JEDEC JESD238A, and the Duplex simulator's copy of it, docs/reference/duplex-spec.md §2); the bank-bundle
/// RTL (cd_dram_bundle.sv through cd_pim_tb's parameters) and BankBundleTiming.cs derive theirs from here.
/// </summary>
public sealed record HbmTiming(
    double TckSeconds, int Bl, int Cl, int RcdRd, int RcdWr, int Rp, int Ras, int Rc, int Wr, int RtpS, int RtpL,
    int Cwl, int CcdS, int CcdL, int RrdS, int RrdL, int WtrS, int WtrL, int Rtw, int Faw,
    int RfcSb, int RfcAb, int Refi, int Rrefd, int ActCommandCycles = 2)
{
    // ActCommandCycles: [D] ACT takes two cycles of the row command bus (Ramulator 2 HBM3: "2-cycle ACT command").

    /// <summary>
    /// [D] JESD238A tRFCab by die density, as Ramulator 2 (src/dram/impl/HBM3.cpp, tRFC_TABLE) lists it:
    /// 350 ns for the 8 Gb per channel of an 8-Hi, 16 GB stack (org preset HBM3_8Gb_2R).
    /// </summary>
    public const double AllBankRefreshSeconds8Gb = 350e-9;

    /// <summary>Earliest RD-to-WR spacing on a rank: read data leave the bus (CL + BL) before the write
    /// data arrive (CWL later), plus the bus turnaround nRTW. Ramulator 2 writes the same rule with a fixed
    /// 2-cycle write preamble (nCL + nBL + 2 - nCWL); we take the preset's nRTW (3) for the gap [I].</summary>
    public int RdToWr => Math.Max(1, Cl + Bl + Rtw - Cwl);
    /// <summary>WR-to-RD in one bank group (tWTR_L after the write burst) and across groups (tWTR_S) [D].</summary>
    public int WrToRdL => Cwl + Bl + WtrL;
    public int WrToRdS => Cwl + Bl + WtrS;
    /// <summary>Write recovery before PRE: the burst lands CWL + BL after WR, then tWR [D].</summary>
    public int WrToPre => Cwl + Bl + Wr;

    /// <summary>The timing of a hardware description; missing all-bank refresh and REFsb spacing derived
    /// from JEDEC values (see the constants) at the description's tCK.</summary>
    public static HbmTiming From(MemoryTiming t)
    {
        if (t is null || t.TckS <= 0) throw new ArgumentException("memory timing needs tck_s > 0");
        int rfcAb = t.NRfcAb > 0 ? (int)t.NRfcAb : (int)Math.Ceiling(AllBankRefreshSeconds8Gb / t.TckS - 1e-9);
        // [D] Ramulator 2 HBM3_5.2Gbps nRREFD = 11 tCK (8.5 ns); scale the same 8.5 ns to other clocks.
        int rrefd = t.NRrefd > 0 ? (int)t.NRrefd : Math.Max(1, (int)Math.Ceiling(8.46e-9 / t.TckS - 1e-9));
        return new HbmTiming(t.TckS, (int)t.NBl, (int)t.NCl, (int)t.NRcdRd, (int)t.NRcdWr, (int)t.NRp, (int)t.NRas,
            (int)t.NRc, (int)t.NWr, (int)t.NRtpS, (int)t.NRtpL, (int)t.NCwl, (int)t.NCcdS, (int)t.NCcdL, (int)t.NRrdS,
            (int)t.NRrdL, (int)t.NWtrS, (int)t.NWtrL, (int)t.NRtw, (int)t.NFaw, (int)t.NRfcSb, rfcAb, (int)t.NRefi, rrefd);
    }

    /// <summary>The same timing counted in a slower clock of <paramref name="tckPerCycle"/> tCK, rounded up
    /// (the bank-bundle RTL runs at 650 MHz, about 2 tCK per cycle [T]).</summary>
    public HbmTiming InCycles(int tckPerCycle)
    {
        int H(int n) => (n + tckPerCycle - 1) / tckPerCycle;
        return new HbmTiming(TckSeconds * tckPerCycle, H(Bl), H(Cl), H(RcdRd), H(RcdWr), H(Rp), H(Ras), H(Rc), H(Wr),
            H(RtpS), H(RtpL), H(Cwl), H(CcdS), H(CcdL), H(RrdS), H(RrdL), H(WtrS), H(WtrL), H(Rtw), H(Faw), H(RfcSb),
            H(RfcAb), H(Refi), H(Rrefd), H(ActCommandCycles));
    }
}
