using CoDesign.Schema.V1;

namespace CoDesign.Machine.Dram;

/// <summary>
/// A processor's reachable fraction of peak DRAM bandwidth per traffic class, and the reason for the gap.
/// Derived from the HBM timing model unless the description asks for the ideal roofline
/// (Hardware.ideal_efficiency, the "-ideal" presets) or the processor carries a calibrated
/// bandwidth_efficiency below 1 (e.g. duplex-rtl's 0.7146 measured on the RTL, which already contains the
/// DRAM's row switches and refresh: applying the model on top would count them twice).
/// A PIM's units consume the weight stream as it arrives, so their compute rate follows the stream
/// (<see cref="ComputeFactor"/>), as duplex-rtl's calibration has it.
/// </summary>
public sealed record DramDerating(double Weights, double KvCache, double Activations, double ComputeFactor, string Reason)
{
    public static readonly DramDerating Ideal = new(1, 1, 1, 1, "ideal roofline (no DRAM timing)");

    public bool IsDerived => !ReferenceEquals(this, Ideal) && !Reason.StartsWith("calibrated", StringComparison.Ordinal);

    public static DramDerating For(Processor p, Memory? memory, bool ideal)
    {
        if (ideal || memory?.Timing is not { TckS: > 0 }) return Ideal;
        if (p.BandwidthEfficiency is > 0 and < 1) return new(1, 1, 1, 1, $"calibrated bandwidth_efficiency {p.BandwidthEfficiency:F4}");
        var w = DramEfficiency.Of(memory, p.Kind, TrafficClass.Weights)!;
        var kv = DramEfficiency.Of(memory, p.Kind, TrafficClass.KvCache)!;
        var act = DramEfficiency.Of(memory, p.Kind, TrafficClass.Activations)!;
        bool pim = p.Kind is ProcessorKind.LogicPim or ProcessorKind.BankPim or ProcessorKind.BankgroupPim;
        string path = DramEfficiency.PathOf(p.Kind) switch
        {
            DramPath.BankBundle => "bank-bundle stream, 1 bundle",
            DramPath.AllBank => "all-bank",
            _ => "external, FR-FCFS open page",
        };
        return new(w.Efficiency, kv.Efficiency, act.Efficiency, pim ? w.Efficiency : 1,
            $"HBM3 timing model ({path}): weights {w.Efficiency:P1} [{w.GapSummary()}]" +
            (pim ? "" : $"; KV blocks {kv.Efficiency:P1} [{kv.GapSummary()}]; activations {act.Efficiency:P1} [{act.GapSummary()}]"));
    }
}
