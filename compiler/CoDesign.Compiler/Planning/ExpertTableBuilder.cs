using CoDesign.Machine;
using CoDesign.Machine.Stages;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Planning;

/// <summary>
/// The offline lookup table of Duplex's expert co-processing (docs/reference/duplex-spec.md §3): seconds for one local expert
/// receiving t tokens on each processor, built once per model x hardware x system.
/// </summary>
public static class ExpertTableBuilder
{
    /// <summary>Rows cover up to this many tokens per expert; the runtime computes larger counts directly.</summary>
    public const int MaxTokens = 1024;

    public static ExpertLatencyTable? Build(Program p, ProgramCost cost)
    {
        var expert = p.LayerKinds.SelectMany(k => k.Ops).FirstOrDefault(o => o.Kind == OpKind.Expert);
        if (expert is null) return null;
        var table = new ExpertLatencyTable { MaxTokens = MaxTokens };
        foreach (var proc in cost.Device.Processors)
        {
            table.Processors.Add(proc.Name);
            for (int t = 0; t <= MaxTokens; t++)
                table.Seconds.Add(proc.Seconds(AffineEval.ExpertCounts(expert, t), cost.ComputeType));
        }
        return table;
    }
}
