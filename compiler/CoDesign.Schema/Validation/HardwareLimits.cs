using CoDesign.Schema.V1;

namespace CoDesign.Schema.Validation;

/// <summary>
/// The allowed range of every numeric hardware field (docs/input-limits.md lists them). The bounds are our
/// choice: each admits every real device we model with a wide margin (the presets' extremes are in the comment)
/// and refuses values that only a typo or a unit mix-up gives, and that would otherwise turn into Infinity, NaN
/// or a wrapped integer further on. Zero keeps its proto3 meaning "unset" where the model treats it so.
/// </summary>
public static class HardwareLimits
{
    // Presets: 5.4e13 (bank-PIM) .. 2.0e15 (H100 FP8 dense, NVIDIA H100 datasheet). 1e18 = an exaFLOP/s per processor.
    public static readonly Limit FlopsPerS = Limit.Positive(1e18, "FLOP/s");
    // Presets: 5e10 (links) .. 5.4e13 (bank-PIM internal). 1e16 B/s is 3,000x an HBM3 H100.
    public static readonly Limit BytesPerS = Limit.Positive(1e16, "B/s");
    // 0 = no clock given. 100 GHz is far above any CMOS logic clock.
    public static readonly Limit ClockHz = Limit.NonNegative(1e11, "Hz");
    // Presets: 0.73 .. 3.48 pJ/bit (HBM3, docs/reference/duplex-spec.md); 1 nJ/bit is ~50x DDR4 off-chip I/O.
    public static readonly Limit EnergyJPerBit = Limit.NonNegative(1e-9, "J/bit");
    // Presets: 0.23 pJ/FLOP; 1 nJ/FLOP is 1,000x an FP32 FMA on an old process.
    public static readonly Limit EnergyJPerFlop = Limit.NonNegative(1e-9, "J/FLOP");
    // Presets: 0.91 nJ (HBM row activation); 1 µJ is 1,000x that.
    public static readonly Limit RowActivationEnergyJ = Limit.NonNegative(1e-6, "J");
    // A fixed cost per operator or per message: one second is already absurd for a kernel launch or a link hop.
    public static readonly Limit OverheadS = Limit.NonNegative(1, "s");
    // 0 = unset (ideal roofline); otherwise a fraction of peak.
    public static readonly Limit Efficiency = Limit.NonNegative(1, "(fraction of peak)");
    // 1 PiB per device: 10,000x an 80 GiB H100.
    public const double MaxCapacityBytes = 1L << 50;
    public static readonly Limit CapacityBytes = Limit.Int(1, 1L << 50, "bytes");
    // HBM geometry (JEDEC JESD238 HBM3: 16 pseudo-channels/stack, 4 bank groups x 4 banks, 32 B/column); 0 = no geometry.
    public static readonly Limit Stacks = Limit.Int(0, 64);
    public static readonly Limit PseudoChannels = Limit.Int(0, 256);
    public static readonly Limit Ranks = Limit.Int(0, 16);
    public static readonly Limit BankGroups = Limit.Int(0, 64);
    public static readonly Limit BanksPerGroup = Limit.Int(0, 64);
    public static readonly Limit RowsPerBank = Limit.Int(0, 1 << 24);
    public static readonly Limit ColumnsPerRow = Limit.Int(0, 1 << 16);
    public static readonly Limit BytesPerColumn = Limit.Int(0, 4096);
    public static readonly Limit BankBundles = Limit.Int(0, 4096);
    // tCK: HBM3 runs 0.77 ns; 10 ps is a 100 GHz command clock, 1 µs a 1 MHz DRAM. The lower bound keeps the
    // derived refresh timings (350 ns / tCK, HbmTiming.From) in range.
    public static readonly Limit TckS = new(1e-11, 1e-6, "s");
    // Command timings in tCK: presets reach 63 (nRc, HBM3 at 0.77 ns); DDR5-6400's tRC is about 154 tCK. 255 is our
    // bound: the command-level DRAM model steps cycle by cycle, so larger values only make it slow.
    public static readonly Limit CommandCycles = Limit.Int(0, 255, "cycles");
    // The data-bus cycles of one access (nBl) and column-to-column spacing (nCcdS, nCcdL) divide the bandwidth: 0 would make it infinite.
    public static readonly Limit BusCycles = Limit.Int(1, 255, "cycles");
    // Refresh cycle times (nRfcSb, nRfcAb): presets 260 and 455 (JESD238A tRFCab 350 ns); 8,192 tCK is 6.3 µs at HBM3 clocks.
    public static readonly Limit RefreshCycles = Limit.Int(0, 8192, "cycles");
    // Refresh interval nRefi: presets 5,070 (tREFI 3.9 µs); 0 would refresh every cycle. 2^20 tCK is 0.8 ms at HBM3 clocks.
    public static readonly Limit RefreshIntervalCycles = Limit.Int(1, 1 << 20, "cycles");
    // Our bound: refresh may take at most half of each bank's time. Presets spend 5 % (260 / 5,070) per bank and
    // 9 % all-bank; at 100 % the DRAM model never serves a request.
    public const double MaxRefreshFraction = 0.5;
    // [D] JESD238A tRFCab for 8 Gb per channel, the value HbmTiming.From derives nRfcAb from when it is unset.
    const double DerivedAllBankRefreshS = 350e-9;
    // Devices in one node (NVLink domain): 8 in the presets; 1,024 covers rack-scale NVLink domains with margin.
    public static readonly Limit DevicesPerNode = Limit.Int(1, 1024);
    public const int MaxProcessors = 16;
    public const int MaxPeaks = 16;

