using CoDesign.Compiler.Analysis;
using CoDesign.Machine;
using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Analyze;

/// <summary>Each operator's reachable fraction of its processor's peak, and why (the HBM timing model's gaps).</summary>
public static class ReachTable
{
    /// <summary>Memory-bound: peak bytes/s over the traffic-weighted reachable bytes/s; compute-bound: the
    /// compute factor (PIM units follow their stream); overhead-bound and links: not a DRAM question.</summary>
    public static double Reach(ProcessorCost p, OpAnalysis o)
    {
        var d = p.Derating;
        var c = o.Counts;
        if (o.Bound == Bound.Compute) return d.ComputeFactor;
        if (o.Bound != Bound.Memory || c.Bytes <= 0) return 1;
        return c.Bytes / (c.WeightBytes / d.Weights + c.KvBytes / d.KvCache + c.ActivationBytes / d.Activations);
    }

    public static void Write(TextWriter w, StageAnalysis a, Schema.V1.Hardware hw)
    {
        var device = new DeviceModel(hw);
        var t = new TextTable("layers", "op", "processor", "bound", "reachable of peak");
        t.RightAligned.Add(4);
        foreach (var o in a.Ops.Where(o => o.CommBytes <= 0 && o.Bound is not null))
        {
            var p = device.Processors.FirstOrDefault(x => x.Name == o.Processor);
            if (p is null) continue;
            t.Add(o.Layers, o.Op, o.Processor, o.Bound!.Value.ToString().ToLowerInvariant(), Units.Percent(Reach(p, o)));
        }
        w.WriteLine();
        t.Write(w);
        foreach (var p in device.Processors) w.WriteLine($"{p.Name}: {p.Derating.Reason}");
    }
}
