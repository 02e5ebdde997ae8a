using CoDesign.Compiler.Analysis;
using CoDesign.Machine.Stages;
using CoDesign.Reports.Plots;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using CoDesign.Sweeps.Run;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Reporting;

/// <summary>
/// The Op/B roofline of each processor of one hardware with every operator of a representative decode stage
/// (the point's batch, each request halfway through its output) as a point on the processor it was placed on.
/// </summary>
public static class Rooflines
{
    public sealed record Figure(string Title, ScottPlot.Plot Plot, string Caption);

    /// <summary>One figure per hardware used, from the first successful point on it; null when that point no longer compiles.</summary>
    public static IEnumerable<(string Hardware, Figure? Figure, string? Problem)> ForRows(IReadOnlyList<ResultRow> rows)
    {
        foreach (var first in rows.Where(r => r.Ok).GroupBy(r => r.Provenance.HardwareSha256).Select(g => g.First()))
        {
            Figure? fig = null;
            string? problem = null;
            try { fig = Build(first); }
            catch (InputException e) { problem = e.Message; }
            yield return (first.Provenance.HardwareSource, fig, problem);
        }
    }

    static Figure Build(ResultRow row)
    {
        var point = row.ToPoint();
        var program = PointSettings.Compile(point);
        int decode = Math.Max(1, (int)Math.Round(row.Result!.EffectiveBatch));
        double context = (point.Integer("input_len") ?? 1024) + (point.Integer("output_len") ?? 1024) / 2.0;
        var a = StageAnalyzer.Analyze(program, StageShape.Of(decode, context, slidingWindowTokens: program.Model.SlidingWindow));
        var computeType = program.Model.ActivationType == DataType.Unspecified ? DataType.Fp16 : program.Model.ActivationType;
        var roofs = program.Hardware.Processors.Select(p => (p.Name, p.MemoryBandwidthBytesPerS,
            (p.Peak.FirstOrDefault(k => k.DataType == computeType) ?? p.Peak.FirstOrDefault(k => k.DataType == DataType.Fp16) ?? p.Peak[0]).FlopsPerS)).ToList();
        var groups = a.Ops.Where(o => o.CommBytes == 0 && o.Counts.Flops > 0 && o.TimeS > 0 && double.IsFinite(o.OpPerByte))
            .GroupBy(o => o.Processor).ToList();
        var ops = groups.Select(g => new XySeries(g.Key, g.Select(o => o.OpPerByte).ToList(), g.Select(o => o.Counts.Flops / o.TimeS).ToList())).ToList();
        // Each point names its operator; a layer shape other than the first is named too (e.g. "experts (moe)").
        var firstKind = a.Ops.Count > 0 ? a.Ops[0].Layers : "";
        var labels = groups.Select(g => (IReadOnlyList<string>)g.Select(o => o.Layers == firstKind ? o.Op : $"{o.Op} ({o.Layers})").ToList()).ToList();
        string title = $"{program.Hardware.Name}: roofline, {a.Model} decode stage";
        var plot = Charts.Roofline(title, roofs, ops, labels, a.CrossoverOpPerByte);
        string caption = $"Operators of a decode-only stage of {a.Model} on {a.Devices} x {program.Hardware.Name} ({decode} requests, context " +
                         $"{context:0} tokens), at achieved FLOP/s (FLOPs / modelled time) on the processor each was placed on. " +
                         (a.CrossoverOpPerByte > 0 ? $"PIM beats the host below Op/B {Schema.Units.Ratio(a.CrossoverOpPerByte)}. " : "") + $"From point {row.Id} ({ResultTable.Label(row)}). " +
                         Provenances.Describe([row]);
        return new Figure(title, plot, caption);
    }
}
