using CoDesign.Compiler.Analysis;
using CoDesign.Reports;

namespace CoDesign.Cli.Commands.Analyze;

/// <summary>What <c>analyze</c> prints: the stage's operators, their reachable share of peak, and the format notes.</summary>
public sealed record AnalyzeOutput(StageAnalysis Analysis, Schema.V1.Hardware Hardware, string Notes);

/// <summary>AnalysisTable and ReachTable lay out the parts; this decides which parts each format holds.</summary>
public sealed class AnalyzeRenderer : Renderer<AnalyzeOutput>
{
    protected override void Table(TextWriter w, AnalyzeOutput o)
    {
        AnalysisTable.WriteTable(w, o.Analysis);
        ReachTable.Write(w, o.Analysis, o.Hardware);
        w.WriteLine(o.Notes);
    }

    protected override void Json(TextWriter w, AnalyzeOutput o) => Reports.Json.Write(w, AnalysisJson.From(o.Analysis));

    protected override void Csv(TextWriter w, AnalyzeOutput o) => AnalysisTable.WriteCsv(w, o.Analysis);
}
