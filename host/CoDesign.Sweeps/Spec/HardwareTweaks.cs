using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Sweeps.Spec;

/// <summary>
/// Applies the swept hardware parameters to a copy of a hardware description, keeping it self-consistent:
/// <list type="bullet">
/// <item>hbm_bandwidth_bytes_per_s: the host processor's DRAM bandwidth; every PIM processor's scales with it, so PIM
///   keeps its bandwidth multiple and Op/B;</item>
/// <item>hbm_capacity_bytes: sets capacity and clears the bank geometry (it need not hold the new capacity);</item>
/// <item>logic_pim_bandwidth_multiple: PIM bandwidth = multiple x HBM bandwidth, peak FLOP/s scaled with it (same Op/B);</item>
/// <item>logic_pim_op_b: PIM peak FLOP/s = Op/B x PIM bandwidth;</item>
/// <item>logic_pim_clock_hz: PIM peak FLOP/s scales with the clock (MAC count x clock), applied after Op/B;</item>
/// <item>xpu_flops_per_s: the host processor's FP16 peak; its other data types scale by the same factor;</item>
/// <item>energy_j_per_bit: the host's DRAM path energy; PIM paths keep their ratio to it;</item>
/// <item>ideal_efficiency: 1 = every processor at its peak without the DRAM timing model (the "-ideal" presets),
///   0 = derived; docs/fidelity.md compares the two.</item>
/// </list>
/// PIM parameters leave hardware without a PIM processor unchanged (so one axis can span GPU and Duplex).
/// </summary>
public static class HardwareTweaks
{
    public static Hardware Apply(Hardware original, SweepPoint p)
    {
        if (!Parameters.HardwareParams.Any(p.Params.ContainsKey)) return original;
        var hw = original.Clone();
        var host = hw.Processors.First(x => x.Kind is ProcessorKind.Gpu or ProcessorKind.Xpu);
        var pims = hw.Processors.Where(x => x != host).ToList();

        if (p.Number("hbm_bandwidth_bytes_per_s") is { } bw)
        {
            double f = bw / host.MemoryBandwidthBytesPerS;
            host.MemoryBandwidthBytesPerS = bw;
            foreach (var pim in pims) { pim.MemoryBandwidthBytesPerS *= f; ScalePeaks(pim, f); }
        }
        if (p.Number("hbm_capacity_bytes") is { } cap)
        {
            var m = hw.Memory;
            m.CapacityBytes = (ulong)cap;
            m.Stacks = m.PseudoChannelsPerStack = m.Ranks = m.BankGroups = m.BanksPerGroup = m.RowsPerBank = m.ColumnsPerRow = m.BytesPerColumn = 0;
        }
        if (p.Number("logic_pim_bandwidth_multiple") is { } mult)
            foreach (var pim in pims)
            {
                double nb = mult * host.MemoryBandwidthBytesPerS;
                ScalePeaks(pim, nb / pim.MemoryBandwidthBytesPerS);
                pim.MemoryBandwidthBytesPerS = nb;
            }
        if (p.Number("logic_pim_op_b") is { } opb)
            foreach (var pim in pims)
                foreach (var pk in pim.Peak) pk.FlopsPerS = opb * pim.MemoryBandwidthBytesPerS;
        if (p.Number("logic_pim_clock_hz") is { } clk)
            foreach (var pim in pims)
            {
                if (!(pim.ClockHz > 0))
                    throw new InputException($"hardware {original.Name}: processor '{pim.Name}' has no clock, so logic_pim_clock_hz cannot scale it");
                ScalePeaks(pim, clk / pim.ClockHz);
                pim.ClockHz = clk;
            }
        if (p.Number("xpu_flops_per_s") is { } flops)
        {
            var fp16 = host.Peak.FirstOrDefault(x => x.DataType == DataType.Fp16) ?? host.Peak[0];
            ScalePeaks(host, flops / fp16.FlopsPerS);
            fp16.FlopsPerS = flops;   // exact, not via a rounded factor
        }
        if (p.Number("energy_j_per_bit") is { } e)
        {
            double old = host.DramEnergyJPerBit;
            host.DramEnergyJPerBit = e;
            foreach (var pim in pims) pim.DramEnergyJPerBit = old > 0 ? pim.DramEnergyJPerBit * e / old : e;
        }
        if (p.Number("ideal_efficiency") is { } ideal) hw.IdealEfficiency = ideal >= 1;
        return hw;
    }

    static void ScalePeaks(Processor p, double f)
    {
        foreach (var pk in p.Peak) pk.FlopsPerS *= f;
    }
}
