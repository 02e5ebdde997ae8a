using CoDesign.Machine;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Analysis;

/// <summary>One operator of one layer shape on one device, for a given stage: counts, costs, placement and why.</summary>
public sealed record OpAnalysis(
    string Layers,
    int LayerCount,
    string Op,
    OpKind Kind,
    OpCounts Counts,
    double CommBytes,
    string Processor,
    Bound? Bound,
    double TimeS,
    IReadOnlyDictionary<string, double> TimeOnS,
    double EnergyJ,
    string Reason)
{
    public double OpPerByte => Counts.OpPerByte;
    public double TotalTimeS => TimeS * LayerCount;
}
