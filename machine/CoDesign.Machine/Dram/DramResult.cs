namespace CoDesign.Machine.Dram;

/// <summary>What one pseudo-channel achieved on a pattern, scaled to the device by its pseudo-channel count.</summary>
public sealed record DramResult(
    long Cycles, long Reads, long Writes, long Activations, long Refreshes, double BytesMoved, double TckSeconds,
    double PeakBytesPerCycle, int PseudoChannels, IReadOnlyDictionary<DramGap, long> GapCycles,
    long MaxRefreshLatenessCycles, IReadOnlyList<HbmCommand>? Log)
{
    /// <summary>Achieved over peak of the same path.</summary>
    public double Efficiency => Cycles > 0 ? BytesMoved / (Cycles * PeakBytesPerCycle) : 0;
    public double BytesPerSecond => Cycles > 0 ? BytesMoved / (Cycles * TckSeconds) * PseudoChannels : 0;
    public double PeakBytesPerSecond => PeakBytesPerCycle / TckSeconds * PseudoChannels;
    /// <summary>Row activations per byte moved (energy: ACT energy per activation).</summary>
    public double ActivationsPerByte => BytesMoved > 0 ? Activations / BytesMoved : 0;

    /// <summary>The reason that cost the most idle cycles, with its share of all cycles.</summary>
    public (DramGap Reason, double Share) MainGap
    {
        get
        {
            var top = GapCycles.Where(kv => kv.Key != DramGap.QueueEmpty).OrderByDescending(kv => kv.Value).FirstOrDefault();
            return (top.Key, Cycles > 0 ? (double)top.Value / Cycles : 0);
        }
    }

    /// <summary>"row switch 21 %, refresh 5 %": the reasons that cost at least 0.5 % of the cycles.</summary>
    public string GapSummary() => string.Join(", ", GapCycles.Where(kv => kv.Key != DramGap.QueueEmpty && kv.Value > 0.005 * Cycles)
        .OrderByDescending(kv => kv.Value).Select(kv => $"{Name(kv.Key)} {100.0 * kv.Value / Cycles:F1} %"));

    public static string Name(DramGap g) => g switch
    {
        DramGap.RowSwitch => "row switch",
        DramGap.Refresh => "refresh",
        DramGap.Faw => "tFAW",
        DramGap.Rrd => "tRRD",
        DramGap.Turnaround => "read/write turnaround",
        DramGap.CcdL => "tCCD_L",
        _ => "queue empty",
    };
}
