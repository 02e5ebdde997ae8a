using CoDesign.Machine;
using CoDesign.Machine.Decisions;
using CoDesign.Machine.Stages;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Analysis;

/// <summary>
/// Evaluates a Program at one stage shape: each operator's counts, time on every processor, placement and
/// reason. Operators run one after another here (no co-processing): this is the static view of a stage.
/// </summary>
public static class StageAnalyzer
{
    /// <param name="expertTokens">Tokens per local expert; null means the expectation under uniform top-k routing.</param>
    public static StageAnalysis Analyze(Program p, StageShape shape, IReadOnlyList<double>? expertTokens = null)
    {
        if (shape.IsEmpty) throw new InputException($"the stage is empty: give {Setting.Ref("decode")} and/or {Setting.Ref("prefill")}");
        if (expertTokens is not null && expertTokens.Count != p.LocalExperts)
            throw new InputException($"{Setting.Ref("expert_tokens")} lists {expertTokens.Count} experts but each device holds {p.LocalExperts}");
        var decide = new StageDecisions(p);
        var cost = decide.Cost;
        var rows = new List<OpAnalysis>();
        bool decodeOnly = shape.IsDecodeOnly;
        var x = shape.Features;

        foreach (var kind in p.LayerKinds)
        {
            string layers = LayerRanges.Describe(kind.Layers);
            var fused = new Dictionary<OpPhase, Placement>();
            OpAnalysis? experts = null;
            foreach (var op in kind.Ops)
            {
                var row = PartialSumReduction.Is(op)
                    ? PartialSums(decide, op, x, layers, kind.Layers.Count, experts, expertTokens)
                    : AnalyzeOp(decide, op, x, layers, kind.Layers.Count, decodeOnly, fused, expertTokens);
                if (row is not null) rows.Add(row);
                if (op.Kind == OpKind.Expert) experts = row;
            }
        }
        var headFused = new Dictionary<OpPhase, Placement>();
        foreach (var op in p.HeadOps)
            if (AnalyzeOp(decide, op, x, "head", 1, decodeOnly, headFused, null) is { } row) rows.Add(row);

        var byProc = rows.GroupBy(r => r.Processor).ToDictionary(g => g.Key, g => g.Sum(r => r.TotalTimeS));
        double total = rows.Sum(r => r.TotalTimeS);
        var byKind = rows.GroupBy(r => KindName(r.Kind))
            .ToDictionary(g => g.Key, g => total > 0 ? g.Sum(r => r.TotalTimeS) / total : 0);
        return new StageAnalysis(p.Model.Name, p.Hardware.Name, (int)p.System.Devices,
            StageKinds.Of(shape).Name(),
            shape.Tokens, cost.Crossover, rows, total, byProc, byKind, rows.Sum(r => r.EnergyJ * r.LayerCount));
    }

    static OpAnalysis? AnalyzeOp(StageDecisions decide, OpTemplate op, double[] x, string layers, int count, bool decodeOnly,
        Dictionary<OpPhase, Placement> fused, IReadOnlyList<double>? expertTokens)
    {
        var cost = decide.Cost;
        var counts = op.Kind != OpKind.Expert ? AffineEval.Counts(op, x)
            : expertTokens is not null ? expertTokens.Aggregate(default(OpCounts), (acc, t) => acc + AffineEval.ExpertCounts(op, t))
            : ExpectedExperts(cost.Program, op, x);
        if (ProgramCost.IsCollective(op))
        {
            double bytes = AffineEval.Eval(op.CommBytes, x);
            if (bytes <= 0) return null;
            var place = decide.Place(op, counts, decodeOnly);
            var cc = cost.Collective(op, bytes);
            var parts = new Dictionary<string, double> { ["link"] = cc.Seconds };
            if (cc.IntraS > 0) parts["intra_node"] = cc.IntraS;
            if (cc.InterS > 0) parts["inter_node"] = cc.InterS;
            return new OpAnalysis(layers, count, op.Name, op.Kind, counts, bytes, place.Where, null, cc.Seconds, parts, cc.Joules, place.Reason);
        }
        if (counts.Flops <= 0 && counts.Bytes <= 0) return null;   // e.g. prefill attention in a decode-only stage
        fused.TryGetValue(op.Phase, out var score);
        var placement = decide.Place(op, counts, decodeOnly, op.Kind == OpKind.AttentionSoftmax && fused.ContainsKey(op.Phase) ? score.Processor : null);
        if (op.Kind == OpKind.AttentionScore) fused[op.Phase] = placement;
        var proc = placement.Processor!;
        var times = cost.Device.Processors.ToDictionary(pr => pr.Name, pr => pr.Seconds(counts, cost.ComputeType));
        var (dram, compute) = cost.Joules(proc, counts);
        return new OpAnalysis(layers, count, op.Name, op.Kind, counts, 0, proc.Name, proc.BoundOf(counts, cost.ComputeType),
            times[proc.Name], times, dram + compute, placement.Reason);
    }

    /// <summary>
    /// The xPU's reduction of the per-stack partial sums, when this layer's experts were placed on the PIM: every
    /// token-expert pair of the device's experts (the given tokens, else the uniform expectation) leaves one per stack.
    /// </summary>
    static OpAnalysis? PartialSums(StageDecisions decide, OpTemplate op, double[] x, string layers, int count, OpAnalysis? experts,
        IReadOnlyList<double>? expertTokens)
    {
        var cost = decide.Cost;
        if (experts is null || decide.Device.Pim is not { } pim || experts.Processor != pim.Name) return null;
        var p = cost.Program;
        double pairs = expertTokens?.Sum()
            ?? x[(int)StageFeature.Tokens] * p.System.DataParallel * p.Model.ExpertsPerToken / Math.Max(1, p.Model.NumExperts) * p.LocalExperts;
        var counts = PartialSumReduction.Counts(op, pairs, cost.Stacks);
        if (counts.Flops <= 0 && counts.Bytes <= 0) return null;
        var placement = decide.Place(op, counts, true);
        var host = placement.Processor!;
        var times = cost.Device.Processors.ToDictionary(pr => pr.Name, pr => pr.Seconds(counts, cost.ComputeType));
        var (dram, compute) = cost.Joules(host, counts);
        return new OpAnalysis(layers, count, op.Name, op.Kind, counts, 0, host.Name, host.BoundOf(counts, cost.ComputeType),
            times[host.Name], times, dram + compute, $"adds the {cost.Stacks} stacks' partial sums of the experts that ran on {pim.Name}");
    }

    /// <summary>
    /// Uniform top-k expectation for the device's experts: each receives n·k/E tokens on average, and its
    /// weights are read only if at least one token arrives, which happens with probability 1 − (1 − k/E)^n.
    /// </summary>
    static OpCounts ExpectedExperts(Program p, OpTemplate op, double[] x)
    {
        double n = x[(int)StageFeature.Tokens] * p.System.DataParallel;
        double e = p.Model.NumExperts, k = p.Model.ExpertsPerToken;
        double perExpert = n * k / e;
        double touched = 1 - Math.Pow(1 - k / e, n);
        var one = AffineEval.ExpertCounts(op, perExpert);
        return new OpCounts(one.Flops, op.ExpertWeightBytes * touched, one.ActivationBytes, 0).Scale(p.LocalExperts);
    }

    public static string KindName(OpKind k) => OpGroups.Name(k);
}
