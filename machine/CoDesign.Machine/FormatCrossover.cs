using CoDesign.Schema.V1;

namespace CoDesign.Machine;

/// <summary>
/// The Op/B crossover rule re-derived for a weight format. A weight-streaming GEMM with T tokens per weight,
/// b bytes per weight (element plus its share of scales and zero points) and one dequantisation per weight
/// takes max(2T/P, b/BW, 1/D) seconds per weight on a processor with compute P, bandwidth BW and dequantiser
/// rate D. The host is memory-bound below its ridge, so the PIM wins while 2T/P_pim &lt; b/BW_host and
/// 1/D_pim &lt; b/BW_host: T* = P_pim·b / (2·BW_host) tokens per weight, i.e. still Op/B* = P_pim / BW_host
/// (32 on Duplex) in FLOPs per byte, but only if the PIM dequantiser keeps up with the host's weight stream
/// (D_pim &gt; BW_host / b). Narrow formats therefore move the crossover to fewer tokens, not to another Op/B.
/// </summary>
public readonly record struct FormatCrossover(double OpPerByte, double TokensPerWeight, bool DequantKeepsUp)
{
    /// <param name="bytesPerWeight">b, e.g. 0.5 + 2.5/128 for int4 with group size 128.</param>
    /// <param name="quantised">whether weights must be dequantised before the MACs.</param>
    public static FormatCrossover For(DeviceModel d, DataType computeType, double bytesPerWeight, bool quantised)
    {
        if (d.Pim is not { } pim) return new(0, 0, false);
        double opb = d.CrossoverOpPerByte(computeType);
        bool keepsUp = !quantised || pim.DequantElementsPerSecond * bytesPerWeight > d.Host.BytesPerSecond;
        return new(opb, keepsUp ? opb * bytesPerWeight / 2 : 0, keepsUp);
    }
}
