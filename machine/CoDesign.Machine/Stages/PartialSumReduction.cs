using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

/// <summary>
/// The xPU adding the per-stack partial sums of Logic-PIM experts (docs/reference/duplex-spec.md §3: every expert is
/// spread over all stacks, the down projection leaves partial sums, one reduction by the xPU after all experts).
/// Per token-expert pair run on the PIM: S partials of hidden elements are read and one sum is written
/// ((S + 1) x the operator's bytes per pair) and S - 1 adds are made per element. One stack leaves nothing to add.
/// </summary>
public static class PartialSumReduction
{
    public static bool Is(OpTemplate op) => op.Kind == OpKind.PartialSumReduction;

    public static OpCounts Counts(OpTemplate op, double pimPairs, int stacks) => pimPairs <= 0 || stacks <= 1
        ? default
        : new(op.ExpertFlopsPerToken * (stacks - 1) * pimPairs, 0, op.ExpertActivationBytesPerToken * (stacks + 1) * pimPairs, 0);
}
