namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// The engine's operators whose processor a placement decides. Norms, RoPE and the router (with a shared
/// expert's gate) are vector work or top-k that Logic-PIM has no unit for (ProgramCost: not a matrix
/// operator), so they always run on the xPU; routed experts are placed per stage from their token counts
/// (<see cref="DuplexPlan.ExpertsOnPim"/>, the decision layer's split).
/// </summary>
public enum PlacedOp
{
    QkvProj,
    DecodeAttention,
    PrefillAttention,
    OutProj,
    DenseFfn,
    SharedExpert,
    LmHead,
}

/// <summary>Where each placed operator of one stage runs, per decoder layer (layer shapes may differ: dense vs MoE).</summary>
public sealed class StagePlacement(bool[][] layers, bool lmHeadOnPim)
{
    public static readonly int Count = Enum.GetValues<PlacedOp>().Length;

    /// <summary>True when <paramref name="op"/> of decoder layer <paramref name="layer"/> runs on the PIM side.</summary>
    public bool OnPim(int layer, PlacedOp op) => op == PlacedOp.LmHead ? lmHeadOnPim : layers[layer][(int)op];

    public bool LmHeadOnPim => lmHeadOnPim;

    public static string Name(PlacedOp op) => op switch
    {
        PlacedOp.QkvProj => "qkv_proj",
        PlacedOp.DecodeAttention => "attention.decode",
        PlacedOp.PrefillAttention => "attention.prefill",
        PlacedOp.OutProj => "out_proj",
        PlacedOp.DenseFfn => "dense_ffn",
        PlacedOp.SharedExpert => "shared_expert",
        _ => "lm_head",
    };
}
