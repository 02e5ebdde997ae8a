using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;

namespace CoDesign.Schema.Hardware;

/// <summary>Rejects hardware that cannot exist, naming the field. Runs on presets and user files alike.</summary>
public static class HardwareValidator
{
    public static void Validate(V1.Hardware hw, string origin)
    {
        void Fail(string what) => throw new InputException($"hardware {origin}: {what}");

        if (hw.Processors.Count == 0) Fail("no processor (add one to 'processors')");
        var names = new HashSet<string>();
        foreach (var p in hw.Processors)
        {
            var n = string.IsNullOrWhiteSpace(p.Name) ? "(unnamed)" : p.Name;
            if (string.IsNullOrWhiteSpace(p.Name)) Fail("a processor has no name");
            if (!names.Add(p.Name)) Fail($"processor name '{n}' appears twice");
            if (p.Kind == ProcessorKind.Unspecified) Fail($"processor '{n}' has no kind");
            if (!(p.MemoryBandwidthBytesPerS > 0) || double.IsInfinity(p.MemoryBandwidthBytesPerS))
                Fail($"processor '{n}' memoryBandwidthBytesPerS must be positive, got {p.MemoryBandwidthBytesPerS}");
            if (p.Peak.Count == 0) Fail($"processor '{n}' has no peak compute");
            foreach (var pk in p.Peak)
                if (!(pk.FlopsPerS > 0) || double.IsInfinity(pk.FlopsPerS))
                    Fail($"processor '{n}' peak flopsPerS for {pk.DataType.ShortName()} must be positive, got {pk.FlopsPerS}");
            if (p.ClockHz < 0) Fail($"processor '{n}' clockHz must not be negative");
            if (p.DramEnergyJPerBit < 0) Fail($"processor '{n}' dramEnergyJPerBit must not be negative");
            if (p.ComputeEnergyJPerFlop < 0) Fail($"processor '{n}' computeEnergyJPerFlop must not be negative");
            if (p.OpOverheadS < 0) Fail($"processor '{n}' opOverheadS must not be negative");
            if (p.BandwidthEfficiency is < 0 or > 1) Fail($"processor '{n}' bandwidthEfficiency must be in (0, 1]");
            if (p.ComputeEfficiency is < 0 or > 1) Fail($"processor '{n}' computeEfficiency must be in (0, 1]");
        }
        int hosts = hw.Processors.Count(p => p.Kind is ProcessorKind.Gpu or ProcessorKind.Xpu);
        if (hosts != 1) Fail($"need exactly one GPU or XPU processor to run non-PIM work, found {hosts}");

        var m = hw.Memory;
        if (m is null) Fail("no memory");
        if (m!.CapacityBytes == 0) Fail("memory capacityBytes must be positive");
        if (m.RowActivationEnergyJ < 0) Fail("memory rowActivationEnergyJ must not be negative");
        uint[] geometry = [m.Stacks, m.PseudoChannelsPerStack, m.Ranks, m.BankGroups, m.BanksPerGroup, m.RowsPerBank, m.ColumnsPerRow, m.BytesPerColumn];
        if (geometry.Any(g => g != 0))
        {
            if (geometry.Any(g => g == 0))
                Fail("memory geometry is partial: set all of stacks, pseudoChannelsPerStack, ranks, bankGroups, banksPerGroup, rowsPerBank, columnsPerRow, bytesPerColumn, or none");
            // Capacity is what software can use; the DRAM may hold more (ECC, yield), never less.
            var product = GeometryMath.Product($"hardware {origin}", Geometry(m));
            if (product < m.CapacityBytes)
                Fail($"memory geometry gives {product} bytes (stacks x pseudoChannelsPerStack x ranks x bankGroups x banksPerGroup x rowsPerBank x columnsPerRow x bytesPerColumn), " +
                     $"less than capacityBytes {m.CapacityBytes}; lower capacityBytes, raise rowsPerBank to {RowsNeeded(m)}, or remove the geometry (it is needed only by PIM)");
            ulong banks = GeometryMath.Product($"hardware {origin}", ("ranks", m.Ranks), ("bankGroups", m.BankGroups), ("banksPerGroup", m.BanksPerGroup));
            if (m.BankBundlesPerPseudoChannel != 0 && banks % m.BankBundlesPerPseudoChannel != 0)
                Fail($"memory bankBundlesPerPseudoChannel {m.BankBundlesPerPseudoChannel} does not divide the {banks} banks of a pseudo-channel");
        }
        if (m.Timing is { } t)
        {
            if (!(t.TckS > 0)) Fail("memory timing tckS must be positive");
            if (t.NRas > t.NRc) Fail($"memory timing nRas ({t.NRas}) exceeds nRc ({t.NRc})");
            if (t.NCcdS > t.NCcdL) Fail($"memory timing nCcdS ({t.NCcdS}) exceeds nCcdL ({t.NCcdL})");
        }

        var ic = hw.Interconnect;
        if (ic is not null)
        {
            if (ic.MaxDevicesPerNode == 0) Fail("interconnect maxDevicesPerNode must be at least 1");
            CheckLink(ic.IntraNode, "intraNode", Fail);
            CheckLink(ic.InterNode, "interNode", Fail);
        }
        // Last, so the checks above keep their wording: finiteness and plausibility bounds of every field (docs/input-limits.md).
        HardwareLimits.Check(hw, origin);
    }

    static (string, ulong)[] Geometry(Memory m) =>
    [
        ("stacks", m.Stacks), ("pseudoChannelsPerStack", m.PseudoChannelsPerStack), ("ranks", m.Ranks), ("bankGroups", m.BankGroups),
        ("banksPerGroup", m.BanksPerGroup), ("rowsPerBank", m.RowsPerBank), ("columnsPerRow", m.ColumnsPerRow), ("bytesPerColumn", m.BytesPerColumn),
    ];

    // Only reached when the full product fits in 64 bits, so the product without rowsPerBank does too (all factors >= 1).
    static ulong RowsNeeded(Memory m)
    {
        ulong perRow = GeometryMath.Product("memory", Geometry(m).Where(f => f.Item1 != "rowsPerBank").ToArray());
        return m.CapacityBytes / perRow + (m.CapacityBytes % perRow == 0 ? 0UL : 1UL);
    }

    static void CheckLink(Link? link, string name, Action<string> fail)
    {
        if (link is null) return;
        if (!(link.BandwidthBytesPerS > 0)) fail($"interconnect {name} bandwidthBytesPerS must be positive, got {link.BandwidthBytesPerS}");
        if (link.LatencyS < 0) fail($"interconnect {name} latencyS must not be negative");
        if (link.EnergyJPerBit < 0) fail($"interconnect {name} energyJPerBit must not be negative");
    }
}
