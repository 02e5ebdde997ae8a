namespace CoDesign.Machine.Dram;

public enum RefreshMode { PerBank, AllBank, None }

/// <summary>Which way data leave the DRAM arrays; decides what one column command moves.</summary>
public enum DramPath
{
    /// <summary>The xPU/GPU: 32 B per RD over the pseudo-channel's 32 DQ at nBL tCK per burst [D].</summary>
    External,
    /// <summary>Logic-PIM: one RD reads all 8 banks of a bank bundle (8 x 256 bit) over the 4x TSVs at
    /// tCCD_L [T] (docs/reference/duplex-spec.md §3; the RTL's cd_dram_bundle).</summary>
    BankBundle,
    /// <summary>Bank-PIM: one all-bank command reads a column from every bank of the pseudo-channel
    /// (both ranks) at tCCD_L (Samsung HBM-PIM all-bank mode, Lee et al., ISCA 2021) [T].</summary>
    AllBank,
}

/// <summary>
/// One pseudo-channel as the scheduler sees it: addressable units (a bank, a bank bundle or all banks at
/// once), what one column command moves and how long it holds the data path. All pseudo-channels of a
/// device are identical and independent under the patterns modelled here, so one stands for all [I].
/// </summary>
public sealed record DramGeometry(DramPath Path, int Ranks, int BankGroups, int BanksPerGroup, int Rows, int Columns,
    int BytesPerAccess, int BusCyclesPerAccess, bool FawApplies, RefreshMode Refresh, int PseudoChannels)
{
    public int Banks => Ranks * BankGroups * BanksPerGroup;
    public int BanksPerRank => BankGroups * BanksPerGroup;
    public double PeakBytesPerCycle => (double)BytesPerAccess / BusCyclesPerAccess;

    /// <summary>
    /// The geometry of one path over a hardware description's memory. External: ranks x bank groups x banks
    /// of 32 B columns, per-bank refresh, tFAW. Bank bundle: <paramref name="bundlesPerStream"/> units of 8 banks
    /// (one stream's bundles; the pseudo-channel's other bundles serve other streams); all-bank: one unit of
    /// every bank. The PIM paths drop tFAW: their power delivery is designed for lockstep activation
    /// (HBM-PIM all-bank mode) and the Duplex RTL does not model it either [I].
    /// </summary>
    public static DramGeometry Of(CoDesign.Schema.V1.Memory m, HbmTiming t, DramPath path, int bundlesPerStream = 1)
    {
        int ranks = Math.Max(1, (int)m.Ranks), bgs = Math.Max(1, (int)m.BankGroups), bpg = Math.Max(1, (int)m.BanksPerGroup);
        int rows = m.RowsPerBank > 0 ? (int)m.RowsPerBank : 16384, cols = m.ColumnsPerRow > 0 ? (int)m.ColumnsPerRow : 32;
        int colBytes = m.BytesPerColumn > 0 ? (int)m.BytesPerColumn : 32;
        int pchs = (int)Math.Max(1, m.Stacks * m.PseudoChannelsPerStack);
        int bundles = m.BankBundlesPerPseudoChannel > 0 ? (int)m.BankBundlesPerPseudoChannel : 4;
        int banksPerBundle = ranks * bgs * bpg / bundles;
        return path switch
        {
            DramPath.External => new(path, ranks, bgs, bpg, rows, cols, colBytes, t.Bl, true, RefreshMode.PerBank, pchs),
            DramPath.BankBundle => new(path, 1, 1, Math.Clamp(bundlesPerStream, 1, bundles), rows, cols,
                colBytes * banksPerBundle, t.CcdL, false, RefreshMode.PerBank, pchs),
            DramPath.AllBank => new(path, 1, 1, 1, rows, cols, colBytes * ranks * bgs * bpg, t.CcdL, false, RefreshMode.AllBank, pchs),
            _ => throw new ArgumentOutOfRangeException(nameof(path)),
        };
    }
}
