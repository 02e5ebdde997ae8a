using CoDesign.Machine.Dram;
using CoDesign.Schema.V1;

namespace CoDesign.Machine;

/// <summary>
/// The one machine model: how long an operator takes on a processor and what it costs in energy.
/// A roofline with reachable fractions of peak (bandwidth_efficiency, compute_efficiency) and a fixed
/// per-operator overhead, all taken from the hardware description so that RTL or GPU measurements
/// calibrate it through the hardware file instead of forking it.
/// </summary>
public sealed class ProcessorCost
{
    public Processor Processor { get; }
    public string Name => Processor.Name;
    public ProcessorKind Kind => Processor.Kind;
    public bool IsPim => Kind is ProcessorKind.LogicPim or ProcessorKind.BankPim or ProcessorKind.BankgroupPim;

    /// <summary>Reachable bytes/s of a weight stream (the rate roofline ridges and crossovers use).</summary>
    public double BytesPerSecond { get; }
    readonly double _peakBytesPerSecond;
    readonly double _fp16FlopsPerSecond;
    readonly Dictionary<DataType, double> _flopsPerSecond = [];
    readonly double _overheadSeconds;
    readonly double _dramJoulesPerByte;
    readonly double _computeJoulesPerFlop;

    /// <summary>Reachable fraction of peak bandwidth per traffic class, and why (null reason: not derived).</summary>
    public DramDerating Derating { get; }

    /// <summary>An ideal roofline (bandwidth_efficiency x peak), as before the DRAM timing model.</summary>
    public ProcessorCost(Processor p) : this(p, null, ideal: true) { }

    /// <summary>With <paramref name="ideal"/> false and a memory timing, each traffic class's bandwidth is
    /// derated by the HBM timing model (DramDerating.cs says when a calibrated efficiency wins).</summary>
    public ProcessorCost(Processor p, Memory? memory, bool ideal)
    {
        Processor = p;
        double bwEff = p.BandwidthEfficiency > 0 ? p.BandwidthEfficiency : 1;
        double cEff = p.ComputeEfficiency > 0 ? p.ComputeEfficiency : 1;
        Derating = DramDerating.For(p, memory, ideal);
        cEff *= Derating.ComputeFactor;
        _peakBytesPerSecond = p.MemoryBandwidthBytesPerS * bwEff;
        BytesPerSecond = _peakBytesPerSecond * Derating.Weights;
        foreach (var pk in p.Peak) _flopsPerSecond[pk.DataType] = pk.FlopsPerS * cEff;
        _fp16FlopsPerSecond = _flopsPerSecond.TryGetValue(DataType.Fp16, out var f16) ? f16 : _flopsPerSecond.Values.Max();
        _overheadSeconds = p.OpOverheadS;
        _dramJoulesPerByte = p.DramEnergyJPerBit * 8;
        _computeJoulesPerFlop = p.ComputeEnergyJPerFlop;
    }

    /// <summary>Reachable FLOP/s for a compute type; types the processor lacks run at its FP16 rate (converted on the way in).</summary>
    public double FlopsPerSecond(DataType computeType) =>
        _flopsPerSecond.TryGetValue(computeType, out var f) ? f : _fp16FlopsPerSecond;

    /// <summary>The Op/B above which this processor is compute-bound.</summary>
    public double RidgeOpPerByte(DataType computeType) => FlopsPerSecond(computeType) / BytesPerSecond;

    public double ComputeSeconds(double flops, DataType computeType) => flops / FlopsPerSecond(computeType);
    public double MemorySeconds(double bytes) => bytes / BytesPerSecond;

    /// <summary>DRAM time of an operator's traffic, each class at its own reachable bandwidth.</summary>
    public double MemorySeconds(in OpCounts c) => c.WeightBytes / BytesPerSecond
        + c.KvBytes / (_peakBytesPerSecond * Derating.KvCache) + c.ActivationBytes / (_peakBytesPerSecond * Derating.Activations);

    /// <summary>Roofline time plus the fixed per-operator overhead; zero work costs nothing.</summary>
    public double Seconds(in OpCounts c, DataType computeType)
    {
        if (c.Flops <= 0 && c.Bytes <= 0) return 0;
        return Math.Max(c.Flops / FlopsPerSecond(computeType), MemorySeconds(c)) + _overheadSeconds;
    }

    public Bound BoundOf(in OpCounts c, DataType computeType)
    {
        double compute = c.Flops / FlopsPerSecond(computeType), memory = MemorySeconds(c);
        if (_overheadSeconds > Math.Max(compute, memory)) return Bound.Overhead;
        return compute >= memory ? Bound.Compute : Bound.Memory;
    }

    /// <summary>DRAM energy over this processor's access path (bits moved x J/bit), without row activations.</summary>
    public double DramJoules(double bytes) => bytes * _dramJoulesPerByte;
    public double ComputeJoules(double flops) => flops * _computeJoulesPerFlop;
}