    public static void Check(V1.Hardware hw, string origin)
    {
        string where = $"hardware {origin}";
        if (hw.Processors.Count > MaxProcessors) throw new InputException($"{where}: {hw.Processors.Count} processors, more than the {MaxProcessors} allowed");
        for (int i = 0; i < hw.Processors.Count; i++)
        {
            var p = hw.Processors[i];
            string f = $"processors[{i}] ({InputText.Quote(p.Name)})";
            if (p.Peak.Count > MaxPeaks) throw new InputException($"{where}: {f} has {p.Peak.Count} peak entries, more than the {MaxPeaks} allowed");
            foreach (var pk in p.Peak) FlopsPerS.Check(pk.FlopsPerS, $"{f}.peak[{pk.DataType.ShortName()}].flopsPerS", where);
            BytesPerS.Check(p.MemoryBandwidthBytesPerS, $"{f}.memoryBandwidthBytesPerS", where);
            ClockHz.Check(p.ClockHz, $"{f}.clockHz", where);
            EnergyJPerBit.Check(p.DramEnergyJPerBit, $"{f}.dramEnergyJPerBit", where);
            EnergyJPerFlop.Check(p.ComputeEnergyJPerFlop, $"{f}.computeEnergyJPerFlop", where);
            OverheadS.Check(p.OpOverheadS, $"{f}.opOverheadS", where);
            Efficiency.Check(p.BandwidthEfficiency, $"{f}.bandwidthEfficiency", where);
            Efficiency.Check(p.ComputeEfficiency, $"{f}.computeEfficiency", where);
        }
        if (hw.Memory is { } m)
        {
            CapacityBytes.Check(m.CapacityBytes, "memory.capacityBytes", where);
            RowActivationEnergyJ.Check(m.RowActivationEnergyJ, "memory.rowActivationEnergyJ", where);
            Stacks.Check(m.Stacks, "memory.stacks", where);
            PseudoChannels.Check(m.PseudoChannelsPerStack, "memory.pseudoChannelsPerStack", where);
            Ranks.Check(m.Ranks, "memory.ranks", where);
            BankGroups.Check(m.BankGroups, "memory.bankGroups", where);
            BanksPerGroup.Check(m.BanksPerGroup, "memory.banksPerGroup", where);
            RowsPerBank.Check(m.RowsPerBank, "memory.rowsPerBank", where);
            ColumnsPerRow.Check(m.ColumnsPerRow, "memory.columnsPerRow", where);
            BytesPerColumn.Check(m.BytesPerColumn, "memory.bytesPerColumn", where);
            BankBundles.Check(m.BankBundlesPerPseudoChannel, "memory.bankBundlesPerPseudoChannel", where);
            // The geometry product is checked wide: eight uint32 factors would wrap a 64-bit product.
            UInt128 product = (UInt128)m.Stacks * m.PseudoChannelsPerStack * m.Ranks * m.BankGroups * m.BanksPerGroup * m.RowsPerBank * m.ColumnsPerRow * m.BytesPerColumn;
            if (product > (UInt128)MaxCapacityBytes)
                throw new InputException($"{where}: memory geometry multiplies out to {product} bytes, more than the 2^50 bytes (1 PiB) a device may have");
            if (m.Timing is { } t)
            {
                TckS.Check(t.TckS, "memory.timing.tckS", where);
                foreach (var fd in MemoryTiming.Descriptor.Fields.InFieldNumberOrder())
                    if (fd.FieldType == Google.Protobuf.Reflection.FieldType.UInt32)
                    {
                        var limit = fd.FieldNumber == MemoryTiming.NRefiFieldNumber ? RefreshIntervalCycles
                            : fd.FieldNumber is MemoryTiming.NRfcSbFieldNumber or MemoryTiming.NRfcAbFieldNumber ? RefreshCycles
                            : fd.FieldNumber is MemoryTiming.NBlFieldNumber or MemoryTiming.NCcdSFieldNumber or MemoryTiming.NCcdLFieldNumber ? BusCycles : CommandCycles;
                        limit.Check((uint)fd.Accessor.GetValue(t), $"memory.timing.{fd.JsonName}", where);
                    }
                double rfcAb = t.NRfcAb > 0 ? t.NRfcAb : Math.Ceiling(DerivedAllBankRefreshS / t.TckS);
                foreach (var (name, rfc) in new[] { ("nRfcSb", (double)t.NRfcSb), (t.NRfcAb > 0 ? "nRfcAb" : "nRfcAb (derived from 350 ns)", rfcAb) })
                    if (rfc > MaxRefreshFraction * t.NRefi)
                        throw new InputException($"{where}: memory.timing.{name} = {rfc} cycles is more than half of nRefi = {t.NRefi}: the DRAM would mostly refresh (raise nRefi or lower {name.Split(' ')[0]})");
            }
        }
        if (hw.Interconnect is { } ic)
        {
            DevicesPerNode.Check(ic.MaxDevicesPerNode, "interconnect.maxDevicesPerNode", where);
            foreach (var (link, name) in new[] { (ic.IntraNode, "intraNode"), (ic.InterNode, "interNode") })
            {
                if (link is null) continue;
                BytesPerS.Check(link.BandwidthBytesPerS, $"interconnect.{name}.bandwidthBytesPerS", where);
                OverheadS.Check(link.LatencyS, $"interconnect.{name}.latencyS", where);
                EnergyJPerBit.Check(link.EnergyJPerBit, $"interconnect.{name}.energyJPerBit", where);
            }
        }
    }
}
