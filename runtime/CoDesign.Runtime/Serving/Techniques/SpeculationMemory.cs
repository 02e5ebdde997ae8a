using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>A draft sharing the target's devices takes memory from the KV cache: its weights, and its own KV per token.</summary>
public static class SpeculationMemory
{
    public static long KvCapacityTokens(Program target, Program draft) =>
        (long)Math.Floor(Math.Max(0, target.Hardware.Memory.CapacityBytes - (double)target.WeightBytesPerDevice
                                     - target.ActivationReserveBytesPerDevice - draft.WeightBytesPerDevice)
                         / Math.Max(1, (double)target.KvBytesPerTokenPerDevice + draft.KvBytesPerTokenPerDevice));
}
