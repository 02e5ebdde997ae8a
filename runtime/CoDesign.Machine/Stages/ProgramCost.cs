using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

/// <summary>
/// Costs a Program's operators for a stage on one device: placement (docs/reference/duplex-spec.md §3), time and energy.
/// Shared by the compiler's analysis and the analytic backend so both always agree.
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

    public PlacementPolicy Policy => Program.System.Placement;

    public static bool IsCollective(OpTemplate op) => op.Kind is OpKind.AllReduce or OpKind.AllToAll;

    /// <summary>
    /// Chooses the processor. <paramref name="fusedWith"/> is the placement of the score operator of the same
    /// phase, which a softmax follows (the scores never leave that processor's buffers).
    /// </summary>
    public Placement Place(OpTemplate op, in OpCounts c, bool decodeOnlyStage, Placement? fusedWith = null)
    {
        var chosen = Choose(op, c, decodeOnlyStage, fusedWith?.Processor, fusedWith is not null);
        return new(chosen, Explain(op, c, decodeOnlyStage, chosen, fusedWith));
    }

    /// <summary>
    /// The placement decision alone (no text), for the simulator's hot loop. A softmax follows the score
    /// operator of its phase (<paramref name="fused"/>) because the scores never leave that processor's buffers.
    /// </summary>
    public ProcessorCost? Choose(OpTemplate op, in OpCounts c, bool decodeOnlyStage, ProcessorCost? fused = null, bool hasFused = false)
    {
        var host = Device.Host;
        var pim = Device.Pim;
        if (IsCollective(op)) return null;
        if (op.Kind == OpKind.AttentionSoftmax && hasFused) return fused;
        if (pim is null || !op.Matrix) return host;
        if (Policy == PlacementPolicy.Paper)
        {
            if (op.Kind == OpKind.Expert) return decodeOnlyStage ? pim : host;
            return op.Phase == OpPhase.Decode ? pim : host;
        }
        return pim.Seconds(c, ComputeType) < host.Seconds(c, ComputeType) ? pim : host;
    }

    string Explain(OpTemplate op, in OpCounts c, bool decodeOnlyStage, ProcessorCost? chosen, Placement? fusedWith)
    {
        var host = Device.Host;
        var pim = Device.Pim;
        if (IsCollective(op)) return $"collective over {(op.CommScope == LinkScope.InterNode ? "the inter-node link" : "the intra-node link")} ({op.CommGroup} devices)";
        if (op.Kind == OpKind.AttentionSoftmax && fusedWith is { } f) return $"fused with the {PhaseName(op.Phase)} attention scores on {f.Where}";
        if (pim is null) return $"{host.Name} is the only processor";
        if (!op.Matrix)
            return op.Kind == OpKind.Router ? $"gate and top-k stay on the {host.Name} (Duplex §3)" : $"vector op: the {pim.Name} has no unit for it";
        if (Policy == PlacementPolicy.Paper)
        {
            if (op.Kind == OpKind.Expert)
                return decodeOnlyStage ? $"decode-only stage: MoE on {pim.Name} (Duplex §3)" : $"stage has prefill: MoE on {host.Name} (Duplex §3)";
            return op.Phase == OpPhase.Decode ? $"decode attention on {pim.Name} (Duplex §3)" : $"{Describe(op)} on {host.Name} (Duplex §3)";
        }
        double th = host.Seconds(c, ComputeType), tp = pim.Seconds(c, ComputeType), opb = c.OpPerByte;
        if (chosen == pim && opb < Crossover) return $"Op/B {Fmt(opb)} < crossover {Fmt(Crossover)} → {pim.Name}";
        if (chosen == host && opb >= Crossover) return $"Op/B {Fmt(opb)} ≥ crossover {Fmt(Crossover)} → {host.Name}";
        return $"estimated {Sec(th)} on {host.Name} vs {Sec(tp)} on {pim.Name} → {chosen!.Name}";
    }

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

    static string PhaseName(OpPhase p) => p switch { OpPhase.Decode => "decode", OpPhase.Prefill => "prefill", _ => "" };

    static string Describe(OpTemplate op) => op.Phase == OpPhase.Prefill ? "prefill attention" : op.Name.Replace('_', ' ');

    static string Fmt(double x) => Units.Ratio(x);
    static string Sec(double s) => Units.Seconds(s);
}
