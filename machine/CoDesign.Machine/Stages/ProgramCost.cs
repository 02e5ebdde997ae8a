using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

/// <summary>
/// Costs a Program's operators for a stage on one device: time and energy (where they run is decided by
/// <see cref="Decisions.StageDecisions"/>). Shared by the compiler's analysis and the analytic backend so both always agree.
/// </summary>
public sealed class ProgramCost
{
    public Program Program { get; }
    public DeviceModel Device { get; }
    public DataType ComputeType { get; }
    public double Crossover { get; }
    readonly Link? _intra, _inter;

    public ProgramCost(Program program)
    {
        Program = program;
        Device = new DeviceModel(program.Hardware);
        // Weights of lower precision are converted on the way in; the MACs run at the activation type.
        ComputeType = program.Model.ActivationType;
        Crossover = Device.CrossoverOpPerByte(ComputeType);
        _intra = program.Hardware.Interconnect?.IntraNode;
        _inter = program.Hardware.Interconnect?.InterNode;
    }

    public static bool IsCollective(OpTemplate op) => op.Kind is OpKind.AllReduce or OpKind.AllToAll;

    /// <summary>Seconds of a collective: bandwidth term plus per-step latency (ring all-reduce 2(g-1) steps, all-to-all g-1).</summary>
    public double CollectiveSeconds(OpTemplate op, double bytes)
    {
        if (bytes <= 0 || op.CommGroup <= 1) return 0;
        var link = op.CommScope == LinkScope.InterNode ? _inter : _intra;
        if (link is null) return 0;
        double steps = op.Kind == OpKind.AllReduce ? 2.0 * (op.CommGroup - 1) : op.CommGroup - 1;
        return bytes / link.BandwidthBytesPerS + steps * link.LatencyS;
    }

    public double CollectiveJoules(OpTemplate op, double bytes)
    {
        var link = op.CommScope == LinkScope.InterNode ? _inter : _intra;
        return link is null ? 0 : bytes * 8 * link.EnergyJPerBit;
    }

    /// <summary>DRAM (path + row activations) and compute energy of an operator on a processor.</summary>
    public (double Dram, double Compute) Joules(ProcessorCost p, in OpCounts c) =>
        (Device.DramJoules(p, c.Bytes), p.ComputeJoules(c.Flops));
}
