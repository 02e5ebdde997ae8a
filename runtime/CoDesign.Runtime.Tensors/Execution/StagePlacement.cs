using CoDesign.Schema.Ops;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// Where each placed operator of one stage runs, per decoder layer (layer shapes may differ: dense vs MoE). The
/// operators are named in the one vocabulary (<see cref="OpKind"/>, <see cref="OpPhase"/>). Norms, RoPE and the
/// router (with a shared expert's gate) are vector work or top-k that Logic-PIM has no unit for (ProgramCost: not a
/// matrix operator), so they always run on the xPU; routed experts are placed per stage from their token counts
/// (<see cref="DuplexPlan.ExpertsOnPim"/>, the decision layer's split).
/// </summary>
public sealed class StagePlacement(bool[][] layers, bool lmHeadOnPim)
{
    /// <summary>The engine operators a placement decides; attention is fused per phase (score, softmax, context).</summary>
    public static readonly IReadOnlyList<(OpKind Kind, OpPhase Phase)> Placed =
    [
        (OpKind.QkvProjection, OpPhase.All),
        (OpKind.Attention, OpPhase.Decode),
        (OpKind.Attention, OpPhase.Prefill),
        (OpKind.OutputProjection, OpPhase.All),
        (OpKind.Ffn, OpPhase.All),
        (OpKind.SharedExpert, OpPhase.All),
        (OpKind.LmHead, OpPhase.All),
    ];

    public static int Count => Placed.Count;

    /// <summary>The row index of a placed operator.</summary>
    public static int Slot(OpKind kind, OpPhase phase = OpPhase.All)
    {
        for (int i = 0; i < Placed.Count; i++)
            if (Placed[i].Kind == kind && Placed[i].Phase == phase) return i;
        throw new ArgumentException($"{kind.Name(phase)} is not an operator a placement decides", nameof(kind));
    }

    /// <summary>True when <paramref name="kind"/> (of <paramref name="phase"/>) of decoder layer <paramref name="layer"/> runs on the PIM side.</summary>
    public bool OnPim(int layer, OpKind kind, OpPhase phase = OpPhase.All) =>
        kind == OpKind.LmHead ? lmHeadOnPim : layers[layer][Slot(kind, phase)];

    public bool LmHeadOnPim => lmHeadOnPim;
}
