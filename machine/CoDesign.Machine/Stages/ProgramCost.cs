using CoDesign.Machine.Network;
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

    public ProgramCost(Program program)
    {
        Program = program;
        Device = new DeviceModel(program.Hardware);
        // Weights of lower precision are converted on the way in; the MACs run at the activation type.
        ComputeType = program.Model.ActivationType;
        Crossover = Device.CrossoverOpPerByte(ComputeType);
        Network = new Collectives(program.Hardware.Interconnect);
    }

    public static bool IsCollective(OpTemplate op) => Collectives.Is(op);

    /// <summary>The system's interconnect model (machine/CoDesign.Machine/Network).</summary>
    public Collectives Network { get; }

    /// <summary>A collective's seconds, split by link, and its link energy on one device.</summary>
    public CollectiveCost Collective(OpTemplate op, double bytes) => Network.Cost(op, bytes);

    /// <summary>Seconds of a collective: ring all-reduce 2(P-1) steps; all-to-all's NVLink and InfiniBand parts at once.</summary>
    public double CollectiveSeconds(OpTemplate op, double bytes) => Network.Cost(op, bytes).Seconds;

    public double CollectiveJoules(OpTemplate op, double bytes) => Network.Cost(op, bytes).Joules;

    /// <summary>HBM stacks of one device: a Logic-PIM expert leaves one partial sum per stack (docs/reference/duplex-spec.md §3).</summary>
    public int Stacks => (int)Math.Max(1, Program.Hardware.Memory?.Stacks ?? 1);

    /// <summary>DRAM (path + row activations) and compute energy of an operator on a processor.</summary>
    public (double Dram, double Compute) Joules(ProcessorCost p, in OpCounts c) =>
        (Device.DramJoules(p, c.Bytes), p.ComputeJoules(c.Flops));
}
