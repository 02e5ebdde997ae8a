using CoDesign.Compiler.Analysis;

namespace CoDesign.Cli.Commands.Analyze;

/// <summary>The JSON shape of an analysis (snake_case via the writer; SI units; null where Op/B is unbounded).</summary>
public static class AnalysisJson
{
    public sealed record Op(string Layers, int LayerCount, [property: System.Text.Json.Serialization.JsonPropertyName("op")] string Name, string Kind, double Flops, double WeightBytes,
        double ActivationBytes, double KvBytes, double Bytes, double CommBytes, double? OpB, string? Bound, string Processor,
        double TimeS, double TotalTimeS, IReadOnlyDictionary<string, double> TimeOnS, double EnergyJ, string Reason);

    public sealed record Doc(string Model, string Hardware, int Devices, string StageKind, double Tokens, double CrossoverOpB,
        double StageTimeS, double EnergyJ, IReadOnlyDictionary<string, double> TimeByProcessorS,
        IReadOnlyDictionary<string, double> TimeShareByKind, IReadOnlyList<Op> Ops);

    public static Doc From(StageAnalysis a) => new(a.Model, a.Hardware, a.Devices, a.StageKind, a.Tokens, a.CrossoverOpPerByte,
        a.StageTimeS, a.EnergyJ, a.TimeByProcessorS, a.TimeShareByKind,
        a.Ops.Select(o => new Op(o.Layers, o.LayerCount, o.Op, StageAnalyzer.KindName(o.Kind), o.Counts.Flops, o.Counts.WeightBytes,
            o.Counts.ActivationBytes, o.Counts.KvBytes, o.Counts.Bytes, o.CommBytes,
            double.IsFinite(o.OpPerByte) ? o.OpPerByte : null, o.Bound?.ToString().ToLowerInvariant(), o.Processor,
            o.TimeS, o.TotalTimeS, o.TimeOnS, o.EnergyJ, o.Reason)).ToList());
}
