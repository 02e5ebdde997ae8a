// SPDX-License-Identifier: MIT
// The one decision layer: what runs where in a stage, for the analytic backend, the tensor engine and analyze.
using CoDesign.Machine.Stages;
using CoDesign.Schema.V1;

namespace CoDesign.Machine.Decisions;

/// <summary>
/// Decides, for one stage of a compiled Program, everything both executions must agree on
/// (docs/reference/duplex-spec.md §3): each operator's processor with its reason, the split of a device's experts
/// between host and PIM (the exact search of <see cref="ExpertSplit"/> under expert co-processing), each expert's
/// latency (<see cref="ExpertLatency"/>) and whether the attention phases overlap. <c>simulate</c> and <c>analyze</c>
/// (through the analytic backend and the stage analyzer) and <c>run</c>/<c>validate</c> (through the tensor engine)
/// call only this, so they cannot decide differently.
/// </summary>
public sealed class StageDecisions
{
    public ProgramCost Cost { get; }
    public DeviceModel Device => Cost.Device;
    public PlacementPolicy Policy { get; }
    public ExpertLatency Experts { get; }
    /// <summary>Expert co-processing: a layer's experts split between host and PIM, both sides running at once.</summary>
    public bool CoExperts { get; }
    /// <summary>Attention co-processing: the two phases' attention run at once when they sit on different processors.</summary>
    public bool CoAttention { get; }
    /// <summary>Bank-bundle spaces expert weights are spread over; experts of one space run on the same processor.</summary>
    public int Spaces { get; }

    public StageDecisions(Program program) : this(new ProgramCost(program)) { }

    public StageDecisions(ProgramCost cost)
    {
        Cost = cost;
        var p = cost.Program;
        Policy = p.System.Placement;
        Experts = new ExpertLatency(p, cost.Device, cost.ComputeType);
        var co = p.System.CoProcessing;
        bool pim = cost.Device.Pim is not null;
        CoExperts = pim && co is CoProcessing.Experts or CoProcessing.Both;
        CoAttention = pim && co is CoProcessing.Attention or CoProcessing.Both;
        Spaces = (int)Math.Max(1, p.BankBundleSpaces);
    }

    /// <summary>
    /// Places one operator of a stage. <paramref name="fusedScores"/> is the processor of the score operator of the
    /// same phase, which a softmax follows (the scores never leave that processor's buffers); null when none ran.
    /// </summary>
    public Placement Place(OpTemplate op, in OpCounts c, bool decodeOnlyStage, ProcessorCost? fusedScores = null)
    {
        var d = Device;
        var host = d.Host;
        var pim = d.Pim;
        if (op.Kind is OpKind.AllReduce or OpKind.AllToAll) return new(null, PlacementRule.Collective, op, d);
        if (op.Kind == OpKind.AttentionSoftmax && fusedScores is not null) return new(fusedScores, PlacementRule.FusedWithScores, op, d);
        if (pim is null) return new(host, PlacementRule.OnlyProcessor, op, d);
        if (!op.Matrix) return new(host, op.Kind == OpKind.Router ? PlacementRule.RouterOnHost : PlacementRule.VectorOnHost, op, d);
        if (Policy == PlacementPolicy.Paper)
        {
            if (op.Kind == OpKind.Expert)
                return decodeOnlyStage ? new(pim, PlacementRule.PaperExpertsDecodeOnly, op, d) : new(host, PlacementRule.PaperExpertsWithPrefill, op, d);
            return op.Phase == OpPhase.Decode ? new(pim, PlacementRule.PaperDecodeAttention, op, d) : new(host, PlacementRule.PaperOnHost, op, d);
        }
        double th = host.Seconds(c, Cost.ComputeType), tp = pim.Seconds(c, Cost.ComputeType), opb = c.OpPerByte;
        var chosen = tp < th ? pim : host;
        var rule = chosen == pim && opb < Cost.Crossover ? PlacementRule.BelowCrossover
            : chosen == host && opb >= Cost.Crossover ? PlacementRule.AtOrAboveCrossover
            : PlacementRule.FasterEstimate;
        return new(chosen, rule, op, d, opb, Cost.Crossover, th, tp);
    }

    /// <summary>
    /// The bank-bundle spaces of one device whose experts run on the PIM (bit s = space s), given each space's expert
    /// seconds on either side. Co-processing: the exact least max(host, PIM). Otherwise all on one side: paper, the PIM
    /// in decode-only stages; min-time, the side where these experts take less time.
    /// </summary>
    public int ExpertPimMask(ReadOnlySpan<double> hostSecondsBySpace, ReadOnlySpan<double> pimSecondsBySpace, bool decodeOnlyStage)
    {
        if (Device.Pim is null) return 0;
        if (CoExperts) return ExpertSplit.Best(hostSecondsBySpace, pimSecondsBySpace).PimMask;
        int all = (1 << hostSecondsBySpace.Length) - 1;
        if (Policy == PlacementPolicy.Paper) return decodeOnlyStage ? all : 0;
        double h = 0, p = 0;
        for (int s = 0; s < hostSecondsBySpace.Length; s++) { h += hostSecondsBySpace[s]; p += pimSecondsBySpace[s]; }
        return p < h ? all : 0;
    }

    /// <summary>
    /// Which of one device's experts run on the PIM, given the tokens each received and the space each lives in
    /// (<paramref name="space"/>[e], the Program's expert_space). Sums each space's latency and decides by
    /// <see cref="ExpertPimMask"/>.
    /// </summary>
    public bool[] ExpertsOnPim(ReadOnlySpan<int> tokens, IReadOnlyList<uint> space, bool decodeOnlyStage)
    {
        Span<double> host = stackalloc double[Spaces], pim = stackalloc double[Spaces];
        for (int e = 0; e < tokens.Length; e++)
        {
            int s = SpaceOf(space, e);
            host[s] += Experts.Seconds(0, tokens[e]);
            if (Device.Pim is not null) pim[s] += Experts.Seconds(1, tokens[e]);
        }
        int mask = ExpertPimMask(host, pim, decodeOnlyStage);
        var onPim = new bool[tokens.Length];
        for (int e = 0; e < tokens.Length; e++) onPim[e] = (mask >> SpaceOf(space, e) & 1) != 0;
        return onPim;
    }

    /// <summary>The space of local expert <paramref name="e"/>; experts the Program lists no space for share space 0.</summary>
    public static int SpaceOf(IReadOnlyList<uint> space, int e) => e < space.Count ? (int)space[e] : 0;

    /// <summary>Whether the decode and prefill attention of a stage run at the same time.</summary>
    public bool AttentionOverlaps(bool hasDecode, bool hasPrefill, bool decodeOnPim, bool prefillOnPim) =>
        CoAttention && hasDecode && hasPrefill && decodeOnPim != prefillOnPim;
}
