// SPDX-License-Identifier: MIT
// Where an operator runs, the rule that put it there, and the numbers the rule compared.
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Machine.Decisions;

/// <summary>The rule that decided an operator's processor (docs/reference/duplex-spec.md §3 for the paper rules).</summary>
public enum PlacementRule
{
    Collective,
    FusedWithScores,
    OnlyProcessor,
    RouterOnHost,
    VectorOnHost,
    NoDequantiser,
    PaperExpertsDecodeOnly,
    PaperExpertsWithPrefill,
    PaperDecodeAttention,
    PaperOnHost,
    BelowCrossover,
    AtOrAboveCrossover,
    FasterEstimate,
}

/// <summary>
/// Where an operator runs and why, decided once by <see cref="StageDecisions.Place"/>: the reason is rendered from the
/// rule and the numbers it compared, never derived again. Building one allocates nothing (the simulator's hot loop).
/// </summary>
public readonly record struct Placement(ProcessorCost? Processor, PlacementRule Rule, OpTemplate Op, DeviceModel Device,
    double OpPerByte = 0, double Crossover = 0, double HostSeconds = 0, double PimSeconds = 0)
{
    /// <summary>"link" for collectives, otherwise the processor name.</summary>
    public string Where => Processor?.Name ?? "link";

    public bool OnPim => Processor is { IsPim: true };

    /// <summary>The reason, in words a person can check.</summary>
    public string Reason
    {
        get
        {
            string host = Device.Host.Name, pim = Device.Pim?.Name ?? "pim";
            return Rule switch
            {
                PlacementRule.Collective => Op.Kind == OpKind.AllToAll && Op.CommGroupPerNode > 0 && Op.CommGroupPerNode < Op.CommGroup
                    ? $"all-to-all over {Op.CommGroup} devices, {Op.CommGroupPerNode} per node: intra-node and inter-node parts at once"
                    : Op.Kind == OpKind.AllReduce
                    ? $"ring all-reduce over {(Op.CommScope == LinkScope.InterNode ? "the inter-node link" : "the intra-node link")}, {Op.CommGroup} devices, {2 * (Op.CommGroup - 1)} steps"
                    : $"collective over {(Op.CommScope == LinkScope.InterNode ? "the inter-node link" : "the intra-node link")} ({Op.CommGroup} devices)",
                PlacementRule.FusedWithScores => $"fused with the {PhaseName(Op.Phase)} attention scores on {Where}",
                PlacementRule.OnlyProcessor => $"{host} is the only processor",
                PlacementRule.RouterOnHost => $"gate and top-k stay on the {host} (Duplex §3)",
                PlacementRule.VectorOnHost => $"vector op: the {pim} has no unit for it",
                PlacementRule.NoDequantiser => $"quantised weights: the {pim} has no dequantiser",
                PlacementRule.PaperExpertsDecodeOnly => $"decode-only stage: MoE on {pim} (Duplex §3)",
                PlacementRule.PaperExpertsWithPrefill => $"stage has prefill: MoE on {host} (Duplex §3)",
                PlacementRule.PaperDecodeAttention => $"decode attention on {pim} (Duplex §3)",
                PlacementRule.PaperOnHost => $"{Describe(Op)} on {host} (Duplex §3)",
                PlacementRule.BelowCrossover => $"Op/B {Units.Ratio(OpPerByte)} < crossover {Units.Ratio(Crossover)} → {pim}",
                PlacementRule.AtOrAboveCrossover => $"Op/B {Units.Ratio(OpPerByte)} ≥ crossover {Units.Ratio(Crossover)} → {host}",
                _ => $"estimated {Units.Seconds(HostSeconds)} on {host} vs {Units.Seconds(PimSeconds)} on {pim} → {Where}",
            };
        }
    }

    static string PhaseName(OpPhase p) => p switch { OpPhase.Decode => "decode", OpPhase.Prefill => "prefill", _ => "" };

    static string Describe(OpTemplate op) => op.Phase == OpPhase.Prefill ? "prefill attention" : op.Name.Replace('_', ' ');
}
