using CoDesign.Machine;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// Which processor runs each expert of a MoE layer (duplex-spec.md §3).
/// Plain Duplex: all experts on Logic-PIM in decode-only stages, on the xPU in mixed stages.
/// Expert co-processing: start with every expert on the xPU, then move the experts with the fewest tokens to
/// Logic-PIM one at a time while max(xPU time, PIM time) falls; both then run concurrently. Times come from
/// the machine model's roofline (<see cref="DeviceModel"/>), the same one the simulator uses.
/// </summary>
public static class ExpertPlacement
{
    public static bool[] PlainDuplex(int experts, bool decodeOnly) => Enumerable.Repeat(decodeOnly, experts).ToArray();

    /// <param name="tokens">tokens routed to each expert in this stage</param>
    /// <param name="weightBytes">one expert's weight bytes (gate + up + down)</param>
    /// <param name="flopsPerToken">one token's FLOPs through one expert</param>
    public static bool[] CoProcess(int[] tokens, double weightBytes, double flopsPerToken, double activationBytesPerToken, DeviceModel device)
    {
        var onPim = new bool[tokens.Length];
        if (device.Pim is null) return onPim;
        double Cost(ProcessorCost p, int n) => n == 0 ? 0
            : p.Seconds(new OpCounts(n * flopsPerToken, weightBytes, n * activationBytesPerToken, 0), DataType.Fp16);
        double xpu = Enumerable.Range(0, tokens.Length).Sum(e => Cost(device.Host, tokens[e])), pim = 0;
        // Fewest tokens first; ties by expert index so the choice is reproducible.
        foreach (int e in Enumerable.Range(0, tokens.Length).Where(e => tokens[e] > 0).OrderBy(e => tokens[e]).ThenBy(e => e))
        {
            double nx = xpu - Cost(device.Host, tokens[e]), np = pim + Cost(device.Pim, tokens[e]);
            if (Math.Max(nx, np) >= Math.Max(xpu, pim)) break;
            onPim[e] = true;
            xpu = nx; pim = np;
        }
        return onPim;
    }
}
