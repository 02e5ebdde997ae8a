namespace CoDesign.Runtime.Tensors.Execution;

public sealed class EngineOptions
{
    /// <summary>Most requests in one stage; waiting requests join as running ones finish (continuous batching).</summary>
    public int MaxBatch { get; init; } = 4;
    /// <summary>
    /// Placement from the compiled Program (or a roofline stand-in with the §3 rule): where each operator runs
    /// per stage. Expert co-processing: experts split between xPU and PIM by the expert-latency table and run
    /// concurrently; off: all of a layer's experts on the processor the placement names. Attention
    /// co-processing: the attention placed on the xPU (prefill, under §3) runs concurrently with the attention
    /// placed on PIM (decode); off: one after the other.
    /// </summary>
    public required DuplexPlan Plan { get; init; }
    /// <summary>When set, the engine records every stage's decisions here.</summary>
    public DecisionLog? Decisions { get; init; }
    /// <summary>Cancelled by Ctrl-C: the engine stops before its next stage.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Reuse the real K and V of prompt prefixes already prefilled in this run (<see cref="PrefixStore"/>).</summary>
    public bool PrefixReuse { get; init; }

    /// <summary>Sees each request's logits as its token is chosen (request id, step, the vocabulary's logits): the outside-oracle comparison reads them.</summary>
    public Action<int, int, double[]>? LogitsObserver { get; init; }

    /// <summary>A bug planted in the engine's own code, for the tests that show validate catches one.</summary>
    internal EngineFault Fault { get; init; }
}

/// <summary>Engine-level bugs the validation tests plant: code that the reference and the candidate run alike.</summary>
internal enum EngineFault
{
    None,
    /// <summary>Every decode token takes the position after its own.</summary>
    DecodePositionOffByOne,
    /// <summary>The expert combine weights each token's experts in reverse routing order.</summary>
    ExpertWeightsReversed,
}
