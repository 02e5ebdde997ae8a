namespace CoDesign.Runtime.Tensors.Execution;

public sealed class EngineOptions
{
    /// <summary>Most requests in one stage; waiting requests join as running ones finish (continuous batching).</summary>
    public int MaxBatch { get; init; } = 4;
    /// <summary>
    /// Placement inputs from the compiled Program (or a roofline stand-in). Expert co-processing: experts split
    /// between xPU and PIM by the expert-latency table and run concurrently; off: plain Duplex placement.
    /// Attention co-processing: prefill attention (xPU) runs concurrently with decode attention (PIM); off: one
    /// after the other.
    /// </summary>
    public required DuplexPlan Plan { get; init; }
}
