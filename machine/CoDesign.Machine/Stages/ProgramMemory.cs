using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

public static class ProgramMemory
{
    /// <summary>Tokens of KV cache one device can hold once its weights and the activation reserve are placed.</summary>
    public static long KvCapacityTokens(Program p) =>
        (long)Math.Floor(Math.Max(0, p.Hardware.Memory.CapacityBytes - (double)p.WeightBytesPerDevice - p.ActivationReserveBytesPerDevice)
                         / Math.Max(1, p.KvBytesPerTokenPerDevice));

    /// <summary>
    /// Cache a sequence of <paramref name="seqTokens"/> occupies, in tokens of every layer: sliding-window layers keep
    /// at most the window's keys (every layer caches the same bytes per token, so the layers' mix converts exactly).
    /// </summary>
    public static int KvTokensHeld(Program p, int seqTokens)
    {
        var m = p.Model;
        if (m.SlidingWindow == 0 || seqTokens <= m.SlidingWindow || m.NumLayers == 0) return seqTokens;
        double sliding = m.SlidingLayers.Count(x => x);
        return (int)Math.Ceiling(((m.NumLayers - sliding) * seqTokens + sliding * m.SlidingWindow) / m.NumLayers);
    }
}
