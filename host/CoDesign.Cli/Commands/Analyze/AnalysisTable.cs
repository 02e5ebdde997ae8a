using CoDesign.Compiler.Analysis;
using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Analyze;

public static class AnalysisTable
{
    public static void WriteCsv(TextWriter w, StageAnalysis a) =>
        Csv.Write(w, ["layer", "op", "kind", "layer_count", "flops", "weight_bytes", "activation_bytes", "kv_bytes", "bytes", "comm_bytes",
                "op_b", "bound", "processor", "time_s", "total_time_s", "energy_j", "reason"],
            a.Ops.Select(o => (IReadOnlyList<object?>)[o.Layers, o.Op, StageAnalyzer.KindName(o.Kind), o.LayerCount, o.Counts.Flops,
                o.Counts.WeightBytes, o.Counts.ActivationBytes, o.Counts.KvBytes, o.Counts.Bytes, o.CommBytes,
                double.IsFinite(o.OpPerByte) ? o.OpPerByte : null, o.Bound?.ToString().ToLowerInvariant() ?? "link",
                o.Processor, o.TimeS, o.TotalTimeS, o.EnergyJ, o.Reason]));

    public static void WriteTable(TextWriter w, StageAnalysis a)
    {
        w.WriteLine($"{a.Model} on {a.Devices} x {a.Hardware}: {a.StageKind} stage, {Units.Number(a.Tokens)} tokens per replica; " +
                    $"PIM crossover Op/B {Units.Ratio(a.CrossoverOpPerByte)}");
        var t = new TextTable("layers", "op", "FLOPs", "bytes", "Op/B", "bound", "processor", "time/layer", "reason");
        foreach (int i in new[] { 2, 3, 4, 7 }) t.RightAligned.Add(i);
        foreach (var o in a.Ops)
            t.Add(o.Layers, o.Op, Units.Flops(o.Counts.Flops), Units.Bytes(o.CommBytes > 0 ? o.CommBytes : o.Counts.Bytes),
                o.CommBytes > 0 ? "-" : Units.Ratio(o.OpPerByte), o.Bound?.ToString().ToLowerInvariant() ?? "link", o.Processor,
                Units.Seconds(o.TimeS), o.Reason);
        t.Write(w);
        w.WriteLine($"stage time {Units.Seconds(a.StageTimeS)} (operators in sequence), energy {Units.Joules(a.EnergyJ)} per device");
        w.WriteLine("time by processor: " + string.Join(", ", a.TimeByProcessorS.OrderByDescending(kv => kv.Value)
            .Select(kv => $"{kv.Key} {Units.Seconds(kv.Value)} ({Units.Percent(a.StageTimeS > 0 ? kv.Value / a.StageTimeS : 0)})")));
        w.WriteLine("time by kind: " + string.Join(", ", a.TimeShareByKind.OrderByDescending(kv => kv.Value)
            .Select(kv => $"{kv.Key} {Units.Percent(kv.Value)}")));
    }
}
