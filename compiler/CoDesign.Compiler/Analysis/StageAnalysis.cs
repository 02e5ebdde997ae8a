namespace CoDesign.Compiler.Analysis;

/// <summary>A whole stage: every operator plus the summary a person reads first.</summary>
public sealed record StageAnalysis(
    string Model,
    string Hardware,
    int Devices,
    string StageKind,
    double Tokens,
    double CrossoverOpPerByte,
    IReadOnlyList<OpAnalysis> Ops,
    double StageTimeS,
    IReadOnlyDictionary<string, double> TimeByProcessorS,
    IReadOnlyDictionary<string, double> TimeShareByKind,
    double EnergyJ);
