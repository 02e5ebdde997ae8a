using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

public static class ProgramMemory
{
    /// <summary>Tokens of KV cache one device can hold once its weights and the activation reserve are placed.</summary>
    public static long KvCapacityTokens(Program p) =>
        (long)Math.Floor(Math.Max(0, p.Hardware.Memory.CapacityBytes - (double)p.WeightBytesPerDevice - p.ActivationReserveBytesPerDevice)
                         / Math.Max(1, p.KvBytesPerTokenPerDevice));
}
