using CoDesign.Schema.V1;

namespace CoDesign.Machine;

/// <summary>One device's processors and memory, ready to cost operators. Built once per hardware description.</summary>
public sealed class DeviceModel
{
    public Hardware Hardware { get; }
    public IReadOnlyList<ProcessorCost> Processors { get; }
    /// <summary>The GPU or xPU: runs everything the PIM cannot.</summary>
    public ProcessorCost Host { get; }
    /// <summary>The PIM processor, if the device has one.</summary>
    public ProcessorCost? Pim { get; }
    /// <summary>Bytes read per row activation (one bank row); ACT energy is charged per row read on every path.</summary>
    public double RowBytes { get; }
    public double RowActivationJoules { get; }

    public DeviceModel(Hardware hw)
    {
        Hardware = hw;
        Processors = hw.Processors.Select(p => new ProcessorCost(p, hw.Memory, hw.IdealEfficiency)).ToList();
        Host = Processors.Single(p => p.Kind is ProcessorKind.Gpu or ProcessorKind.Xpu);
        Pim = Processors.FirstOrDefault(p => p.IsPim);
        var m = hw.Memory;
        RowBytes = m.ColumnsPerRow > 0 && m.BytesPerColumn > 0 ? (double)m.ColumnsPerRow * m.BytesPerColumn : 1024;
        RowActivationJoules = m.RowActivationEnergyJ;
    }

    public ProcessorCost this[string name] => Processors.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"no processor '{name}'");

    /// <summary>DRAM energy of moving <paramref name="bytes"/> through <paramref name="p"/>'s path, row activations included.</summary>
    public double DramJoules(ProcessorCost p, double bytes) => p.DramJoules(bytes) + bytes / RowBytes * RowActivationJoules;

    /// <summary>
    /// The Op/B below which the PIM beats the host on a memory-streaming operator:
    /// PIM compute-bound time F/P_pim equals host memory-bound time B/BW_host at F/B = P_pim / BW_host
    /// (docs/reference/duplex-spec.md §3: 4 x 8 = 32 for Duplex).
    /// </summary>
    public double CrossoverOpPerByte(DataType computeType) =>
        Pim is null ? 0 : Pim.FlopsPerSecond(computeType) / Host.BytesPerSecond;
}
