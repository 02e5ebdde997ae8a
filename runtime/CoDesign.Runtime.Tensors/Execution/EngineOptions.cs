using CoDesign.Machine;

namespace CoDesign.Runtime.Tensors.Execution;

public sealed class EngineOptions
{
    /// <summary>Most requests in one stage; waiting requests join as running ones finish (continuous batching).</summary>
    public int MaxBatch { get; init; } = 4;
    /// <summary>
    /// Duplex co-processing: experts split between xPU and PIM by the cost model and run concurrently, and
    /// prefill attention (xPU) runs concurrently with decode attention (PIM). Off: plain Duplex placement, one
    /// processor at a time.
    /// </summary>
    public bool CoProcessing { get; init; } = true;
    /// <summary>The device whose roofline decides the expert split.</summary>
    public required DeviceModel Device { get; init; }
}
